/**
 * Just enough of the bash grammar to know where each `{{NAME}}` placeholder sits: outside quotes,
 * inside '...' or "...", in a here-document, in a comment. The place decides how a value is quoted
 * on the page and how the exported script refers to the variable.
 */

/**
 * - `plain`: outside quotes (also inside `$(...)`)
 * - `single`: inside '...'
 * - `double`: inside "..."
 * - `heredoc`: in the body of a here-document whose delimiter is unquoted (`<<EOF`)
 * - `heredoc-literal`: in the body of a here-document with a quoted delimiter (`<<'EOF'`)
 * - `comment`: after `#`
 * - `ansi`: inside $'...'
 * - `backtick`: inside `...`
 * - `parameter`: inside ${...}
 */
export type QuoteContext =
  | 'plain'
  | 'single'
  | 'double'
  | 'heredoc'
  | 'heredoc-literal'
  | 'comment'
  | 'ansi'
  | 'backtick'
  | 'parameter';

/** Where a placeholder may not go, and what to write instead. */
export const UNSUPPORTED_CONTEXTS: Readonly<Partial<Record<QuoteContext, string>>> = {
  'heredoc-literal':
    "inside a here-document with a quoted delimiter (<<'EOF'), where the exported script cannot expand it; use an unquoted delimiter (<<EOF) and escape any $, ` and \\ in the body",
  ansi: "inside $'...'; close the quotes around it",
  backtick: 'inside backticks; use $(...) instead',
  parameter: 'inside ${...}',
};

export interface PlaceholderUse {
  name: string;
  /** Offsets into the command: `command.slice(start, end) === '{{NAME}}'`. */
  start: number;
  end: number;
  context: QuoteContext;
  /** For placeholders inside '...': where the quoted text starts and ends (quotes excluded). */
  quoted?: { start: number; end: number };
}

const PLACEHOLDER = /\{\{([A-Z][A-Z0-9_]*)\}\}/y;
const PLACEHOLDER_GLOBAL = /\{\{([A-Z][A-Z0-9_]*)\}\}/g;

type Frame = { kind: 'plain' } | { kind: 'subst'; depth: number } | { kind: 'double' } | { kind: 'backtick' } | { kind: 'parameter' };

interface PendingHeredoc {
  delimiter: string;
  literal: boolean;
  stripTabs: boolean;
}

const WORD_BREAK = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);

/** Every `{{NAME}}` in a command, in order, with the quoting around it. */
export function findPlaceholders(command: string): PlaceholderUse[] {
  return new PlaceholderScanner(command).scan();
}

const contextOf = (frame: Frame): QuoteContext => (frame.kind === 'subst' ? 'plain' : frame.kind === 'double' ? 'double' : frame.kind);

/**
 * Reads a here-document operator's delimiter word starting at `from` (just after `<<`): the heredoc it
 * opens (its body starts on the next line) and where the word ends.
 */
function readHeredocOperator(command: string, from: number): { heredoc?: PendingHeredoc; end: number } {
  let position = from;
  let stripTabs = false;
  if (command[position] === '-') {
    stripTabs = true;
    position += 1;
  }
  while (command[position] === ' ' || command[position] === '\t') position += 1;
  let word = '';
  let literal = false;
  while (position < command.length && !WORD_BREAK.has(command[position]!)) {
    const char = command[position]!;
    if (char === "'" || char === '"') {
      literal = true;
      const close = command.indexOf(char, position + 1);
      const end = close === -1 ? command.length : close;
      word += command.slice(position + 1, end);
      position = end + 1;
    } else if (char === '\\') {
      literal = true;
      word += command[position + 1] ?? '';
      position += 2;
    } else {
      word += char;
      position += 1;
    }
  }
  return { heredoc: word ? { delimiter: word, literal, stripTabs } : undefined, end: position };
}

/** One pass over a command, keeping a stack of the quoting frames it is inside. */
class PlaceholderScanner {
  private readonly uses: PlaceholderUse[] = [];
  private readonly stack: Frame[] = [{ kind: 'plain' }];
  private pending: PendingHeredoc[] = [];
  private i = 0;

  constructor(private readonly command: string) {}

  scan(): PlaceholderUse[] {
    while (this.i < this.command.length) {
      const frame = this.stack[this.stack.length - 1]!;
      if (this.placeholderAt(frame)) continue;
      if (frame.kind === 'double') this.stepDouble();
      else if (frame.kind === 'parameter') this.stepParameter();
      else this.stepUnquoted(frame); // plain, subst and backtick frames follow the unquoted rules
    }
    return this.uses;
  }

  /** Records the placeholder starting here, if any, in the current frame's context. */
  private placeholderAt(frame: Frame): boolean {
    if (this.command[this.i] !== '{' || this.command[this.i + 1] !== '{') return false;
    PLACEHOLDER.lastIndex = this.i;
    const match = PLACEHOLDER.exec(this.command);
    if (!match) return false;
    this.uses.push({ name: match[1]!, start: this.i, end: this.i + match[0].length, context: contextOf(frame) });
    this.i += match[0].length;
    return true;
  }

  /** Records every placeholder in `command[from, to)`, all in one context. */
  private collect(from: number, to: number, context: QuoteContext): void {
    for (const match of this.command.slice(from, to).matchAll(PLACEHOLDER_GLOBAL)) {
      const start = from + match.index;
      const use: PlaceholderUse = { name: match[1]!, start, end: start + match[0].length, context };
      if (context === 'single') use.quoted = { start: from, end: to };
      this.uses.push(use);
    }
  }

  /** Enters `$(`, `${` or a backtick when one starts here; returns whether it did. */
  private openNested(): boolean {
    const char = this.command[this.i];
    const next = this.command[this.i + 1];
    if (char === '`') {
      this.stack.push({ kind: 'backtick' });
      this.i += 1;
    } else if (char === '$' && next === '(') {
      this.stack.push({ kind: 'subst', depth: 0 });
      this.i += 2;
    } else if (char === '$' && next === '{') {
      this.stack.push({ kind: 'parameter' });
      this.i += 2;
    } else return false;
    return true;
  }

  private stepDouble(): void {
    const char = this.command[this.i];
    if (char === '\\') this.i += 2;
    else if (char === '"') {
      this.stack.pop();
      this.i += 1;
    } else if (!this.openNested()) this.i += 1;
  }

  private stepParameter(): void {
    const char = this.command[this.i];
    if (char === '\\') this.i += 2;
    else {
      if (char === '}') this.stack.pop();
      this.i += 1;
    }
  }

  private stepUnquoted(frame: Frame): void {
    const { command, i } = this;
    const char = command[i]!;
    const next = command[i + 1];
    if (char === '\n') this.i = this.pending.length ? this.readHeredocBodies(i + 1) : i + 1;
    else if (char === '\\') this.i += 2;
    else if (char === '$' && next === "'") this.skipSingleQuoted(i + 2, true, 'ansi');
    else if (char === "'") this.skipSingleQuoted(i + 1, false, 'single');
    else if (char === '"') {
      this.stack.push({ kind: 'double' });
      this.i += 1;
    } else if (char === '`' && frame.kind === 'backtick') {
      this.stack.pop();
      this.i += 1;
    } else if (this.openNested()) return;
    else if (frame.kind === 'subst' && (char === '(' || char === ')')) this.stepParenthesis(frame, char);
    else if (char === '#' && startsWord(command, i)) this.skipComment();
    // `<<<` is a here-string, not a here-document.
    else if (char === '<' && next === '<') this.i = command[i + 2] === '<' ? i + 3 : this.openHeredoc(i + 2);
    else this.i += 1;
  }

  private stepParenthesis(frame: Extract<Frame, { kind: 'subst' }>, char: '(' | ')'): void {
    if (char === '(') frame.depth += 1;
    else if (frame.depth > 0) frame.depth -= 1;
    else this.stack.pop();
    this.i += 1;
  }

  /** '...' or $'...' starting at `from` (after the opening quote). */
  private skipSingleQuoted(from: number, backslashEscapes: boolean, context: 'single' | 'ansi'): void {
    const end = closingQuote(this.command, from, backslashEscapes);
    this.collect(from, end, context);
    this.i = end + 1;
  }

  private skipComment(): void {
    const newline = this.command.indexOf('\n', this.i);
    const end = newline === -1 ? this.command.length : newline;
    this.collect(this.i + 1, end, 'comment');
    this.i = end;
  }

  private openHeredoc(from: number): number {
    const { heredoc, end } = readHeredocOperator(this.command, from);
    if (heredoc) this.pending.push(heredoc);
    return end;
  }

  /** Reads the bodies of the here-documents opened on the line that just ended; returns where to go on. */
  private readHeredocBodies(from: number): number {
    let position = from;
    for (const heredoc of this.pending) {
      while (position < this.command.length) {
        const newline = this.command.indexOf('\n', position);
        const lineEnd = newline === -1 ? this.command.length : newline;
        const lineStart = position;
        const line = this.command.slice(lineStart, lineEnd);
        position = lineEnd + 1;
        if ((heredoc.stripTabs ? line.replace(/^\t+/, '') : line) === heredoc.delimiter) break;
        this.collect(lineStart, lineEnd, heredoc.literal ? 'heredoc-literal' : 'heredoc');
      }
    }
    this.pending = [];
    return position;
  }
}

function closingQuote(command: string, from: number, backslashEscapes: boolean): number {
  for (let i = from; i < command.length; i += 1) {
    if (backslashEscapes && command[i] === '\\') i += 1;
    else if (command[i] === "'") return i;
  }
  return command.length;
}

function startsWord(command: string, index: number): boolean {
  return index === 0 || WORD_BREAK.has(command[index - 1]!);
}

/** Characters a value may hold and still go into a command unquoted. */
const SAFE_WORD = /^[A-Za-z0-9._\-/:@=+,]+$/;

export function isSafeWord(value: string): boolean {
  return SAFE_WORD.test(value);
}

/** Single-quotes a value for bash: `it's` → `'it'\''s'`. */
export function singleQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The value as one shell word: unchanged when it holds only safe characters, single-quoted otherwise. */
export function shellQuote(value: string): string {
  return isSafeWord(value) ? value : singleQuote(value);
}

/** The text that stands for a value at a placeholder, so that the shell reads exactly the value. */
export function quoteValueFor(context: QuoteContext, value: string): string {
  switch (context) {
    case 'single':
      // Inside '...' every character is literal except the quote itself.
      return value.replace(/'/g, `'\\''`);
    case 'double':
      // Close the double quotes, add the value single-quoted, reopen: nothing in it expands.
      return isSafeWord(value) ? value : `"${singleQuote(value)}"`;
    case 'heredoc':
      return value.replace(/[\\$`]/g, (char) => `\\${char}`);
    case 'heredoc-literal':
    case 'comment':
      return value;
    default:
      return shellQuote(value);
  }
}

/** How the exported script refers to a variable at a placeholder. */
export function variableReferenceFor(context: QuoteContext, name: string): string {
  switch (context) {
    case 'single':
      return `'"\${${name}}"'`;
    case 'double':
    case 'heredoc':
    case 'heredoc-literal':
    case 'comment':
      return `\${${name}}`;
    default:
      return `"\${${name}}"`;
  }
}

/** What a placeholder becomes, and the span it replaces (by default exactly `{{NAME}}`). */
export interface Splice<T> {
  part: T;
  start?: number;
  end?: number;
}

/**
 * Cuts a command at its placeholders: the literal text between them through `literal`, each
 * placeholder through `replace`, in order. The one loop the page, the script and the playbook share.
 */
export function spliceCommand<T>(command: string, replace: (use: PlaceholderUse) => Splice<T>, literal: (text: string) => T): T[] {
  const parts: T[] = [];
  let position = 0;
  for (const use of findPlaceholders(command)) {
    const splice = replace(use);
    const start = splice.start ?? use.start;
    if (start > position) parts.push(literal(command.slice(position, start)));
    parts.push(splice.part);
    position = splice.end ?? use.end;
  }
  if (position < command.length) parts.push(literal(command.slice(position)));
  return parts;
}
