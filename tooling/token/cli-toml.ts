// The spacetime CLI's cli.toml: reading the cached token and replacing it without touching any other
// byte (comments, other keys, [[server_configs]], the quoting style of the token). No filesystem access.
//
// smol-toml validates and parses the file; a small scanner of the top-level section then finds the
// exact span of the spacetimedb_token string, the new token goes into that span in the same kind of
// string, and the result is parsed again to prove that only the token changed.
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'smol-toml';

const TOKEN_KEY = 'spacetimedb_token';

export type TomlStringKind = 'basic' | 'literal' | 'multiline-basic' | 'multiline-literal';

export interface StringSpan {
  kind: TomlStringKind;
  /** Offsets of the string's contents (between the delimiters) in the text. */
  contentStart: number;
  contentEnd: number;
}

export interface ServerConfig {
  nickname: string | undefined;
  host: string | undefined;
  protocol: string | undefined;
  ecdsaPublicKey: string | undefined;
}

/** A cli.toml problem, described without the file name (the caller adds it). */
export class CliTomlProblem extends Error {}

type Table = Record<string, unknown>;

const BARE_KEY = /[A-Za-z0-9_-]/;

class TopLevelScanner {
  private at = 0;
  constructor(private readonly text: string) {}

  /** Finds `key = <string>` among the top-level keys (before the first table header). */
  findStringValue(wanted: string): StringSpan | undefined {
    const t = this.text;
    for (;;) {
      this.skipBlank();
      if (this.at >= t.length) return undefined;
      const c = t[this.at];
      if (c === '#') {
        this.skipLine();
        continue;
      }
      if (c === '[') return undefined; // first table header: the top level is over
      const key = this.readKey();
      this.skipInline();
      if (t[this.at] !== '=') throw new CliTomlProblem('could not follow the top-level keys');
      this.at++;
      this.skipInline();
      const span = this.readValue();
      if (key.length === 1 && key[0] === wanted && span) return span;
      this.skipLine();
    }
  }

  private skipBlank(): void {
    while (this.at < this.text.length && /[ \t\r\n]/.test(this.text[this.at] as string)) this.at++;
  }

  private skipInline(): void {
    while (this.at < this.text.length && /[ \t]/.test(this.text[this.at] as string)) this.at++;
  }

  private skipLine(): void {
    const end = this.text.indexOf('\n', this.at);
    this.at = end < 0 ? this.text.length : end + 1;
  }

  private readKey(): string[] {
    const parts: string[] = [];
    for (;;) {
      this.skipInline();
      const c = this.text[this.at];
      if (c === '"' || c === "'") {
        const span = this.readString();
        parts.push(this.text.slice(span.contentStart, span.contentEnd));
      } else {
        const start = this.at;
        while (this.at < this.text.length && BARE_KEY.test(this.text[this.at] as string)) this.at++;
        if (start === this.at) throw new CliTomlProblem('could not read a top-level key');
        parts.push(this.text.slice(start, this.at));
      }
      this.skipInline();
      if (this.text[this.at] !== '.') return parts;
      this.at++;
    }
  }

  /** Reads a string starting at the cursor; leaves the cursor after its closing delimiter. */
  private readString(): StringSpan {
    const t = this.text;
    if (t.startsWith('"""', this.at) || t.startsWith("'''", this.at)) {
      const quote = t[this.at] as string;
      const delimiter = quote.repeat(3);
      let contentStart = this.at + 3;
      // A newline right after the opening delimiter is not part of the value.
      if (t.startsWith('\r\n', contentStart)) contentStart += 2;
      else if (t[contentStart] === '\n') contentStart += 1;
      let i = this.at + 3;
      for (;;) {
        if (i >= t.length) throw new CliTomlProblem('unterminated multi-line string');
        if (quote === '"' && t[i] === '\\') {
          i += 2;
          continue;
        }
        if (t.startsWith(delimiter, i)) {
          // Up to two quotes may sit right before the closing delimiter ("""a"""" is 'a"').
          let end = i;
          while (t[end + 3] === quote && end - i < 2) end++;
          this.at = end + 3;
          return { kind: quote === '"' ? 'multiline-basic' : 'multiline-literal', contentStart, contentEnd: end };
        }
        i++;
      }
    }
    const quote = t[this.at];
    const start = this.at + 1;
    let i = start;
    for (;;) {
      if (i >= t.length || t[i] === '\n') throw new CliTomlProblem('unterminated string');
      if (quote === '"' && t[i] === '\\') {
        i += 2;
        continue;
      }
      if (t[i] === quote) {
        this.at = i + 1;
        return { kind: quote === '"' ? 'basic' : 'literal', contentStart: start, contentEnd: i };
      }
      i++;
    }
  }

  /** Reads any value; returns its span when it is a string. */
  private readValue(): StringSpan | undefined {
    const c = this.text[this.at];
    if (c === '"' || c === "'") return this.readString();
    if (c === '[' || c === '{') {
      this.skipBracketed();
      return undefined;
    }
    return undefined; // number, boolean, date: the rest of the line
  }

  private skipBracketed(): void {
    const t = this.text;
    let depth = 0;
    while (this.at < t.length) {
      const c = t[this.at];
      if (c === '"' || c === "'") {
        this.readString();
        continue;
      }
      if (c === '#') {
        this.skipLine();
        continue;
      }
      if (c === '[' || c === '{') depth++;
      if (c === ']' || c === '}') depth--;
      this.at++;
      if (depth === 0) return;
    }
  }
}

function withoutToken(table: Table): Table {
  const copy = { ...table };
  delete copy[TOKEN_KEY];
  return copy;
}

export class CliToml {
  private constructor(
    readonly text: string,
    readonly data: Table,
    readonly tokenSpan: StringSpan | undefined,
  ) {}

  /** Parses cli.toml text; throws CliTomlProblem when it is not valid TOML. */
  static parse(text: string): CliToml {
    let data: Table;
    try {
      data = parse(text) as Table;
    } catch (error) {
      const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new CliTomlProblem(`is not valid TOML (${detail})`);
    }
    let span: StringSpan | undefined;
    if (typeof data[TOKEN_KEY] === 'string') {
      span = new TopLevelScanner(text).findStringValue(TOKEN_KEY);
      if (!span) throw new CliTomlProblem(`could not locate the ${TOKEN_KEY} string in the text to edit it safely`);
      const raw = text.slice(span.contentStart, span.contentEnd);
      const literal = span.kind === 'literal' || span.kind === 'multiline-literal' || !raw.includes('\\');
      if (literal && raw !== data[TOKEN_KEY]) {
        throw new CliTomlProblem(`could not locate the ${TOKEN_KEY} string in the text to edit it safely`);
      }
    }
    return new CliToml(text, data, span);
  }

  /**
   * Parses cli.toml as read from disk. Bytes that are not valid UTF-8 could not be written back byte
   * for byte, so they are refused rather than repaired.
   */
  static fromBytes(bytes: Uint8Array): CliToml {
    const text = Buffer.from(bytes).toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(Buffer.from(bytes))) {
      throw new CliTomlProblem('is not valid UTF-8, so it could not be rewritten byte for byte; it is left alone (save it as UTF-8 and run again)');
    }
    return CliToml.parse(text);
  }

  /** The cached token, if the file has one. */
  get token(): string | undefined {
    const value = this.data[TOKEN_KEY];
    return typeof value === 'string' ? value : undefined;
  }

  /** Describes a missing or non-string token; undefined when there is a token. */
  tokenProblem(): string | undefined {
    if (!(TOKEN_KEY in this.data)) return `has no ${TOKEN_KEY} (log the publisher in first, or pass --no-preserve-publisher-token)`;
    if (typeof this.data[TOKEN_KEY] !== 'string') return `has a ${TOKEN_KEY} that is not a string`;
    if ((this.data[TOKEN_KEY] as string).trim() === '') return `has an empty ${TOKEN_KEY}`;
    return undefined;
  }

  get tokenQuoting(): TomlStringKind | undefined {
    return this.tokenSpan?.kind;
  }

  serverConfigs(): ServerConfig[] {
    const list = this.data.server_configs;
    if (!Array.isArray(list)) return [];
    return list
      .filter((entry): entry is Table => !!entry && typeof entry === 'object' && !Array.isArray(entry))
      .map((entry) => ({
        nickname: typeof entry.nickname === 'string' ? entry.nickname : undefined,
        host: typeof entry.host === 'string' ? entry.host : undefined,
        protocol: typeof entry.protocol === 'string' ? entry.protocol : undefined,
        ecdsaPublicKey: typeof entry.ecdsa_public_key === 'string' ? entry.ecdsa_public_key : undefined,
      }));
  }

  /**
   * The file's text with the token replaced and every other byte unchanged. JWT characters
   * (A-Z a-z 0-9 - _ .) need no escaping in any TOML string kind, so the original quoting is kept.
   */
  withToken(newToken: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(newToken)) throw new CliTomlProblem('the new token has characters a TOML string would need to escape');
    const span = this.tokenSpan;
    if (!span) throw new CliTomlProblem(`has no ${TOKEN_KEY} string to replace`);
    const text = this.text.slice(0, span.contentStart) + newToken + this.text.slice(span.contentEnd);
    let reparsed: Table;
    try {
      reparsed = parse(text) as Table;
    } catch {
      throw new CliTomlProblem('would not parse after replacing the token; left unchanged');
    }
    if (reparsed[TOKEN_KEY] !== newToken || !isDeepStrictEqual(withoutToken(reparsed), withoutToken(this.data))) {
      throw new CliTomlProblem('replacing the token would change other values; left unchanged');
    }
    return text;
  }

  /**
   * withToken as the bytes to write: the original bytes before and after the token's string, copied as
   * they are, and the new token between them. Refuses if that differs from the checked text.
   */
  withTokenBytes(newToken: string): Buffer {
    const text = this.withToken(newToken);
    const span = this.tokenSpan as StringSpan;
    const original = Buffer.from(this.text, 'utf8');
    const start = Buffer.byteLength(this.text.slice(0, span.contentStart), 'utf8');
    const end = Buffer.byteLength(this.text.slice(0, span.contentEnd), 'utf8');
    const bytes = Buffer.concat([original.subarray(0, start), Buffer.from(newToken, 'ascii'), original.subarray(end)]);
    if (!bytes.equals(Buffer.from(text, 'utf8'))) throw new CliTomlProblem('replacing the token would change other bytes; left unchanged');
    return bytes;
  }
}
