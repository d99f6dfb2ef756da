/**
 * Splits a step's command (bash) into the simple commands it runs, each as a list of words, so the
 * checkers can read `spacetime publish --server X` as the argv the program receives.
 *
 * Understood: pipes and lists (`|`, `&&`, `||`, `;`, `&`, new lines), subshells and groups (`( )`,
 * `{ }`), command and process substitution (`$( )`, backticks, `<( )`, `>( )`: the commands inside are
 * found too), line continuations, quotes (`'…'`, `"…"`, `$'…'`), parameter and arithmetic expansion,
 * `NAME=value` prefixes, redirections and here-documents, `if`/`while`/`until`/`for`/`case` and function
 * definitions, comments, and the runbook placeholders `{{NAME}}`. It is a reader for checking, not an
 * interpreter: nothing is expanded, and a word keeps its expansions as opaque parts.
 */

/** A piece of a word: literal text (quotes removed), a runbook placeholder, or a shell expansion. */
export type WordPart =
  | { kind: 'text'; text: string }
  | { kind: 'placeholder'; name: string }
  | { kind: 'expansion'; text: string };

export interface Word {
  parts: WordPart[];
  /** The word as written. */
  raw: string;
}

export interface HereDocument {
  delimiter: string;
  /** The delimiter was quoted (`<<'EOF'`): the body is taken literally. */
  quoted: boolean;
  body: string;
  /** Line (1-based, in the parsed text) of the body's first line. */
  line: number;
}

export interface SimpleCommand {
  /** The argv: `NAME=value` prefixes and redirections removed. Empty for a bare assignment. */
  words: Word[];
  /** `NAME=value` words written before the command name. */
  assignments: Word[];
  /** Line (1-based, in the parsed text) where the command starts. */
  line: number;
  /** Commands joined by `|` share a pipeline id; `position` is the place in that pipeline. */
  pipeline: number;
  position: number;
  hereDocuments: HereDocument[];
}

export interface ParsedScript {
  /** Every simple command, in the order they start, including those inside substitutions. */
  commands: SimpleCommand[];
}

const RESERVED_PREFIXES = new Set(['if', 'then', 'elif', 'else', 'while', 'until', 'do', '!', '{', 'time']);
const RESERVED_ENDS = new Set(['fi', 'done', '}', 'esac']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/;
const PLACEHOLDER = /^\{\{([A-Z][A-Z0-9_]*)\}\}/;

/** Where a nested parse stops. */
type Stop = 'end' | ')' | 'case-item';

export function parseScript(text: string, firstLine = 1): ParsedScript {
  const parser = new ScriptParser(text, firstLine);
  parser.parseSequence('end');
  return { commands: parser.commands.sort((a, b) => a.line - b.line) };
}

/** The word's text when it holds no placeholder and no expansion, else null. */
export function literal(word: Word): string | null {
  let text = '';
  for (const part of word.parts) {
    if (part.kind !== 'text') return null;
    text += part.text;
  }
  return text;
}

/** The literal text of `words[index]`, or null when there is no such word or it is not literal. */
export function literalAt(words: readonly Word[], index: number): string | null {
  const word = words[index];
  return word ? literal(word) : null;
}

/** The literal text a word starts with (up to its first placeholder or expansion). */
export function literalPrefix(word: Word): string {
  let text = '';
  for (const part of word.parts) {
    if (part.kind !== 'text') break;
    text += part.text;
  }
  return text;
}

/** The word for messages: literal text as is, placeholders as `{{NAME}}`, expansions as written. */
export function display(word: Word): string {
  return word.parts.map((part) => (part.kind === 'text' ? part.text : part.kind === 'placeholder' ? `{{${part.name}}}` : part.text)).join('');
}

/** A command for messages: its words, separated by spaces (quoting as written). */
export function commandText(command: SimpleCommand): string {
  return [...command.assignments, ...command.words].map((word) => word.raw).join(' ');
}

/**
 * The text a nested shell would read from a word (the argument of `sh -c`, the remote command of
 * `ssh`): literal text as is, placeholders kept as `{{NAME}}`, expansions kept as written.
 */
export function scriptFromWords(words: Word[]): string {
  return words.map(display).join(' ');
}

class ScriptParser {
  readonly commands: SimpleCommand[] = [];
  private pos = 0;
  private pipelineCounter = 0;
  private pendingHereDocuments: { heredoc: HereDocument; stripTabs: boolean }[] = [];
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly text: string,
    private readonly firstLine: number,
    private readonly shared?: { commands: SimpleCommand[]; nextPipeline: () => number },
  ) {
    for (let i = 0; i < text.length; i += 1) if (text[i] === '\n') this.lineStarts.push(i + 1);
    if (shared) this.commands = shared.commands;
  }

  private lineAt(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return this.firstLine + low;
  }

  private newPipeline(): number {
    if (this.shared) return this.shared.nextPipeline();
    this.pipelineCounter += 1;
    return this.pipelineCounter;
  }

  private peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }

  private startsWith(value: string): boolean {
    return this.text.startsWith(value, this.pos);
  }

  /** Skips spaces, tabs and line continuations (not new lines). */
  private skipBlanks(): void {
    for (;;) {
      const char = this.peek();
      if (char === ' ' || char === '\t' || char === '\r') this.pos += 1;
      else if (char === '\\' && this.peek(1) === '\n') this.pos += 2;
      else return;
    }
  }

  private skipComment(): void {
    while (this.pos < this.text.length && this.peek() !== '\n') this.pos += 1;
  }

  /** After a new line: the bodies of the here-documents opened on the line that ended. */
  private readHereDocumentBodies(): void {
    const pending = this.pendingHereDocuments;
    this.pendingHereDocuments = [];
    for (const { heredoc, stripTabs } of pending) {
      const bodyStart = this.pos;
      heredoc.line = this.lineAt(bodyStart);
      const lines: string[] = [];
      while (this.pos < this.text.length) {
        const newline = this.text.indexOf('\n', this.pos);
        const end = newline === -1 ? this.text.length : newline;
        const line = this.text.slice(this.pos, end);
        this.pos = newline === -1 ? end : end + 1;
        if ((stripTabs ? line.replace(/^\t+/, '') : line) === heredoc.delimiter) break;
        lines.push(stripTabs ? line.replace(/^\t+/, '') : line);
      }
      heredoc.body = lines.join('\n');
    }
  }

  /**
   * Lists of pipelines until `stop`: the end of the text, a `)` (consumed), or, inside `case`, the
   * `;;` that ends an item or the `esac` that ends the statement (neither consumed).
   */
  parseSequence(stop: Stop): void {
    for (;;) {
      this.skipBlanks();
      if (this.pos >= this.text.length) return;
      const char = this.peek();
      if (char === '#') {
        this.skipComment();
        continue;
      }
      if (char === '\n') {
        this.pos += 1;
        if (this.pendingHereDocuments.length) this.readHereDocumentBodies();
        continue;
      }
      if (char === ')') {
        // Ends a subshell or substitution; elsewhere an unbalanced ")" is stepped over.
        this.pos += 1;
        if (stop === ')') return;
        continue;
      }
      if (stop === 'case-item' && (this.startsWith(';;') || this.atKeyword('esac'))) return;
      if (char === ';' || char === '&' || char === '|') {
        this.pos += this.startsWith('&&') || this.startsWith('||') || this.startsWith(';;') ? 2 : 1;
        continue;
      }
      this.parsePipeline();
    }
  }

  private atKeyword(keyword: string): boolean {
    if (!this.startsWith(keyword)) return false;
    const after = this.text[this.pos + keyword.length] ?? '';
    return after === '' || /[\s;&|()]/.test(after);
  }

  /** Commands joined by `|` (or `|&`). */
  private parsePipeline(): void {
    const pipeline = this.newPipeline();
    let position = 0;
    for (;;) {
      this.parseCommand(pipeline, position);
      this.skipBlanks();
      if (this.peek() === '|' && this.peek(1) !== '|') {
        this.pos += this.peek(1) === '&' ? 2 : 1;
        position += 1;
        // A pipe may be followed by a new line.
        while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === '\n') this.pos += 1;
        continue;
      }
      return;
    }
  }

  /** One command of a pipeline: a subshell, an arithmetic command, a compound statement or a simple command. */
  private parseCommand(pipeline: number, position: number): void {
    this.skipBlanks();
    if (this.startsWith('((')) {
      this.skipArithmetic(this.pos + 2);
      return;
    }
    if (this.peek() === '(') {
      this.pos += 1;
      this.parseSequence(')');
      this.skipRedirectionsAfterCompound(pipeline, position);
      return;
    }
    this.parseSimpleCommand(pipeline, position);
  }

  /** Redirections written after `)` of a subshell: read them so their targets are not taken as commands. */
  private skipRedirectionsAfterCompound(pipeline: number, position: number): void {
    const sink: SimpleCommand = { words: [], assignments: [], line: 0, pipeline, position, hereDocuments: [] };
    for (;;) {
      this.skipBlanks();
      if (!this.readRedirection(sink)) return;
    }
  }

  private parseSimpleCommand(pipeline: number, position: number): void {
    const command: SimpleCommand = {
      words: [],
      assignments: [],
      line: this.lineAt(this.pos),
      pipeline,
      position,
      hereDocuments: [],
    };
    for (;;) {
      this.skipBlanks();
      if (this.pos >= this.text.length) break;
      const char = this.peek();
      if (char === '\n' || char === ';' || char === ')' || char === '|') break;
      if (char === '&' && this.peek(1) !== '>') break;
      if (char === '#' && this.atWordStart()) {
        this.skipComment();
        break;
      }
      if (this.readRedirection(command)) continue;
      if (char === '(' && command.words.length === 1 && this.isFunctionParentheses()) {
        // `name() { ... }`: a definition; its body is parsed as the commands that follow.
        this.pos = this.text.indexOf(')', this.pos) + 1;
        command.words = [];
        command.line = this.lineAt(this.pos);
        continue;
      }
      if (char === '(') {
        // `( ... )` where a word was expected (e.g. after `&&` inside a list): a subshell.
        this.pos += 1;
        this.parseSequence(')');
        continue;
      }
      const word = this.readWord();
      if (!word) {
        this.pos += 1;
        continue;
      }
      const text = literal(word);
      // Reserved words count only where a command name would stand.
      if (command.words.length === 0 && command.assignments.length === 0 && text !== null) {
        if (RESERVED_PREFIXES.has(text)) {
          command.line = this.lineAt(this.pos);
          continue;
        }
        if (RESERVED_ENDS.has(text) || text === 'function') continue;
        if (text === 'for') {
          this.readForHeader();
          continue;
        }
        if (text === 'case') {
          this.readCase();
          return;
        }
        if (text === '[[') {
          this.readDoubleBracket(command, word);
          continue;
        }
      }
      if (command.words.length === 0 && ASSIGNMENT.test(word.raw)) {
        command.assignments.push(word);
        continue;
      }
      command.words.push(word);
    }
    if (command.words.length || command.assignments.length || command.hereDocuments.length) this.commands.push(command);
  }

  private atWordStart(): boolean {
    return this.pos === 0 || /[\s;&|()]/.test(this.text[this.pos - 1]!);
  }

  private isFunctionParentheses(): boolean {
    return /^\(\s*\)/.test(this.text.slice(this.pos, this.pos + 8));
  }

  /** `for NAME in WORDS` up to `;` or a new line: the words are values, not commands. */
  private readForHeader(): void {
    for (;;) {
      this.skipBlanks();
      const char = this.peek();
      if (char === '' || char === '\n' || char === ';') return;
      if (!this.readWord()) this.pos += 1;
    }
  }

  /** `[[ ... ]]`: its words (with `&&`, `||`, `<`, `>` as operators of the test) make one command. */
  private readDoubleBracket(command: SimpleCommand, open: Word): void {
    command.words.push(open);
    for (;;) {
      this.skipBlanks();
      if (this.pos >= this.text.length || this.peek() === '\n') return;
      if (this.startsWith(']]')) {
        this.pos += 2;
        command.words.push({ parts: [{ kind: 'text', text: ']]' }], raw: ']]' });
        return;
      }
      const operator = /^(&&|\|\||<|>|\(|\)|!)/.exec(this.text.slice(this.pos));
      if (operator) {
        this.pos += operator[0].length;
        command.words.push({ parts: [{ kind: 'text', text: operator[0] }], raw: operator[0] });
        continue;
      }
      const word = this.readWord();
      if (word) command.words.push(word);
      else this.pos += 1;
    }
  }

  /** `case WORD in PATTERN) COMMANDS ;; ... esac`. */
  private readCase(): void {
    this.skipBlanks();
    this.readWord(); // the subject
    this.skipBlanks();
    if (this.atKeyword('in')) this.pos += 2;
    for (;;) {
      while (/[\s]/.test(this.peek()) && this.pos < this.text.length) this.pos += 1;
      if (this.pos >= this.text.length) return;
      if (this.atKeyword('esac')) {
        this.pos += 4;
        return;
      }
      // The pattern list, up to the unquoted `)` that ends it.
      if (this.peek() === '(') this.pos += 1;
      while (this.pos < this.text.length && this.peek() !== ')') {
        if (!this.readWord()) this.pos += 1;
      }
      this.pos += 1;
      this.parseSequence('case-item');
      if (this.startsWith(';;&')) this.pos += 3;
      else if (this.startsWith(';;') || this.startsWith(';&')) this.pos += 2;
    }
  }

  /** A redirection at the cursor (with an optional file descriptor number before it); false if none. */
  private readRedirection(command: SimpleCommand): boolean {
    const match = /^(\d*)(<<<|<<-|<<|<>|<&|>>|>&|>\||&>>|&>|<|>)/.exec(this.text.slice(this.pos));
    if (!match) return false;
    const operator = match[2]!;
    // `<(` and `>(` are process substitutions: words, not redirections.
    if (match[1] === '' && (operator === '<' || operator === '>') && this.text[this.pos + 1] === '(') return false;
    // Digits directly before a word (`2>`) are a descriptor only when nothing separates them from the operator.
    if (match[1] !== '' && !this.atWordStart()) return false;
    this.pos += match[0].length;
    this.skipBlanks();
    if (operator === '<<' || operator === '<<-') {
      const delimiterWord = this.readWord();
      if (delimiterWord) {
        const quoted = /['"\\]/.test(delimiterWord.raw);
        const heredoc: HereDocument = { delimiter: display(delimiterWord), quoted, body: '', line: 0 };
        command.hereDocuments.push(heredoc);
        this.pendingHereDocuments.push({ heredoc, stripTabs: operator === '<<-' });
      }
      return true;
    }
    if ((operator === '>&' || operator === '<&') && /^[-\d]/.test(this.peek())) {
      while (/[-\d]/.test(this.peek())) this.pos += 1;
      return true;
    }
    this.readWord();
    return true;
  }

  /** One word at the cursor, or null when the cursor is on an operator. */
  private readWord(): Word | null {
    const start = this.pos;
    const parts: WordPart[] = [];
    const addText = (text: string): void => {
      const last = parts[parts.length - 1];
      if (last?.kind === 'text') last.text += text;
      else parts.push({ kind: 'text', text });
    };
    for (;;) {
      if (this.pos >= this.text.length) break;
      const char = this.peek();
      if (/[\s;&|)]/.test(char)) break;
      if ((char === '<' || char === '>') && this.peek(1) === '(') {
        const inner = this.readNested(this.pos + 2);
        parts.push({ kind: 'expansion', text: this.text.slice(this.pos, inner) });
        this.pos = inner;
        continue;
      }
      if (char === '<' || char === '>' || char === '(') break;
      if (char === '{' && this.peek(1) === '{' && this.takePlaceholder(parts)) continue;
      if (char === '\\') {
        if (this.peek(1) === '\n') this.pos += 2;
        else {
          addText(this.peek(1));
          this.pos += 2;
        }
        continue;
      }
      if (char === "'") {
        const end = this.text.indexOf("'", this.pos + 1);
        const close = end === -1 ? this.text.length : end;
        this.addQuotedText(parts, this.text.slice(this.pos + 1, close), addText);
        this.pos = close + 1;
        continue;
      }
      if (char === '$' && this.peek(1) === "'") {
        let i = this.pos + 2;
        let value = '';
        while (i < this.text.length && this.text[i] !== "'") {
          if (this.text[i] === '\\') {
            value += decodeAnsiEscape(this.text[i + 1] ?? '');
            i += 2;
          } else {
            value += this.text[i];
            i += 1;
          }
        }
        addText(value);
        this.pos = i + 1;
        continue;
      }
      if (char === '"') {
        this.readDoubleQuoted(parts, addText);
        continue;
      }
      if ((char === '$' || char === '`') && this.takeExpansion(parts)) continue;
      addText(char);
      this.pos += 1;
    }
    if (this.pos === start) return null;
    return { parts, raw: this.text.slice(start, this.pos) };
  }

  /** Reads the `{{NAME}}` placeholder that starts here into `parts`; false when none starts here. */
  private takePlaceholder(parts: WordPart[]): boolean {
    const match = PLACEHOLDER.exec(this.text.slice(this.pos));
    if (!match) return false;
    parts.push({ kind: 'placeholder', name: match[1]! });
    this.pos += match[0].length;
    return true;
  }

  /** Reads the `$...` or backtick expansion that starts here into `parts`; false when none starts here. */
  private takeExpansion(parts: WordPart[]): boolean {
    const end = this.readExpansion(this.pos);
    if (end <= this.pos) return false;
    parts.push({ kind: 'expansion', text: this.text.slice(this.pos, end) });
    this.pos = end;
    return true;
  }

  /** Literal text that may still hold `{{NAME}}` placeholders (inside '...' or "..."). */
  private addQuotedText(parts: WordPart[], text: string, addText: (text: string) => void): void {
    let rest = text;
    for (;;) {
      const index = rest.search(/\{\{[A-Z][A-Z0-9_]*\}\}/);
      if (index === -1) {
        if (rest) addText(rest);
        return;
      }
      if (index > 0) addText(rest.slice(0, index));
      const match = PLACEHOLDER.exec(rest.slice(index))!;
      parts.push({ kind: 'placeholder', name: match[1]! });
      rest = rest.slice(index + match[0].length);
    }
  }

  private readDoubleQuoted(parts: WordPart[], addText: (text: string) => void): void {
    this.pos += 1;
    while (this.pos < this.text.length && this.peek() !== '"') {
      const char = this.peek();
      if (char === '\\') {
        const next = this.peek(1);
        if (next === '\n') this.pos += 2;
        else {
          addText(/[$`"\\]/.test(next) ? next : `\\${next}`);
          this.pos += 2;
        }
        continue;
      }
      if (char === '{' && this.peek(1) === '{' && this.takePlaceholder(parts)) continue;
      if ((char === '$' || char === '`') && this.takeExpansion(parts)) continue;
      addText(char);
      this.pos += 1;
    }
    this.pos += 1;
  }

  /**
   * The end of the expansion starting at `from` (`$name`, `$1`, `$?`, `${...}`, `$(...)`, `$((...))`,
   * backticks), or `from` itself when the `$` is literal. Commands inside substitutions are parsed.
   */
  private readExpansion(from: number): number {
    const char = this.text[from];
    const next = this.text[from + 1] ?? '';
    if (char === '`') {
      let i = from + 1;
      while (i < this.text.length && this.text[i] !== '`') i += this.text[i] === '\\' ? 2 : 1;
      this.parseNestedText(this.text.slice(from + 1, i).replace(/\\([`$\\])/g, '$1'), from + 1);
      return Math.min(i + 1, this.text.length);
    }
    if (next === '(' && this.text[from + 2] === '(') return this.skipArithmeticFrom(from + 3);
    if (next === '(') return this.readNested(from + 2);
    if (next === '{') return this.skipBraces(from + 2);
    if (/[A-Za-z_]/.test(next)) {
      let i = from + 2;
      while (/[A-Za-z0-9_]/.test(this.text[i] ?? '')) i += 1;
      return i;
    }
    if (/[0-9@*#?$!-]/.test(next)) return from + 2;
    return from;
  }

  /** Parses the commands of `$( ... )` / `<( ... )` starting at `from`; returns the offset after `)`. */
  private readNested(from: number): number {
    const saved = this.pos;
    const savedPending = this.pendingHereDocuments;
    this.pendingHereDocuments = [];
    this.pos = from;
    this.parseSequence(')');
    const end = this.pos;
    this.pendingHereDocuments = savedPending;
    this.pos = saved;
    return end;
  }

  private parseNestedText(text: string, offset: number): void {
    const nested = new ScriptParser(text, this.lineAt(offset), {
      commands: this.commands,
      nextPipeline: () => this.newPipeline(),
    });
    nested.parseSequence('end');
  }

  /** `${...}` with nested braces and quotes; returns the offset after the closing `}`. */
  private skipBraces(from: number): number {
    let depth = 1;
    let i = from;
    while (i < this.text.length && depth > 0) {
      const char = this.text[i]!;
      if (char === '\\') i += 2;
      else if (char === "'") i = this.text.indexOf("'", i + 1) === -1 ? this.text.length : this.text.indexOf("'", i + 1) + 1;
      else if (char === '$' && (this.text[i + 1] === '(' || this.text[i + 1] === '{')) i = this.readExpansion(i);
      else {
        if (char === '{') depth += 1;
        if (char === '}') depth -= 1;
        i += 1;
      }
    }
    return i;
  }

  private skipArithmetic(from: number): void {
    this.pos = this.skipArithmeticFrom(from);
  }

  /** From inside `$((` or `((`, the offset after the matching `))`. */
  private skipArithmeticFrom(from: number): number {
    let depth = 2;
    let i = from;
    while (i < this.text.length && depth > 0) {
      if (this.text[i] === '(') depth += 1;
      else if (this.text[i] === ')') depth -= 1;
      i += 1;
    }
    return i;
  }
}

function decodeAnsiEscape(char: string): string {
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', e: '\x1b', '0': '\0' };
  return escapes[char] ?? `\\${char}`;
}
