// The little of a page's front matter that decides its URL: `id`, `slug`, `parse_number_prefixes`.
//
// Docusaurus reads front matter with a YAML parser; pages only ever give these keys scalar values,
// so this reads top-level `key: value` lines (plain, 'single' or "double" quoted) and ignores the
// rest. LF and CRLF line endings are both understood, and a UTF-8 byte order mark is skipped.

export interface FrontMatterBlock {
  /** Offset just past the closing `---` line (0 when the file has no front matter). */
  end: number;
  /** Top-level scalar values, keyed by name. */
  values: Map<string, string>;
}

const OPENING = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSING = /^---[ \t]*(?:\r?\n|$)/m;

export function readFrontMatter(text: string): FrontMatterBlock {
  const opening = OPENING.exec(text);
  if (!opening) return { end: 0, values: new Map() };
  const bodyStart = opening[0].length;
  const rest = text.slice(bodyStart);
  const closing = CLOSING.exec(rest);
  if (!closing) return { end: 0, values: new Map() };
  const block = rest.slice(0, closing.index);
  const values = new Map<string, string>();
  for (const line of block.split(/\r?\n/)) {
    const match = /^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!match) continue;
    const value = unquote(stripComment(match[2]!));
    if (value !== undefined) values.set(match[1]!, value);
  }
  return { end: bodyStart + closing.index + closing[0].length, values };
}

function stripComment(raw: string): string {
  if (raw.startsWith('"') || raw.startsWith("'")) return raw;
  const hash = raw.search(/\s#/);
  return hash === -1 ? raw : raw.slice(0, hash).trimEnd();
}

/** A YAML scalar as a string; undefined for values that are not plain scalars (lists, blocks). */
function unquote(raw: string): string | undefined {
  if (raw === '' || raw === '|' || raw === '>' || raw.startsWith('[') || raw.startsWith('{')) return undefined;
  if (raw.length >= 2 && raw.startsWith("'") && raw.endsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    return raw.slice(1, -1).replace(/\\(["\\/])/g, '$1');
  }
  return raw;
}
