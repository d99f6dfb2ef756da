// PEM text: finding the blocks in a key file and inspecting its line endings. No filesystem access.

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

export interface PemScan {
  blocks: PemBlock[];
  /** A BEGIN line without its END line, or a body that is not base64. */
  damaged: string | undefined;
}

const BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/g;

export function scanPem(text: string): PemScan {
  const blocks: PemBlock[] = [];
  let damaged: string | undefined;
  BEGIN.lastIndex = 0;
  for (let match = BEGIN.exec(text); match; match = BEGIN.exec(text)) {
    const label = match[1] ?? '';
    const endLine = `-----END ${label}-----`;
    const bodyStart = match.index + match[0].length;
    const endAt = text.indexOf(endLine, bodyStart);
    if (endAt < 0) {
      damaged ??= `the "${label}" block has no END line (truncated file?)`;
      break;
    }
    const body = text.slice(bodyStart, endAt);
    // Legacy encrypted PEM carries RFC 1421 headers (Proc-Type, DEK-Info) before the base64.
    const base64 = body
      .split(/\r?\n/)
      .filter((line) => !line.includes(':'))
      .join('')
      .replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0 || base64.length === 0) {
      damaged ??= `the "${label}" block's base64 body is damaged (truncated or edited file?)`;
    } else {
      blocks.push({ label, der: new Uint8Array(Buffer.from(base64, 'base64')) });
    }
    BEGIN.lastIndex = endAt + endLine.length;
  }
  return { blocks, damaged };
}

/** True when the text has a Proc-Type header, i.e. legacy OpenSSL PEM encryption. */
export function hasLegacyEncryptionHeader(text: string): boolean {
  return /Proc-Type:\s*4,ENCRYPTED/.test(text);
}

export interface LineEndings {
  crlf: boolean;
  finalNewline: boolean;
}

export function lineEndings(bytes: Uint8Array): LineEndings {
  let crlf = false;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0d) {
      crlf = true;
      break;
    }
  }
  const last = bytes[bytes.length - 1];
  return { crlf, finalNewline: last === 0x0a };
}

/** LF line endings, no trailing blank lines, one final newline. */
export function normalisePem(text: string): string {
  return `${text.replace(/\r\n?/g, '\n').replace(/\s+$/, '')}\n`;
}
