// --verify-only: check the keys under test (the given files, else the mounted key directory), the
// policy across the store's environments, the cached token, and with --server-url the running server.
import { join } from 'node:path';
import { findPendingRotations } from '../store/backup';
import { now, openStore, show, storeSkipReason, type Context } from '../engine/context';
import { PRIVATE_NAME, PUBLIC_NAME } from '../keys/key-dir';
import { keySourceFromFiles, verify } from '../checks/key-checks';

export async function runVerify(ctx: Context): Promise<number> {
  const { settings: s, reporter } = ctx;
  const privatePath = s.privateKeyPath ?? join(s.mountedDir, PRIVATE_NAME);
  const publicPath = s.publicKeyPath ?? join(s.mountedDir, PUBLIC_NAME);
  const skip = storeSkipReason(ctx);
  const pending = findPendingRotations(s.backupDir)[0];
  reporter.progress('verifying');
  reporter.detail(`keys under test: ${show(ctx, privatePath)} and ${show(ctx, publicPath)}`);
  reporter.detail(skip ?? `key store: ${s.store === 'azure' ? 'Azure Key Vault (az CLI)' : show(ctx, s.storeDir)}`);
  if (s.preserveToken) reporter.detail(`publisher token: ${show(ctx, s.cliTomlPath)}`);
  if (s.serverUrl) reporter.detail(`server: ${s.serverUrl}`);
  const result = await verify({
    env: s.env,
    keys: keySourceFromFiles(privatePath, publicPath, show(ctx, privatePath), show(ctx, publicPath)),
    store: skip ? undefined : openStore(ctx, false),
    storeSkipReason: skip,
    cliToml: s.preserveToken ? { path: s.cliTomlPath, display: show(ctx, s.cliTomlPath) } : undefined,
    serverUrl: s.serverUrl,
    now: now(ctx),
    pendingRotation: pending ? show(ctx, pending.dir) : undefined,
  });
  reporter.addChecks(result.checks);
  reporter.report.keys = { fingerprint: result.fingerprint, privateKeyPath: show(ctx, privatePath), publicKeyPath: show(ctx, publicPath) };
  reporter.report.token = result.token;
  if (!s.serverUrl) reporter.report.nextSteps.push('Add --server-url URL to also check what the running server loaded and that it accepts the token.');
  return reporter.succeed();
}
