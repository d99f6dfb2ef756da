// Checks against a running server, over its HTTP API:
//   GET /v1/identity/public-key            returns the loaded public key file byte for byte
//   GET /v1/identity/<hex>/verify          204 valid token of that identity, 400 valid but another
//                                          identity, 401 invalid token (e.g. signed by another key)
import { createPublicKey } from 'node:crypto';
import { fingerprintOfPublicKey, shortFingerprint } from '../keys/fingerprint';
import type { Check } from '../core/types';

/** Every request is bounded: 5 s for the whole exchange (the body included), 64 KiB of body. */
const TIMEOUT_MS = 5000;
const MAX_BODY = 64 * 1024;

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer }> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'manual' });
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (;;) {
    const part = await reader?.read();
    if (!part || part.done) break;
    size += part.value.length;
    if (size > MAX_BODY) {
      await reader?.cancel();
      throw new Error(`the answer is larger than ${MAX_BODY / 1024} KiB, far more than a public key`);
    }
    chunks.push(Buffer.from(part.value));
  }
  return { status: response.status, body: Buffer.concat(chunks) };
}

function unreachable(url: string, error: unknown): string {
  const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
  return `${url}: no answer (${cause}). Is the server running and is --server-url right?`;
}

export async function checkServerPublicKey(baseUrl: string, localPublicPem: Buffer | undefined, localDisplay: string): Promise<Check> {
  const name = 'server-public-key';
  const url = `${baseUrl}/v1/identity/public-key`;
  if (!localPublicPem) return { name, ok: false, skipped: true, message: `not checked: ${localDisplay} could not be read` };
  let result;
  try {
    result = await get(url);
  } catch (error) {
    return { name, ok: false, message: unreachable(url, error) };
  }
  if (result.status !== 200) return { name, ok: false, message: `${url}: HTTP ${result.status}, expected 200 with the public key.` };
  if (result.body.equals(localPublicPem)) return { name, ok: true, message: `the server serves ${localDisplay} byte for byte` };
  let sameKey = false;
  let served = 'unparseable';
  try {
    const servedFingerprint = fingerprintOfPublicKey(createPublicKey(result.body.toString('utf8')));
    served = shortFingerprint(servedFingerprint);
    sameKey = servedFingerprint === fingerprintOfPublicKey(createPublicKey(localPublicPem.toString('utf8')));
  } catch {
    // served bytes are not a key
  }
  if (sameKey) {
    return { name, ok: false, message: `the server serves the same key as ${localDisplay} but not the same bytes (line endings or trailing newline differ); write the file with LF endings and restart.` };
  }
  return {
    name,
    ok: false,
    message: `the server serves another public key (fingerprint ${served}…) than ${localDisplay}; it reads keys only at start-up: restart it, or check which files it mounts.`,
  };
}

export async function checkServerAcceptsToken(baseUrl: string, identity: string | undefined, token: string | undefined): Promise<Check> {
  const name = 'server-accepts-token';
  if (!identity || !token) return { name, ok: false, skipped: true, message: 'not checked: no usable token' };
  const url = `${baseUrl}/v1/identity/${identity}/verify`;
  let result;
  try {
    result = await get(url, { Authorization: `Bearer ${token}` });
  } catch (error) {
    return { name, ok: false, message: unreachable(url, error) };
  }
  switch (result.status) {
    case 204:
      return { name, ok: true, message: `the server accepts the token as identity ${identity} (HTTP 204)` };
    case 400:
      return { name, ok: false, message: `HTTP 400: the server accepts the token's signature but it belongs to another identity than ${identity}.` };
    case 401:
      return {
        name,
        ok: false,
        message: 'HTTP 401: the server rejects the token (Invalid token: InvalidSignature): it runs with another key than the one that signed it. Restart it after a rotation, or re-sign the token with --resign-token-only.',
      };
    default:
      return { name, ok: false, message: `${url}: unexpected HTTP ${result.status} (expected 204).` };
  }
}
