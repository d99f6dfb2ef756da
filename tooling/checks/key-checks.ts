// Checks of one keypair by name (format, curve, match, line endings, mode), each with a message that
// names the file and the fix. Used by --verify-only and, after they write, by every other mode.
import { createPublicKey } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Check } from '../core/types';
import { readInputForCheck } from '../fs/safe-read';
import { fingerprintOfPublicKey } from '../keys/fingerprint';
import { analysePrivateKey, analysePublicKey, curveProblem, keysMatch, type PrivateKeyAnalysis, type PublicKeyAnalysis } from '../keys/keypair';
import { lineEndings } from '../keys/pem';
import { blocked, fail, pass } from './check';

export interface KeySource {
  privateDisplay: string;
  publicDisplay: string;
  /** Bytes, or the one-line reason they could not be read. */
  privatePem: Buffer | string;
  publicPem: Buffer | string;
  /** File mode of the private key, when it is a file. */
  privateMode?: number;
}

/** Reads a key file for verification: its bytes and mode, or a one-line reason. */
function readKeyFile(path: string, display: string): { bytes: Buffer | string; mode?: number } {
  const bytes = readInputForCheck(path, display, 'key');
  if (typeof bytes === 'string') return { bytes };
  try {
    return { bytes, mode: statSync(path).mode & 0o7777 };
  } catch {
    return { bytes };
  }
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

/** The keys under test, read from two files. */
export function keySourceFromFiles(privatePath: string, publicPath: string, privateDisplay: string, publicDisplay: string): KeySource {
  const priv = readKeyFile(privatePath, privateDisplay);
  const pub = readKeyFile(publicPath, publicDisplay);
  return { privateDisplay, publicDisplay, privatePem: priv.bytes, publicPem: pub.bytes, privateMode: priv.mode };
}
