// Key fingerprint: lowercase hex SHA-256 of the DER SubjectPublicKeyInfo, the same value as
//   openssl pkey -pubin -in id_ecdsa.pub -outform DER | openssl dgst -sha256
import { createHash, type KeyObject } from 'node:crypto';

export function fingerprintOfSpkiDer(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

export function fingerprintOfPublicKey(key: KeyObject): string {
  return fingerprintOfSpkiDer(key.export({ type: 'spki', format: 'der' }));
}

/** First 16 hex digits, for human output; JSON always carries the whole value. */
export function shortFingerprint(fingerprint: string): string {
  return fingerprint.slice(0, 16);
}
