// --verify-only: check the keys under test (the given files, else the mounted key directory and its
// layout), who may write the tool's paths, the policy across the store's environments and the whole
// pairs it holds, the cached token, and with --server-url the running server.
import { join } from 'node:path';
import { now, openStore, show, storeSkipReason, type Context } from '../engine/context';
import { pendingRotationMessage, pendingRotations } from '../engine/pending';
import { guardedPaths } from '../engine/preflight';
import { KeyDir, PRIVATE_NAME, PUBLIC_NAME } from '../keys/key-dir';
import { keySourceFromFiles } from '../checks/key-checks';
import { verify } from '../checks/verify-checks';
import { safeUrl } from '../core/redact';

export async function runVerify(ctx: Context): Promise<number> {
  const { settings: s, reporter } = ctx;
  const privatePath = s.privateKeyPath ?? join(s.mountedDir, PRIVATE_NAME);
  const publicPath = s.publicKeyPath ?? join(s.mountedDir, PUBLIC_NAME);
  const fromMounted = !s.privateKeyPath && !s.publicKeyPath;
  const skip = storeSkipReason(ctx);
  const pending = pendingRotations(ctx, s.backupDir)[0];
  reporter.progress('verifying');
  reporter.detail(`keys under test: ${show(ctx, privatePath)} and ${show(ctx, publicPath)}`);
  reporter.detail(skip ?? `key store: ${s.store === 'azure' ? 'Azure Key Vault (az CLI)' : show(ctx, s.storeDir)}`);
  if (s.preserveToken) reporter.detail(`publisher token: ${show(ctx, s.cliTomlPath)}`);
  if (s.serverUrl) reporter.detail(`server: ${safeUrl(s.serverUrl)}`);
  const places = {
    backupRoot: s.backupDir,
    storeDir: s.store === 'file' ? s.storeDir : undefined,
    mountedDir: fromMounted ? s.mountedDir : undefined,
    cliToml: s.preserveToken ? s.cliTomlPath : undefined,
  };
  const keyFiles = fromMounted ? [] : [privatePath, publicPath].map((path) => ({ path, display: show(ctx, path) }));
  const result = await verify({
    env: s.env,
    keys: keySourceFromFiles(privatePath, publicPath, show(ctx, privatePath), show(ctx, publicPath)),
    keyDir: fromMounted ? new KeyDir(s.mountedDir, show(ctx, s.mountedDir)) : undefined,
    store: skip ? undefined : openStore(ctx, false),
    storeSkipReason: skip,
    cliToml: s.preserveToken ? { path: s.cliTomlPath, display: show(ctx, s.cliTomlPath) } : undefined,
    serverUrl: s.serverUrl,
    now: now(ctx),
    pendingRotation: pending ? pendingRotationMessage(ctx, pending) : undefined,
    guardedPaths: [...guardedPaths(ctx, places), ...keyFiles],
  });
  reporter.addChecks(result.checks);
  reporter.report.keys = { fingerprint: result.fingerprint, privateKeyPath: show(ctx, privatePath), publicKeyPath: show(ctx, publicPath) };
  reporter.report.token = result.token;
  if (!s.serverUrl) reporter.report.nextSteps.push('Add --server-url URL to also check what the running server loaded and that it accepts the token.');
  return reporter.succeed();
}
