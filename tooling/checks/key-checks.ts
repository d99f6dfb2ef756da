// Verification: every check by name, with pass/fail and a message that names the file and the fix.
// Used by --verify-only and, after they write, by every other mode.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Env } from '../core/types';
import { encodeBase64url, isStandardAlphabetSafe } from '../token/base64url';
import { CliToml, CliTomlProblem } from '../token/cli-toml';
import { fsProblem } from '../core/errors';
import { fingerprintOfPublicKey, shortFingerprint } from '../keys/fingerprint';
import { analysePrivateKey, analysePublicKey, curveProblem, keysMatch, type PrivateKeyAnalysis, type PublicKeyAnalysis } from '../keys/keypair';
import { lineEndings } from '../keys/pem';
import { checkPolicy } from './policy';
import type { Check, TokenSummary } from '../core/types';
import { checkServerAcceptsToken, checkServerPublicKey } from './server-check';
import { ENVIRONMENTS } from '../core/types';
import type { KeyStore } from '../store/store';
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

export interface KeySource {
  privateDisplay: string;
  publicDisplay: string;
  /** Bytes, or the one-line reason they could not be read. */
  privatePem: Buffer | string;
  publicPem: Buffer | string;
  /** File mode of the private key, when it is a file. */
  privateMode?: number;
}

export interface VerifyInputs {
  env: Env;
  keys: KeySource;
  store: KeyStore | undefined;
  /** Why the store is not consulted (e.g. no file store yet); shown as a skipped check. */
  storeSkipReason?: string;
  cliToml: { path: string; display: string } | undefined;
  serverUrl: string | undefined;
  now: Date;
  pendingRotation: string | undefined;
}

export interface VerifyResult {
  checks: Check[];
  fingerprint: string | null;
  token: TokenSummary | undefined;
}

/** Reads a key file for verification: its bytes and mode, or a one-line reason. */
export function readKeyFile(path: string, display: string): { bytes: Buffer | string; mode?: number } {
  try {
    const bytes = readFileSync(path);
    return { bytes, mode: statSync(path).mode & 0o7777 };
  } catch (error) {
    return { bytes: fsProblem('read', display, error) };
  }
}

function pass(name: string, message: string): Check {
  return { name, ok: true, message };
}

function fail(name: string, message: string): Check {
  return { name, ok: false, message };
}

function blocked(name: string, why: string): Check {
  return { name, ok: false, skipped: true, message: `not checked: ${why}` };
}

function lineEndingProblems(display: string, bytes: Buffer): string[] {
  const endings = lineEndings(bytes);
  const problems: string[] = [];
  if (endings.crlf) problems.push(`${display} has CRLF line endings`);
  if (!endings.finalNewline) problems.push(`${display} has no final newline`);
  return problems;
}

export function keyChecks(keys: KeySource): { checks: Check[]; priv?: PrivateKeyAnalysis; pub?: PublicKeyAnalysis; fingerprint: string | null } {
  const checks: Check[] = [];
  const priv = typeof keys.privatePem === 'string' ? undefined : analysePrivateKey(keys.privatePem, keys.privateDisplay);
  const pub = typeof keys.publicPem === 'string' ? undefined : analysePublicKey(keys.publicPem, keys.publicDisplay);

  if (!priv) checks.push(fail('private-key-format', keys.privatePem as string));
  else if (priv.formatProblem) checks.push(fail('private-key-format', priv.formatProblem));
  else checks.push(pass('private-key-format', `${keys.privateDisplay}: PKCS#8 with the public key embedded`));

  if (!pub) checks.push(fail('public-key-format', keys.publicPem as string));
  else if (pub.formatProblem) checks.push(fail('public-key-format', pub.formatProblem));
  else checks.push(pass('public-key-format', `${keys.publicDisplay}: SPKI public key`));

  const curveProblems: string[] = [];
  const loaded: string[] = [];
  for (const analysis of [priv, pub]) {
    if (!analysis?.key) continue;
    loaded.push(analysis.file);
    const problem = curveProblem(analysis.file, analysis.keyType, analysis.curve);
    if (problem) curveProblems.push(problem);
  }
  if (loaded.length === 0) checks.push(blocked('curve', 'no key could be loaded'));
  else if (curveProblems.length > 0) checks.push(fail('curve', curveProblems.join('; ')));
  else checks.push(pass('curve', `${loaded.join(' and ')}: P-256 (prime256v1)`));

  if (priv?.key && pub?.key) {
    if (keysMatch(priv.key, pub.key)) checks.push(pass('pair-matches', `${keys.publicDisplay} belongs to ${keys.privateDisplay}`));
    else {
      checks.push(
        fail(
          'pair-matches',
          `${keys.publicDisplay}: does not belong to ${keys.privateDisplay}; the server would start and reject every token it signs. Derive it again: openssl pkey -in ${keys.privateDisplay} -pubout -out ${keys.publicDisplay}`,
        ),
      );
    }
  } else {
    checks.push(blocked('pair-matches', 'both keys must load first'));
  }

  const endingProblems: string[] = [];
  if (typeof keys.privatePem !== 'string') endingProblems.push(...lineEndingProblems(keys.privateDisplay, keys.privatePem));
  if (typeof keys.publicPem !== 'string') endingProblems.push(...lineEndingProblems(keys.publicDisplay, keys.publicPem));
  if (typeof keys.privatePem === 'string' && typeof keys.publicPem === 'string') checks.push(blocked('line-endings', 'no key file could be read'));
  else if (endingProblems.length > 0) {
    checks.push(
      fail(
        'line-endings',
        `${endingProblems.join('; ')}. The server tolerates this, but /v1/identity/public-key comparisons are byte for byte; a rotation or --sync-only writes LF files (by hand: sed -i 's/\\r$//' FILE and end it with a newline).`,
      ),
    );
  } else checks.push(pass('line-endings', 'LF line endings and a final newline'));

  if (keys.privateMode !== undefined) {
    const mode = keys.privateMode & 0o777;
    const text = mode.toString(8).padStart(4, '0');
    if ((mode & 0o177) === 0) checks.push(pass('private-key-mode', `${keys.privateDisplay}: mode ${text}`));
    else checks.push(fail('private-key-mode', `${keys.privateDisplay}: mode ${text} is looser than 0600. Fix: chmod 600 ${keys.privateDisplay}`));
  }

  let fingerprint: string | null = null;
  if (pub?.key) fingerprint = fingerprintOfPublicKey(pub.key);
  else if (priv?.key) fingerprint = fingerprintOfPublicKey(createPublicKey(priv.key));
  return { checks, priv, pub, fingerprint };
}

/** Fingerprint of a stored pair's public key (or of the private key's public half), if either loads. */
export function storedFingerprint(pair: { privatePem?: Buffer; publicPem?: Buffer }): string | undefined {
  for (const pem of [pair.publicPem, pair.privatePem]) {
    if (!pem) continue;
    try {
      // createPublicKey also accepts a private key PEM and returns its public half.
      return fingerprintOfPublicKey(createPublicKey(pem.toString('utf8')));
    } catch {
      // try the other half
    }
  }
  return undefined;
}

function storeChecks(inputs: VerifyInputs, fingerprint: string | null): Check[] {
  const { store } = inputs;
  if (!store) {
    const why = inputs.storeSkipReason ?? 'no key store';
    return [{ name: 'policy', ok: true, skipped: true, message: why }];
  }
  const fingerprints: Partial<Record<Env, string>> = {};
  const unreadable: string[] = [];
  try {
    for (const env of ENVIRONMENTS) {
      const pair = store.read(env);
      if (!pair.privatePem && !pair.publicPem) continue;
      const fp = storedFingerprint(pair);
      if (fp) fingerprints[env] = fp;
      else unreadable.push(`${store.describe(env)} holds no readable key`);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [fail('policy', message), blocked('store-pair', 'the store could not be read')];
  }
  const checks: Check[] = [];
  const policy = checkPolicy(fingerprints);
  const policyMessage = [policy.message, ...unreadable].join('; ');
  checks.push(policy.ok && unreadable.length === 0 ? pass('policy', policyMessage) : fail('policy', policyMessage));
  const stored = fingerprints[inputs.env];
  if (stored === undefined) {
    checks.push({ name: 'store-pair', ok: true, skipped: true, message: `${store.describe(inputs.env)} holds no keypair for ${inputs.env}` });
  } else if (fingerprint === null) {
    checks.push(blocked('store-pair', 'the keys under test could not be loaded'));
  } else if (stored === fingerprint) {
    checks.push(pass('store-pair', `the keys match ${store.describe(inputs.env)}`));
  } else {
    checks.push(
      fail(
        'store-pair',
        `the keys (${shortFingerprint(fingerprint)}…) differ from ${store.describe(inputs.env)} (${shortFingerprint(stored)}…); refresh them with --sync-only --env ${inputs.env} --yes`,
      ),
    );
  }
  return checks;
}

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
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    checks.push(fail('cli-toml', `${fsProblem('read', display, error)} Pass --publisher-cli-toml-path, or --no-preserve-publisher-token when this host has no publisher.`));
    return blockAll('cli.toml could not be read');
  }
  let file: CliToml;
  try {
    file = CliToml.parse(text);
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

export async function verify(inputs: VerifyInputs): Promise<VerifyResult> {
  const checks: Check[] = [];
  if (inputs.pendingRotation) {
    checks.push(
      fail(
        'no-pending-rotation',
        `an interrupted rotation is recorded in ${inputs.pendingRotation}; finish it by running the rotation again with --yes, or roll back with --restore-backup ${inputs.pendingRotation} --yes`,
      ),
    );
  }
  const keyResult = keyChecks(inputs.keys);
  checks.push(...keyResult.checks);
  checks.push(...storeChecks(inputs, keyResult.fingerprint));
  let token: TokenSummary | undefined;
  let inspection: TokenInspection | undefined;
  if (inputs.cliToml) {
    inspection = await inspectToken(inputs.cliToml.path, inputs.cliToml.display, keyResult.pub?.key, inputs.keys.publicDisplay, inputs.now);
    checks.push(...inspection.checks);
    token = inspection.summary;
  }
  if (inputs.serverUrl) {
    const publicBytes = typeof inputs.keys.publicPem === 'string' ? undefined : inputs.keys.publicPem;
    checks.push(await checkServerPublicKey(inputs.serverUrl, publicBytes, inputs.keys.publicDisplay));
    if (inspection) checks.push(await checkServerAcceptsToken(inputs.serverUrl, inspection.claims?.identity, inspection.decoded?.raw));
  }
  return { checks, fingerprint: keyResult.fingerprint, token };
}

/** The keys under test, read from two files. */
export function keySourceFromFiles(privatePath: string, publicPath: string, privateDisplay: string, publicDisplay: string): KeySource {
  const priv = readKeyFile(privatePath, privateDisplay);
  const pub = readKeyFile(publicPath, publicDisplay);
  return { privateDisplay, publicDisplay, privatePem: priv.bytes, publicPem: pub.bytes, privateMode: priv.mode };
}
