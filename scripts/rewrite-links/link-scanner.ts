// Finds every link destination in a Markdown/MDX page that the rewriter may look at, with its exact
// offsets in the original text, and nothing in the places that must never be touched.
//
// Found: inline links `[text](url "title")`, images `![alt](url)`, reference definitions
// `[label]: url`, and JSX/HTML `<Link to="url">` / `<a href="url">` with a quoted string value.
// Skipped: front matter, fenced code (``` and ~~~, also inside lists and block quotes), indented
// code, inline code spans, HTML comments `<!-- -->` and MDX comments `{/* */}`.
//
// The page is not parsed into a tree: a line pass marks code blocks and comment blocks, then an
// inline pass runs over each remaining paragraph. This keeps every other byte where it was, and it
// is fast enough for tens of thousands of pages.

import { readFrontMatter } from './front-matter';

export type LinkKind = 'link' | 'image' | 'definition' | 'jsx';

export interface FoundLink {
  kind: LinkKind;
  /** The destination exactly as written (without `<>` or quotes around it). */
  url: string;
  /** Offsets of `url` in the page text: text.slice(start, end) === url. */
  start: number;
  end: number;
  /** 1-based line of the destination. */
  line: number;
  /** For `link` and `image`: the destination was written as `<url>`. */
  angleBrackets?: boolean;
}

interface Line {
  start: number;
  /** End of the content, before `\r\n` or `\n`. */
  end: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    if (newline === -1) {
      lines.push({ start, end: text.length });
      break;
    }
    const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
    lines.push({ start, end });
    start = newline + 1;
  }
  return lines;
}

/** Columns of leading whitespace (a tab advances to the next multiple of 4) and its length in characters. */
function indentation(text: string, from: number, to: number): { columns: number; chars: number } {
  let columns = 0;
  let index = from;
  while (index < to) {
    const code = text.charCodeAt(index);
    if (code === 32) columns += 1;
    else if (code === 9) columns += 4 - (columns % 4);
    else break;
    index += 1;
  }
  return { columns, chars: index - from };
}

/** Skips block-quote markers (`> `), returning the offset where the line's content starts. */
function skipBlockQuotes(text: string, start: number, end: number): number {
  let index = start;
  for (;;) {
    const { columns, chars } = indentation(text, index, end);
    if (columns > 3 || text.charCodeAt(index + chars) !== 62 /* > */) return index;
    index += chars + 1;
    if (text.charCodeAt(index) === 32) index += 1;
  }
}

const FENCE = /^(`{3,}|~{3,})(.*)$/;
const LIST_ITEM = /^([-+*]|\d{1,9}[.)])([ \t]+|$)/;

/**
 * Groups of consecutive prose lines (paragraph-like runs), as [start, end) ranges of the text.
 * Code blocks, comment blocks and front matter are left out.
 */
export function proseRanges(text: string): Array<[number, number]> {
  const lines = splitLines(text);
  const frontMatterEnd = readFrontMatter(text).end;
  const ranges: Array<[number, number]> = [];
  let groupStart = -1;
  let groupEnd = -1;
  const closeGroup = () => {
    if (groupStart !== -1) ranges.push([groupStart, groupEnd]);
    groupStart = -1;
  };

  let fence: { char: string; length: number } | null = null;
  let inComment: 'html' | 'mdx' | null = null;
  let inIndentedCode = false;
  /** Content column of the innermost list item seen, 0 outside lists. */
  let listIndent = 0;
  /** The previous line continues a paragraph (so it cannot be followed by indented code). */
  let paragraphOpen = false;
  let previousBlank = true;

  for (const line of lines) {
    if (line.start < frontMatterEnd) continue;
    const contentStart = skipBlockQuotes(text, line.start, line.end);
    const { columns, chars } = indentation(text, contentStart, line.end);
    const body = text.slice(contentStart + chars, line.end);
    const blank = body.length === 0;

    if (fence) {
      const closing = FENCE.exec(body);
      if (closing && closing[1]![0] === fence.char && closing[1]!.length >= fence.length && closing[2]!.trim() === '') {
        fence = null;
      }
      continue;
    }
    if (inComment) {
      const closer = inComment === 'html' ? '-->' : '*/}';
      if (body.includes(closer)) inComment = null;
      continue;
    }
    if (blank) {
      closeGroup();
      previousBlank = true;
      paragraphOpen = false;
      continue;
    }
    // Leaving a list: a line indented less than the list's content after a blank line.
    if (previousBlank && listIndent > 0 && columns < listIndent && !LIST_ITEM.test(body)) listIndent = 0;
    const codeIndent = listIndent + 4;

    if (inIndentedCode && columns >= codeIndent) {
      previousBlank = false;
      continue;
    }
    inIndentedCode = false;
    if (columns >= codeIndent && !paragraphOpen) {
      closeGroup();
      inIndentedCode = true;
      previousBlank = false;
      continue;
    }

    const fenceOpen = FENCE.exec(body);
    if (fenceOpen && !(fenceOpen[1]![0] === '`' && fenceOpen[2]!.includes('`'))) {
      closeGroup();
      fence = { char: fenceOpen[1]![0]!, length: fenceOpen[1]!.length };
      paragraphOpen = false;
      previousBlank = false;
      continue;
    }
    if (body.startsWith('<!--') || body.startsWith('{/*')) {
      const closer = body.startsWith('<!--') ? '-->' : '*/}';
      if (!body.includes(closer, 4)) {
        closeGroup();
        inComment = body.startsWith('<!--') ? 'html' : 'mdx';
        paragraphOpen = false;
        previousBlank = false;
        continue;
      }
    }

    const listItem = LIST_ITEM.exec(body);
    if (listItem) {
      const spaces = listItem[2]!.length;
      listIndent = columns + listItem[1]!.length + (spaces === 0 || spaces > 4 ? 1 : spaces);
      closeGroup();
    }
    const heading = body.startsWith('#');
    if (heading) closeGroup();

    if (groupStart === -1) groupStart = line.start;
    groupEnd = line.end;
    paragraphOpen = !heading;
    previousBlank = false;
    if (heading) closeGroup();
  }
  closeGroup();
  return ranges;
}

/** Replaces code spans and comments inside one prose range with spaces (offsets are kept). */
function maskInline(chunk: string): string {
  if (chunk.indexOf('`') === -1 && chunk.indexOf('<!--') === -1 && chunk.indexOf('{/*') === -1) return chunk;
  let out = '';
  let copied = 0;
  const blank = (from: number, to: number) => {
    out += chunk.slice(copied, from) + chunk.slice(from, to).replace(/[^\r\n]/g, ' ');
    copied = to;
  };
  const special = /[\\`<{]/g;
  for (let match = special.exec(chunk); match; match = special.exec(chunk)) {
    const index = match.index;
    const char = chunk[index];
    if (char === '\\') {
      special.lastIndex = index + 2;
    } else if (char === '`') {
      let run = 1;
      while (chunk[index + run] === '`') run += 1;
      const closing = findBacktickRun(chunk, index + run, run);
      if (closing === -1) {
        special.lastIndex = index + run;
      } else {
        blank(index, closing + run);
        special.lastIndex = closing + run;
      }
    } else if (chunk.startsWith('<!--', index) || chunk.startsWith('{/*', index)) {
      const closer = char === '<' ? '-->' : '*/}';
      const close = chunk.indexOf(closer, index + 3);
      const end = close === -1 ? chunk.length : close + 3;
      blank(index, end);
      special.lastIndex = end;
    }
  }
  return out + chunk.slice(copied);
}

function findBacktickRun(chunk: string, from: number, length: number): number {
  let index = chunk.indexOf('`', from);
  while (index !== -1) {
    let run = 1;
    while (chunk[index + run] === '`') run += 1;
    if (run === length) return index;
    index = chunk.indexOf('`', index + run);
  }
  return -1;
}

function isEscaped(text: string, index: number): boolean {
  let backslashes = 0;
  for (let i = index - 1; i >= 0 && text[i] === '\\'; i -= 1) backslashes += 1;
  return backslashes % 2 === 1;
}

interface Destination {
  start: number;
  end: number;
  angleBrackets: boolean;
}

/** Parses `(dest "title")` starting at the `(`; returns the destination's range or null. */
function parseInlineDestination(text: string, open: number): Destination | null {
  let index = open + 1;
  while (text[index] === ' ' || text[index] === '\t') index += 1;
  if (text[index] === '\r') index += 1;
  if (text[index] === '\n') index += 1;
  while (text[index] === ' ' || text[index] === '\t') index += 1;
  let destination: Destination;
  if (text[index] === '<') {
    const start = index + 1;
    let end = start;
    while (end < text.length && text[end] !== '>' && text[end] !== '\n') {
      if (text[end] === '<' && !isEscaped(text, end)) return null;
      end += 1;
    }
    if (text[end] !== '>' || isEscaped(text, end)) return null;
    destination = { start, end, angleBrackets: true };
    index = end + 1;
  } else {
    const start = index;
    let depth = 0;
    while (index < text.length) {
      const char = text[index]!;
      if (char === '\\') {
        index += 2;
        continue;
      }
      if (char === '(') depth += 1;
      else if (char === ')') {
        if (depth === 0) break;
        depth -= 1;
      } else if (char <= ' ') break;
      index += 1;
    }
    destination = { start, end: index, angleBrackets: false };
  }
  while (index < text.length && /\s/.test(text[index]!)) index += 1;
  const quote = text[index];
  if (quote === '"' || quote === "'" || quote === '(') {
    const closer = quote === '(' ? ')' : quote;
    index += 1;
    while (index < text.length && !(text[index] === closer && !isEscaped(text, index))) index += 1;
    if (index >= text.length) return null;
    index += 1;
    while (index < text.length && /\s/.test(text[index]!)) index += 1;
  }
  return text[index] === ')' ? destination : null;
}

const DEFINITION = /^( {0,3})\[((?:[^\]\\]|\\.)+)\]:[ \t]*(?:\r?\n[ \t]*)?(<[^>\n]*>|\S+)/;
const JSX_TAG = /<(Link|a)(?=[\s/>])/g;

function scanChunk(text: string, start: number, end: number, found: Omit<FoundLink, 'line'>[]): void {
  const original = text.slice(start, end);
  const masked = maskInline(original);

  // Reference definitions: at the start of a line of the paragraph (block quotes allowed).
  let lineStart = 0;
  while (lineStart <= masked.length) {
    const newline = masked.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? masked.length : newline;
    let first = lineStart;
    while (masked[first] === ' ' || masked[first] === '>') first += 1;
    const quoteSkip = masked[first] === '[' ? /^(?: {0,3}> ?)*/.exec(masked.slice(lineStart, lineEnd))![0].length : -1;
    const match = quoteSkip === -1 ? null : DEFINITION.exec(masked.slice(lineStart + quoteSkip, lineEnd + 200));
    if (match) {
      const raw = match[3]!;
      const rawStart = lineStart + quoteSkip + match.index + match[0].length - raw.length;
      const angle = raw.startsWith('<');
      const urlStart = angle ? rawStart + 1 : rawStart;
      const urlEnd = angle ? rawStart + raw.length - 1 : rawStart + raw.length;
      found.push({ kind: 'definition', url: original.slice(urlStart, urlEnd), start: start + urlStart, end: start + urlEnd, angleBrackets: angle });
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }

  // Inline links and images: match each `](` with its opening bracket.
  const openers: number[] = [];
  const brackets = /[[\]]/g;
  if (masked.indexOf('](') === -1) brackets.lastIndex = masked.length;
  for (let bracket = brackets.exec(masked); bracket; bracket = brackets.exec(masked)) {
    const index = bracket.index;
    const char = bracket[0];
    if (char === '[' && !isEscaped(masked, index)) openers.push(index);
    else if (char === ']' && !isEscaped(masked, index) && openers.length > 0) {
      const opener = openers.pop()!;
      if (masked[index + 1] !== '(') continue;
      const destination = parseInlineDestination(masked, index + 1);
      if (!destination) continue;
      const image = opener > 0 && masked[opener - 1] === '!' && !isEscaped(masked, opener - 1);
      found.push({
        kind: image ? 'image' : 'link',
        url: original.slice(destination.start, destination.end),
        start: start + destination.start,
        end: start + destination.end,
        angleBrackets: destination.angleBrackets,
      });
      // Links cannot contain links: every earlier opener is now plain text.
      if (!image) openers.length = 0;
    }
  }

  // JSX and HTML: <Link to="..."> and <a href="...">.
  JSX_TAG.lastIndex = 0;
  for (let match = JSX_TAG.exec(masked); match; match = JSX_TAG.exec(masked)) {
    let index = match.index + match[0].length;
    for (;;) {
      while (index < masked.length && /\s/.test(masked[index]!)) index += 1;
      const char = masked[index];
      if (char === undefined || char === '>' || char === '/' || char === '<') break;
      const name = /^[A-Za-z_:][-\w:.]*/.exec(masked.slice(index, index + 64));
      if (!name) break;
      index += name[0].length;
      if (masked[index] !== '=') continue;
      index += 1;
      const quote = masked[index];
      if (quote === '"' || quote === "'") {
        const close = masked.indexOf(quote, index + 1);
        if (close === -1) break;
        const attribute = name[0];
        if (attribute === 'href' || (attribute === 'to' && match[1] === 'Link')) {
          found.push({ kind: 'jsx', url: original.slice(index + 1, close), start: start + index + 1, end: start + close });
        }
        index = close + 1;
      } else if (quote === '{') {
        let depth = 0;
        while (index < masked.length) {
          if (masked[index] === '{') depth += 1;
          else if (masked[index] === '}' && --depth === 0) break;
          index += 1;
        }
        index += 1;
      } else {
        while (index < masked.length && !/[\s>]/.test(masked[index]!)) index += 1;
      }
    }
  }
}

/** Every link destination of the page, in text order. */
export function findLinks(text: string): FoundLink[] {
  const found: Omit<FoundLink, 'line'>[] = [];
  for (const [start, end] of proseRanges(text)) scanChunk(text, start, end, found);
  found.sort((a, b) => a.start - b.start);
  // Line numbers, counted once over the text.
  const result: FoundLink[] = [];
  let line = 1;
  let position = 0;
  for (const link of found) {
    for (let i = text.indexOf('\n', position); i !== -1 && i < link.start; i = text.indexOf('\n', i + 1)) {
      line += 1;
      position = i + 1;
    }
    result.push({ ...link, line });
  }
  return result;
}
