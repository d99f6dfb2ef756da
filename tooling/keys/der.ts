// Just enough DER to look inside a PKCS#8 EC private key: is the public key embedded, and which curve.

export interface Tlv {
  tag: number;
  /** Offset of the first content byte. */
  start: number;
  /** Offset just past the last content byte. */
  end: number;
}

export class DerError extends Error {}

function readTlv(der: Uint8Array, offset: number): Tlv {
  if (offset + 2 > der.length) throw new DerError('DER ends early');
  const tag = der[offset] as number;
  let length = der[offset + 1] as number;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 3 || start + count > der.length) throw new DerError('bad DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = (length << 8) | (der[start + i] as number);
    start += count;
  }
  const end = start + length;
  if (end > der.length) throw new DerError('DER ends early');
  return { tag, start, end };
}

/** The TLVs directly inside a constructed TLV. */
function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const child = readTlv(der, at);
    out.push(child);
    at = child.end;
  }
  return out;
}

function oidToString(bytes: Uint8Array): string {
  const parts: number[] = [];
  const first = bytes[0] ?? 0;
  parts.push(Math.floor(first / 40), first % 40);
  let value = 0;
  for (let i = 1; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';

export interface Pkcs8Summary {
  algorithmOid: string;
  curveOid: string | undefined;
  /** For EC keys: the public point embedded in ECPrivateKey ([1] publicKey), if present. */
  embeddedPublicPoint: Uint8Array | undefined;
}

/** Reads the outline of a PKCS#8 PrivateKeyInfo. Throws DerError when it is not one. */
export function summarisePkcs8(der: Uint8Array): Pkcs8Summary {
  const top = readTlv(der, 0);
  if (top.tag !== 0x30) throw new DerError('not a SEQUENCE');
  const [version, algorithm, privateKey] = children(der, top);
  if (!version || version.tag !== 0x02 || !algorithm || algorithm.tag !== 0x30 || !privateKey || privateKey.tag !== 0x04) {
    throw new DerError('not a PKCS#8 PrivateKeyInfo');
  }
  const [oid, params] = children(der, algorithm);
  if (!oid || oid.tag !== 0x06) throw new DerError('no algorithm OID');
  const algorithmOid = oidToString(der.subarray(oid.start, oid.end));
  const curveOid = params && params.tag === 0x06 ? oidToString(der.subarray(params.start, params.end)) : undefined;
  let embeddedPublicPoint: Uint8Array | undefined;
  if (algorithmOid === OID_EC_PUBLIC_KEY) {
    const ecPrivateKey = readTlv(der, privateKey.start);
    if (ecPrivateKey.tag !== 0x30) throw new DerError('EC private key is not a SEQUENCE');
    for (const field of children(der, ecPrivateKey)) {
      if (field.tag === 0xa1) {
        const bitString = readTlv(der, field.start);
        if (bitString.tag !== 0x03) throw new DerError('embedded public key is not a BIT STRING');
        // First content byte is the count of unused bits (0 here).
        embeddedPublicPoint = der.subarray(bitString.start + 1, bitString.end);
      }
    }
  }
  return { algorithmOid, curveOid, embeddedPublicPoint };
}
