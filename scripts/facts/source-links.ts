/**
 * Links into SpacetimeDB's repository in a page must be citations of the pinned release: a permalink
 * at the pinned tag, to a file under crates/, with a line or line range. This finds the ones that
 * are not, with the fix.
 */
import { blobPrefix, type Pin } from './pin';

export interface LinkProblem {
  /** 1-based line in the page. */
  line: number;
  url: string;
  /** What is wrong and how to write it instead. */
  message: string;
}

const REPOSITORY_LINK = /https?:\/\/(?:www\.)?github\.com\/clockworklabs\/spacetimedb(?=[/#?\s)\]>"'`]|$)[^\s)\]>"'`]*/gi;
const CITATION = /^https:\/\/github\.com\/clockworklabs\/SpacetimeDB\/blob\/([^/]+)\/([^#?]+)(?:#(.*))?$/;
const LINES = /^L(\d+)(?:-L(\d+))?$/;

export function checkSourceLinks(text: string, pin: Pin): LinkProblem[] {
  const problems: LinkProblem[] = [];
  text.split('\n').forEach((content, index) => {
    for (const match of content.matchAll(REPOSITORY_LINK)) {
      const url = match[0];
      const message = problemWith(url, pin);
      if (message) problems.push({ line: index + 1, url, message });
    }
  });
  return problems;
}

function problemWith(url: string, pin: Pin): string | null {
  const prefix = blobPrefix(pin);
  const shape = `write it as ${prefix}crates/<path>#L<first>-L<last> (or #L<line>)`;
  const citation = CITATION.exec(url);
  if (!citation) return `not a citation of a source file at the pinned release; ${shape}`;
  const [, ref, path, fragment] = citation as unknown as [string, string, string, string | undefined];
  const lines = fragment === undefined ? null : LINES.exec(fragment);
  const range = lines ? `#${fragment}` : '#L<first>-L<last>';
  const fixed = `${prefix}${path.startsWith('crates/') ? path : 'crates/<path>'}${range}`;
  if (ref !== pin.tag) {
    const kind = /^[0-9a-f]{7,40}$/.test(ref) ? 'commit' : 'ref';
    return `cites ${kind} ${ref}, but the docs pin ${pin.tag} (facts/spacetimedb.json): use ${fixed}, after checking the lines at ${pin.tag} still say it`;
  }
  if (!path.startsWith('crates/') || path.split('/').includes('..')) return `points outside crates/: cite the code under crates/ that does it, ${shape}`;
  if (!lines) return `has no line range: add the lines that support the sentence, ${shape}`;
  if (lines[2] !== undefined && Number(lines[2]) < Number(lines[1])) return `line range runs backwards: write #L${lines[2]}-L${lines[1]}`;
  return null;
}
