// Verification: every check by name, with pass/fail and a message that names the file and the fix.
// Used by --verify-only and, after they write, by every other mode.
import type { Check, Env, TokenSummary } from '../core/types';
import { ToolError } from '../core/errors';
import { writableByOthersAll } from '../fs/permissions';
import type { KeyDir } from '../keys/key-dir';
import type { KeyStore } from '../store/store';
import { fail, pass } from './check';
import { keyChecks, type KeySource } from './key-checks';
import { checkServerAcceptsToken, checkServerPublicKey } from './server-check';
import { storeChecks } from './store-checks';
import { inspectToken, type TokenInspection } from './token-checks';

export interface VerifyInputs {
  env: Env;
  keys: KeySource;
  /** The key directory the keys were read from, when they were: its layout is checked too. */
  keyDir?: KeyDir;
  store: KeyStore | undefined;
  /** Why the store is not consulted (e.g. no file store yet); shown as a skipped check. */
  storeSkipReason?: string;
  cliToml: { path: string; display: string } | undefined;
  serverUrl: string | undefined;
  now: Date;
  /** Why a pending rotation blocks writing runs (the one wording of engine/pending.ts), if one does. */
  pendingRotation: string | undefined;
  /** Key, store, backup and cli.toml paths (files and their directories) no other user may write. */
  guardedPaths?: { path: string; display: string }[];
}

export interface VerifyResult {
  checks: Check[];
  fingerprint: string | null;
  token: TokenSummary | undefined;
}

function layoutCheck(keyDir: KeyDir): Check {
  try {
    const state = keyDir.inspectLayout();
    const what = state.kind === 'managed' ? "the tool's layout (links through current to one generation)" : state.kind === 'plain' ? 'plain key files' : 'not there yet';
    return pass('key-dir-layout', `${keyDir.display}: ${what}; no link leads outside it`);
  } catch (error) {
    return fail('key-dir-layout', `${error instanceof ToolError ? error.message : String(error)} (a writing run would refuse this directory)`);
  }
}

function permissionsCheck(paths: { path: string; display: string }[]): Check {
  let problems: string[];
  try {
    problems = writableByOthersAll(paths);
  } catch (error) {
    return fail('permissions', error instanceof Error ? error.message : String(error));
  }
  if (problems.length > 0) return fail('permissions', `${problems.join('; ')}. Writing runs refuse these paths until they are fixed.`);
  return pass('permissions', 'no key, store, backup or cli.toml path (file or directory) is writable by other users');
}

export async function verify(inputs: VerifyInputs): Promise<VerifyResult> {
  const checks: Check[] = [];
  if (inputs.pendingRotation) checks.push(fail('no-pending-rotation', inputs.pendingRotation));
  const keyResult = keyChecks(inputs.keys);
  checks.push(...keyResult.checks);
  if (inputs.keyDir) checks.push(layoutCheck(inputs.keyDir));
  if (inputs.guardedPaths) checks.push(permissionsCheck(inputs.guardedPaths));
  checks.push(...storeChecks(inputs.store, inputs.storeSkipReason, inputs.env, keyResult.fingerprint));
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
