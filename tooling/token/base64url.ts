// Strict base64url (RFC 4648 §5, no padding), as JWTs use it.

export function encodeBase64url(bytes: Uint8Array | string): string {
  return Buffer.from(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes).toString('base64url');
}

/** Decodes unpadded base64url; returns undefined for any other character or an impossible length. */
export function decodeBase64url(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  // Reject non-canonical trailing bits: re-encoding must give the same text.
  if (bytes.toString('base64url') !== text) return undefined;
  return bytes;
}

/** True when the spacetime CLI can decode this segment with the standard base64 alphabet. */
export function isStandardAlphabetSafe(segment: string): boolean {
  return !/[-_]/.test(segment);
}
