// SpacetimeDB tokens: decoding, claim checks, ES256 signing and verification. No filesystem access.
//
// The server's tokens have the header {"typ":"JWT","alg":"ES256"} (no kid) and the claims
// hex_identity, sub, iss, aud, iat, exp (null). The server requires non-empty iss and sub of at most
// 128 bytes and an integer iat, checks exp only when it is a number, and, when hex_identity is
// present, requires it to equal the identity computed from iss and sub.
import { sign, verify, type KeyObject } from 'node:crypto';
import { decodeBase64url, encodeBase64url, isStandardAlphabetSafe } from './base64url';
import { computeIdentity, isIdentityHex } from './identity';

export const TOKEN_HEADER_JSON = '{"typ":"JWT","alg":"ES256"}';
const MAX_CLAIM_BYTES = 128;
const EXP_LEEWAY_SECONDS = 60;

export type Claims = Record<string, unknown>;

export interface DecodedToken {
  raw: string;
  segments: [string, string, string];
  header: Claims;
  payload: Claims;
  signature: Buffer;
}

/** A token problem, described without the file name (the caller adds it). */
export class TokenProblem extends Error {}

function decodeJsonSegment(segment: string, what: string): Claims {
  const bytes = decodeBase64url(segment);
  if (!bytes) throw new TokenProblem(`the token's ${what} is not valid base64url`);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new TokenProblem(`the token's ${what} is not valid JSON`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new TokenProblem(`the token's ${what} is not a JSON object`);
  return value as Claims;
}

export function decodeToken(token: string): DecodedToken {
  const trimmed = token.trim();
  if (trimmed === '') throw new TokenProblem('the token is empty');
  const parts = trimmed.split('.');
  if (parts.length !== 3) {
    throw new TokenProblem(`the token has ${parts.length} dot-separated part${parts.length === 1 ? '' : 's'}, expected 3 (header.payload.signature)`);
  }
  const [h, p, s] = parts as [string, string, string];
  const header = decodeJsonSegment(h, 'header');
  const payload = decodeJsonSegment(p, 'payload');
  const signature = decodeBase64url(s);
  if (!signature) throw new TokenProblem("the token's signature is not valid base64url");
  return { raw: trimmed, segments: [h, p, s], header, payload, signature };
}

export interface IdentityClaims {
  iss: string;
  sub: string;
  /** Identity computed from iss and sub. */
  identity: string;
  /** The hex_identity claim, when present. */
  hexIdentity: string | undefined;
  /** Why hex_identity is unacceptable (malformed, or not the computed identity); undefined when fine or absent. */
  hexIdentityProblem: string | undefined;
}

function claimStringProblem(payload: Claims, name: 'iss' | 'sub'): string | undefined {
  const value = payload[name];
  if (value === undefined) return `the token has no "${name}" claim`;
  if (typeof value !== 'string') return `the token's "${name}" claim is not a string`;
  if (value === '') return `the token's "${name}" claim is empty`;
  if (Buffer.byteLength(value, 'utf8') > MAX_CLAIM_BYTES) return `the token's "${name}" claim is longer than ${MAX_CLAIM_BYTES} bytes`;
  return undefined;
}

/** iss, sub and the computed identity; throws TokenProblem when iss or sub is unacceptable to the server. */
export function identityClaims(payload: Claims): IdentityClaims {
  const problem = claimStringProblem(payload, 'iss') ?? claimStringProblem(payload, 'sub');
  if (problem) throw new TokenProblem(problem);
  const iss = payload.iss as string;
  const sub = payload.sub as string;
  const identity = computeIdentity(iss, sub);
  const raw = payload.hex_identity;
  let hexIdentity: string | undefined;
  let hexIdentityProblem: string | undefined;
  if (raw !== undefined && raw !== null) {
    const normalised = typeof raw === 'string' ? raw.toLowerCase().replace(/^0x/, '') : '';
    if (typeof raw === 'string') hexIdentity = raw;
    if (!isIdentityHex(normalised)) {
      hexIdentityProblem = 'the token\'s "hex_identity" claim is not 64 hex digits';
    } else if (normalised !== identity) {
      hexIdentityProblem = `the token's hex_identity ${raw} does not match the identity ${identity} computed from iss and sub; the server rejects such a token`;
    }
  }
  return { iss, sub, identity, hexIdentity, hexIdentityProblem };
}

/** Problem with iat and exp, or undefined. */
export function timeClaimProblem(payload: Claims, nowSeconds: number): string | undefined {
  const iat = payload.iat;
  if (iat === undefined) return 'the token has no "iat" claim';
  if (typeof iat !== 'number' || !Number.isInteger(iat)) return 'the token\'s "iat" claim is not an integer';
  const exp = payload.exp;
  if (exp !== undefined && exp !== null) {
    if (typeof exp !== 'number') return 'the token\'s "exp" claim is neither a number nor null';
    if (exp + EXP_LEEWAY_SECONDS < nowSeconds) return `the token expired at ${new Date(exp * 1000).toISOString()}`;
  }
  return undefined;
}

/** Problem with the header, or undefined: SpacetimeDB signs ES256 JWTs. */
export function headerProblem(header: Claims): string | undefined {
  if (header.alg !== 'ES256') return `the token's header says alg ${JSON.stringify(header.alg)}, expected "ES256"`;
  if (header.typ !== undefined && header.typ !== 'JWT') return `the token's header says typ ${JSON.stringify(header.typ)}, expected "JWT"`;
  return undefined;
}

// ES256 is ECDSA P-256 with SHA-256; JWS carries the signature as raw r||s (64 bytes), which Node's
// crypto reads and writes directly with dsaEncoding 'ieee-p1363'. (The tests check these tokens with
// jose and openssl, independently of this code.)
const RAW_SIGNATURE = 'ieee-p1363' as const;

/** True when the token's ES256 signature verifies against the public key. */
export async function signatureValid(token: DecodedToken, publicKey: KeyObject): Promise<boolean> {
  if (token.header.alg !== 'ES256' || token.signature.length !== 64) return false;
  if (publicKey.asymmetricKeyType !== 'ec' || publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return false;
  const input = Buffer.from(`${token.segments[0]}.${token.segments[1]}`, 'ascii');
  return verify('sha256', input, { key: publicKey, dsaEncoding: RAW_SIGNATURE }, token.signature);
}

export interface ResignedClaims {
  claims: Claims;
  /** A numeric exp that was removed (null stays, like the server's own tokens). */
  droppedExp: number | undefined;
}

/** The claims of the re-signed token: every claim kept in its order, iat refreshed, a numeric exp dropped. */
export function resignClaims(payload: Claims, nowSeconds: number): ResignedClaims {
  const claims: Claims = {};
  let droppedExp: number | undefined;
  let sawIat = false;
  for (const [name, value] of Object.entries(payload)) {
    if (name === 'iat') {
      claims.iat = nowSeconds;
      sawIat = true;
    } else if (name === 'exp' && typeof value === 'number') {
      droppedExp = value;
    } else {
      claims[name] = value;
    }
  }
  if (!sawIat) claims.iat = nowSeconds;
  return { claims, droppedExp };
}

export interface EncodedPayload {
  json: string;
  segment: string;
  /** False when every encoding tried has '-' or '_' (the CLI decodes the payload as standard base64). */
  alphabetSafe: boolean;
}

/**
 * Serialises the claims. The compact JSON is used when its base64url form avoids '-' and '_'; otherwise
 * one or two spaces after the opening brace shift the base64 grouping (same claims, same JSON value), and
 * the first encoding that avoids them is used.
 */
export function encodePayload(claims: Claims): EncodedPayload {
  const compact = JSON.stringify(claims);
  for (const padding of ['', ' ', '  ']) {
    const json = padding ? `{${padding}${compact.slice(1)}` : compact;
    const segment = encodeBase64url(json);
    if (isStandardAlphabetSafe(segment)) return { json, segment, alphabetSafe: true };
  }
  return { json: compact, segment: encodeBase64url(compact), alphabetSafe: false };
}

/** Signs the payload JSON with ES256 under the server's exact header. */
export async function signToken(payloadJson: string, privateKey: KeyObject): Promise<string> {
  const input = `${encodeBase64url(TOKEN_HEADER_JSON)}.${encodeBase64url(payloadJson)}`;
  const signature = sign('sha256', Buffer.from(input, 'ascii'), { key: privateKey, dsaEncoding: RAW_SIGNATURE });
  return `${input}.${encodeBase64url(signature)}`;
}
