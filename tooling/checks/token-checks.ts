// Checks of the publisher token cached in cli.toml: that the file parses, the token's form, its
// signature against the keys under test, its claims and its identity.
import type { KeyObject } from 'node:crypto';
import type { Check, TokenSummary } from '../core/types';
import { readInputForCheck } from '../fs/safe-read';
import { encodeBase64url, isStandardAlphabetSafe } from '../token/base64url';
import { CliToml, CliTomlProblem } from '../token/cli-toml';
import {
  TOKEN_HEADER_JSON,
  TokenProblem,
  decodeToken,
  headerProblem,
  identityClaims,
  signatureValid,
  timeClaimProblem,
  type DecodedToken,
  type IdentityClaims,
} from '../token/token';
import { blocked, fail, pass } from './check';

export interface TokenInspection {
  checks: Check[];
  summary: TokenSummary;
  decoded?: DecodedToken;
  claims?: IdentityClaims;
}

/** Reads cli.toml and checks its token (signature against `publicKey` when given). */
export async function inspectToken(path: string, display: string, publicKey: KeyObject | undefined, publicDisplay: string, now: Date): Promise<TokenInspection> {
  const checks: Check[] = [];
  const summary: TokenSummary = { path: display };
  const tokenNames = ['token-format', 'token-signature', 'token-claims', 'token-identity', 'token-payload-alphabet'];
  const blockAll = (why: string): TokenInspection => {
    for (const name of tokenNames) checks.push(blocked(name, why));
    return { checks, summary };
  };
  const bytes = readInputForCheck(path, display, 'cliToml');
  if (typeof bytes === 'string') {
    checks.push(fail('cli-toml', `${bytes} Pass --publisher-cli-toml-path, or --no-preserve-publisher-token when this host has no publisher.`));
    return blockAll('cli.toml could not be read');
  }
  let file: CliToml;
  try {
    file = CliToml.fromBytes(bytes);
  } catch (error) {
    checks.push(fail('cli-toml', `${display}: ${error instanceof CliTomlProblem ? error.message : String(error)}`));
    return blockAll('cli.toml is not valid');
  }
  const tokenProblem = file.tokenProblem();
  if (tokenProblem) {
    checks.push(fail('cli-toml', `${display}: ${tokenProblem}`));
    return blockAll('no token');
  }
  summary.quoting = file.tokenQuoting;
  checks.push(pass('cli-toml', `${display}: holds ${'spacetimedb_token'} (${file.tokenQuoting} string)`));
  let decoded: DecodedToken;
  try {
    decoded = decodeToken(file.token as string);
  } catch (error) {
    checks.push(fail('token-format', `${display}: ${error instanceof TokenProblem ? error.message : String(error)}; log in again or restore cli.toml from a backup`));
    for (const name of tokenNames.slice(1)) checks.push(blocked(name, 'the token does not decode'));
    return { checks, summary };
  }
  const header = headerProblem(decoded.header);
  if (header) checks.push(fail('token-format', `${display}: ${header}`));
  else {
    const exact = decoded.segments[0] === encodeBase64url(TOKEN_HEADER_JSON);
    checks.push(pass('token-format', `header.payload.signature, alg ES256${exact ? '' : ' (header differs in form from the server\'s {"typ":"JWT","alg":"ES256"})'}`));
  }
  if (!publicKey) checks.push(blocked('token-signature', `${publicDisplay} could not be loaded`));
  else {
    const valid = await signatureValid(decoded, publicKey);
    summary.signatureValid = valid;
    checks.push(
      valid
        ? pass('token-signature', `the token verifies against ${publicDisplay}`)
        : fail(
            'token-signature',
            `${display}: the token's signature does not verify against ${publicDisplay} (the server would answer 401 Invalid token: InvalidSignature). Re-sign it: --resign-token-only --yes`,
          ),
    );
  }
  let claims: IdentityClaims | undefined;
  try {
    claims = identityClaims(decoded.payload);
    summary.iss = claims.iss;
    summary.sub = claims.sub;
    summary.identity = claims.identity;
    summary.hexIdentity = claims.hexIdentity;
  } catch (error) {
    checks.push(fail('token-claims', `${display}: ${error instanceof Error ? error.message : String(error)}; the server rejects it`));
  }
  if (typeof decoded.payload.iat === 'number') summary.iat = decoded.payload.iat;
  if (claims) {
    const timeProblem = timeClaimProblem(decoded.payload, Math.floor(now.getTime() / 1000));
    if (timeProblem) checks.push(fail('token-claims', `${display}: ${timeProblem}`));
    else checks.push(pass('token-claims', 'iss and sub present (at most 128 bytes), iat is an integer'));
    if (claims.hexIdentityProblem) checks.push(fail('token-identity', `${display}: ${claims.hexIdentityProblem}`));
    else if (claims.hexIdentity) checks.push(pass('token-identity', `hex_identity equals the identity computed from iss and sub (${claims.identity})`));
    else checks.push(pass('token-identity', `no hex_identity claim (optional); identity from iss and sub: ${claims.identity}`));
  } else {
    checks.push(blocked('token-identity', 'iss and sub are needed'));
  }
  if (isStandardAlphabetSafe(decoded.segments[1])) checks.push(pass('token-payload-alphabet', 'the payload segment has no - or _ (the CLI decodes it with the standard alphabet)'));
  else {
    checks.push(
      fail(
        'token-payload-alphabet',
        `${display}: the payload's base64url form contains - or _; spacetime login show decodes it with the standard alphabet and fails. Claims with characters such as > ? ~ cause this.`,
      ),
    );
  }
  return { checks, summary, decoded, claims };
}
