// SpacetimeDB identity from a token's issuer and subject:
//   h        = BLAKE3-256(UTF-8 of iss + "|" + sub)
//   checksum = BLAKE3-256(c2 00 || h[0..26])
//   identity = c2 00 || checksum[0..4] || h[0..26]     (32 bytes, written as lowercase hex)
// It depends only on iss and sub, never on the signing key.
import { blake3 } from '@noble/hashes/blake3.js';

const PREFIX = [0xc2, 0x00];

function identityBytes(iss: string, sub: string): Uint8Array {
  const h = blake3(new TextEncoder().encode(`${iss}|${sub}`));
  const body = h.subarray(0, 26);
  const checked = new Uint8Array(28);
  checked.set(PREFIX, 0);
  checked.set(body, 2);
  const checksum = blake3(checked);
  const identity = new Uint8Array(32);
  identity.set(PREFIX, 0);
  identity.set(checksum.subarray(0, 4), 2);
  identity.set(body, 6);
  return identity;
}

export function computeIdentity(iss: string, sub: string): string {
  return Buffer.from(identityBytes(iss, sub)).toString('hex');
}

export function isIdentityHex(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}
