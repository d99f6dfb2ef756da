// A deliberately tiny, separate BLAKE3 (single chunk: inputs up to 1024 bytes, 32-byte output),
// written from the BLAKE3 specification so the identity tests do not check @noble/hashes against itself.
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const PERMUTATION = [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8];
const CHUNK_START = 1;
const CHUNK_END = 2;
const ROOT = 8;

const rotr = (x: number, n: number): number => ((x >>> n) | (x << (32 - n))) >>> 0;

function g(s: number[], a: number, b: number, c: number, d: number, x: number, y: number): void {
  s[a] = (s[a]! + s[b]! + x) >>> 0;
  s[d] = rotr(s[d]! ^ s[a]!, 16);
  s[c] = (s[c]! + s[d]!) >>> 0;
  s[b] = rotr(s[b]! ^ s[c]!, 12);
  s[a] = (s[a]! + s[b]! + y) >>> 0;
  s[d] = rotr(s[d]! ^ s[a]!, 8);
  s[c] = (s[c]! + s[d]!) >>> 0;
  s[b] = rotr(s[b]! ^ s[c]!, 7);
}

function compress(cv: number[], block: number[], blockLen: number, flags: number): number[] {
  const s = [...cv, IV[0]!, IV[1]!, IV[2]!, IV[3]!, 0, 0, blockLen, flags];
  let m = block;
  for (let round = 0; round < 7; round++) {
    g(s, 0, 4, 8, 12, m[0]!, m[1]!);
    g(s, 1, 5, 9, 13, m[2]!, m[3]!);
    g(s, 2, 6, 10, 14, m[4]!, m[5]!);
    g(s, 3, 7, 11, 15, m[6]!, m[7]!);
    g(s, 0, 5, 10, 15, m[8]!, m[9]!);
    g(s, 1, 6, 11, 12, m[10]!, m[11]!);
    g(s, 2, 7, 8, 13, m[12]!, m[13]!);
    g(s, 3, 4, 9, 14, m[14]!, m[15]!);
    m = PERMUTATION.map((i) => m[i]!);
  }
  for (let i = 0; i < 8; i++) {
    s[i] = (s[i]! ^ s[i + 8]!) >>> 0;
    s[i + 8] = (s[i + 8]! ^ cv[i]!) >>> 0;
  }
  return s;
}

export function miniBlake3(input: Uint8Array): Uint8Array {
  if (input.length > 1024) throw new Error('miniBlake3 handles one chunk (at most 1024 bytes)');
  const blocks = Math.max(1, Math.ceil(input.length / 64));
  let cv = IV;
  for (let b = 0; b < blocks; b++) {
    const bytes = new Uint8Array(64);
    const part = input.subarray(b * 64, b * 64 + 64);
    bytes.set(part);
    const words = Array.from({ length: 16 }, (_, i) => new DataView(bytes.buffer).getUint32(i * 4, true));
    const last = b === blocks - 1;
    const flags = (b === 0 ? CHUNK_START : 0) | (last ? CHUNK_END | ROOT : 0);
    const out = compress(cv, words, part.length, flags);
    cv = out.slice(0, 8);
  }
  const digest = new Uint8Array(32);
  const view = new DataView(digest.buffer);
  cv.forEach((word, i) => view.setUint32(i * 4, word, true));
  return digest;
}
