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
  const uses: PlaceholderUse[] = [];
  const stack: Frame[] = [{ kind: 'plain' }];
  let pending: PendingHeredoc[] = [];
  let i = 0;

  const collect = (from: number, to: number, context: QuoteContext): void => {
    for (const match of command.slice(from, to).matchAll(PLACEHOLDER_GLOBAL)) {
      const start = from + match.index;
      const use: PlaceholderUse = { name: match[1]!, start, end: start + match[0].length, context };
      if (context === 'single') use.quoted = { start: from, end: to };
      uses.push(use);
    }
  };

  const contextOf = (frame: Frame): QuoteContext =>
    frame.kind === 'subst' ? 'plain' : frame.kind === 'double' ? 'double' : frame.kind;

  /** Reads the bodies of the here-documents opened on the line that just ended; returns where to go on. */
  const readHeredocBodies = (from: number): number => {
    let position = from;
    for (const heredoc of pending) {
      while (position < command.length) {
        const newline = command.indexOf('\n', position);
        const lineEnd = newline === -1 ? command.length : newline;
        const line = command.slice(position, lineEnd);
        const compared = heredoc.stripTabs ? line.replace(/^\t+/, '') : line;
        if (compared === heredoc.delimiter) {
          position = lineEnd + 1;
          break;
        }
        collect(position, lineEnd, heredoc.literal ? 'heredoc-literal' : 'heredoc');
        position = lineEnd + 1;
      }
    }
    pending = [];
    return position;
  };

  /** Reads a here-document operator's delimiter word starting at `from`; returns where the word ends. */
  const readHeredocOperator = (from: number): number => {
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
    if (word) pending.push({ delimiter: word, literal, stripTabs });
    return position;
  };

  while (i < command.length) {
    const frame = stack[stack.length - 1]!;
    const char = command[i]!;
    const next = command[i + 1];

    if (char === '{' && next === '{') {
      PLACEHOLDER.lastIndex = i;
      const match = PLACEHOLDER.exec(command);
      if (match) {
        uses.push({ name: match[1]!, start: i, end: i + match[0].length, context: contextOf(frame) });
        i += match[0].length;
        continue;
      }
    }

    if (frame.kind === 'double') {
      if (char === '\\') i += 2;
      else if (char === '"') {
        stack.pop();
        i += 1;
      } else if (char === '`') {
        stack.push({ kind: 'backtick' });
        i += 1;
      } else if (char === '$' && next === '(') {
        stack.push({ kind: 'subst', depth: 0 });
        i += 2;
      } else if (char === '$' && next === '{') {
        stack.push({ kind: 'parameter' });
        i += 2;
      } else i += 1;
      continue;
    }

    if (frame.kind === 'parameter') {
      if (char === '\\') i += 2;
      else if (char === '}') {
        stack.pop();
        i += 1;
      } else i += 1;
      continue;
    }

    // plain, subst and backtick frames follow the unquoted rules.
    if (char === '\n') {
      i = pending.length ? readHeredocBodies(i + 1) : i + 1;
    } else if (char === '\\') {
      i += 2;
    } else if (char === '$' && next === "'") {
      const end = closingQuote(command, i + 2, true);
      collect(i + 2, end, 'ansi');
      i = end + 1;
    } else if (char === "'") {
      const end = closingQuote(command, i + 1, false);
      collect(i + 1, end, 'single');
      i = end + 1;
    } else if (char === '"') {
      stack.push({ kind: 'double' });
      i += 1;
    } else if (char === '`') {
      if (frame.kind === 'backtick') stack.pop();
      else stack.push({ kind: 'backtick' });
      i += 1;
    } else if (char === '$' && next === '(') {
      stack.push({ kind: 'subst', depth: 0 });
      i += 2;
    } else if (char === '$' && next === '{') {
      stack.push({ kind: 'parameter' });
      i += 2;
    } else if (char === '(' && frame.kind === 'subst') {
      frame.depth += 1;
      i += 1;
    } else if (char === ')' && frame.kind === 'subst') {
      if (frame.depth > 0) frame.depth -= 1;
      else stack.pop();
      i += 1;
    } else if (char === '#' && startsWord(command, i)) {
      const newline = command.indexOf('\n', i);
      const end = newline === -1 ? command.length : newline;
      collect(i + 1, end, 'comment');
      i = end;
    } else if (char === '<' && next === '<') {
      // `<<<` is a here-string, not a here-document.
      i = command[i + 2] === '<' ? i + 3 : readHeredocOperator(i + 2);
    } else {
      i += 1;
    }
  }
  return uses;
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

/** Replaces every placeholder with `replace(use)`; the rest of the command is kept as written. */
export function replacePlaceholders(command: string, replace: (use: PlaceholderUse) => string): string {
  let result = '';
  let position = 0;
  for (const use of findPlaceholders(command)) {
    result += command.slice(position, use.start) + replace(use);
    position = use.end;
  }
  return result + command.slice(position);
}
