import assert from 'node:assert/strict';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { lstatSync, readdirSync, readlinkSync, renameSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { computeIdentity } from '../../tooling/token/identity';
import { fingerprintOfPublicKey } from '../../tooling/keys/fingerprint';
import { makeWorkspace, newPair, removeWorkspace, serverClaims, snapshot, SUB, type Workspace } from './support/workspace';

const workspaces: Workspace[] = [];
function workspace(...args: Parameters<typeof makeWorkspace>): Workspace {
  const ws = makeWorkspace(...args);
  workspaces.push(ws);
  return ws;
}
after(() => workspaces.forEach(removeWorkspace));

const fingerprintOf = (publicPem: string | Buffer): string => fingerprintOfPublicKey(createPublicKey(publicPem));

function tokenOf(cliToml: string): string {
  const match = /spacetimedb_token = "([^"]+)"/.exec(cliToml);
  assert.ok(match, 'token in cli.toml');
  return match[1] as string;
}

/** Verifies a token with Node's crypto directly and returns its claims. */
function verifiedClaims(token: string, publicPem: string): Record<string, unknown> {
  const [h, p, s] = token.split('.') as [string, string, string];
  const ok = cryptoVerify('sha256', Buffer.from(`${h}.${p}`), { key: createPublicKey(publicPem), dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  assert.ok(ok, 'token verifies against the public key');
  return JSON.parse(Buffer.from(p, 'base64url').toString());
}

function onlyBackup(ws: Workspace): string {
  const names = readdirSync(ws.path('backups')).filter((name) => !name.startsWith('.'));
  assert.equal(names.length, 1, names.join(', '));
  return join('backups', names[0] as string);
}

test('a rotation installs a new pair in the store and the mounted directory and re-signs the token with the same identity', async () => {
  const ws = workspace();
  const before = ws.read('cli.toml');
  const oldFingerprint = fingerprintOf(ws.pair.publicPem);
  const started = Math.floor(Date.now() / 1000);
  const result = await ws.tool(['--yes', '--json', '--env', 'local']);
  assert.equal(result.code, 0, result.stdout);
  const report = result.json;
  assert.equal(report.ok, true);
  assert.equal(report.marker, 'ROTATION_SUCCESS');
  assert.match(report.keys.fingerprint, /^[0-9a-f]{64}$/);
  assert.notEqual(report.keys.fingerprint, oldFingerprint);
  assert.equal(report.keys.previousFingerprint, oldFingerprint);
  const identity = computeIdentity('localhost', SUB);
  assert.equal(report.identityBefore, identity);
  assert.equal(report.identityAfter, identity);
  assert.equal(report.token.identity, identity);
  assert.equal(report.token.signatureValid, true);
  assert.ok(report.checks.length > 10 && report.checks.every((check: { ok: boolean }) => check.ok));

  // The mounted directory holds the new pair behind the tool's links; the private key is 0600.
  const mountedPub = ws.read('mounted/id_ecdsa.pub');
  assert.equal(fingerprintOf(mountedPub), report.keys.fingerprint);
  assert.equal(readlinkSync(ws.path('mounted/id_ecdsa')), 'current/id_ecdsa');
  assert.equal(readlinkSync(ws.path('mounted/id_ecdsa.pub')), 'current/id_ecdsa.pub');
  assert.match(readlinkSync(ws.path('mounted/current')), /^generations\/[^/]+$/);
  assert.equal(statSync(ws.path('mounted/id_ecdsa')).mode & 0o777, 0o600);
  assert.equal(readdirSync(ws.path('mounted/generations')).length, 1, 'old generations are pruned; the backup keeps them');

  // dev and local share the pair in the store; the store directory is private.
  assert.equal(ws.read('store/dev/id_ecdsa'), ws.read('mounted/id_ecdsa'));
  assert.equal(ws.read('store/local/id_ecdsa.pub'), mountedPub);
  assert.equal(statSync(ws.path('store')).mode & 0o777, 0o700);

  // cli.toml: only the token changed; the new token keeps every claim, refreshes iat and keeps exp null.
  const after = ws.read('cli.toml');
  const newToken = tokenOf(after);
  assert.equal(after, before.replace(ws.token, newToken));
  const claims = verifiedClaims(newToken, mountedPub);
  const original = serverClaims();
  assert.deepEqual(Object.keys(claims), Object.keys(original));
  for (const name of ['hex_identity', 'sub', 'iss', 'aud', 'exp']) assert.deepEqual(claims[name], original[name], name);
  assert.ok((claims.iat as number) >= started);

  // The backup holds the old state, privately.
  const backup = onlyBackup(ws);
  assert.match(backup, /^backups\/\d{8}T\d{6}Z-rotate-local$/);
  assert.equal(statSync(ws.path(backup)).mode & 0o777, 0o700);
  assert.equal(ws.read(`${backup}/mounted/id_ecdsa`), ws.pair.privatePem);
  assert.equal(statSync(ws.path(`${backup}/mounted/id_ecdsa`)).mode & 0o777, 0o600);
  assert.equal(ws.read(`${backup}/cli.toml`), before);
  assert.equal(JSON.parse(ws.read(`${backup}/journal.json`)).state, 'complete');
  const manifest = JSON.parse(ws.read(`${backup}/manifest.json`));
  assert.deepEqual(manifest.entries.map((entry: { kind: string }) => entry.kind), ['mounted', 'cli-toml']);

  const verify = await ws.tool(['--verify-only', '--env', 'local']);
  assert.equal(verify.code, 0, verify.stdout);
  assert.equal(verify.marker, 'VERIFY_SUCCESS');
});

test('human output lists what was done, the identity before and after, next steps, and ends with the marker', async () => {
  const ws = workspace();
  const result = await ws.tool(['--yes']);
  assert.equal(result.code, 0, result.stdout);
  assert.match(result.stdout, /Identity before: c200[0-9a-f]{60}\nIdentity after: {2}c200[0-9a-f]{60}/);
  assert.match(result.stdout, /Restart SpacetimeDB/);
  assert.match(result.stdout, /\nROTATION_SUCCESS\n$/);
  assert.match(result.stderr, /spacetimedb-tooling: writing the new pair/);
});

test('prod and test get their own pairs, dev and local share one, and verification enforces it', async () => {
  const ws = workspace();
  for (const env of ['prod', 'test', 'dev']) {
    const result = await ws.tool(['--yes', '--env', env, '--no-sync-mounted-keys', '--no-preserve-publisher-token']);
    assert.equal(result.code, 0, result.stdout);
  }
  const fp = (env: string): string => fingerprintOf(ws.read(`store/${env}/id_ecdsa.pub`));
  assert.notEqual(fp('prod'), fp('test'));
  assert.notEqual(fp('prod'), fp('dev'));
  assert.equal(fp('dev'), fp('local'));
  const verifyProd = await ws.tool(['--verify-only', '--env', 'prod', '--private-key-path', 'store/prod/id_ecdsa', '--public-key-path', 'store/prod/id_ecdsa.pub', '--no-preserve-publisher-token', '--json']);
  assert.equal(verifyProd.code, 0, verifyProd.stdout);
  const policy = verifyProd.json.checks.find((check: { name: string }) => check.name === 'policy');
  assert.equal(policy.ok, true);

  // Pointing test at prod's pair breaks the policy, and verification says so.
  renameSync(ws.path('store/test'), ws.path('store/test.away'));
  symlinkSync('prod', ws.path('store/test'));
  const broken = await ws.tool(['--verify-only', '--env', 'prod', '--no-preserve-publisher-token', '--json']);
  assert.equal(broken.code, 1);
  const failed = broken.json.checks.find((check: { name: string }) => check.name === 'policy');
  assert.equal(failed.ok, false);
  assert.match(failed.message, /prod and test hold the same keypair/);
  assert.match(broken.json.marker, /^VERIFY_FAILED failed=.*policy/);
});

test('restoring a backup puts back the keys, the store and cli.toml, after backing up the current state', async () => {
  const ws = workspace();
  assert.equal((await ws.tool(['--yes'])).code, 0);
  const firstCli = ws.read('cli.toml');
  const firstPub = ws.read('mounted/id_ecdsa.pub');
  const second = await ws.tool(['--yes', '--json']);
  assert.equal(second.code, 0);
  assert.notEqual(ws.read('mounted/id_ecdsa.pub'), firstPub);
  const backup = second.json.backupDir as string;
  const restore = await ws.tool(['--restore-backup', backup, '--yes', '--json']);
  assert.equal(restore.code, 0, JSON.stringify(restore.json));
  assert.equal(restore.json.marker, 'RESTORE_SUCCESS');
  assert.equal(ws.read('mounted/id_ecdsa.pub'), firstPub);
  assert.equal(ws.read('store/dev/id_ecdsa.pub'), firstPub);
  assert.equal(ws.read('store/local/id_ecdsa.pub'), firstPub);
  assert.equal(ws.read('cli.toml'), firstCli);
  assert.match(restore.json.backupDir, /pre-restore/);
  const verify = await ws.tool(['--verify-only']);
  assert.equal(verify.code, 0, verify.stdout);
});

test('a dry run checks everything and changes nothing', async () => {
  const ws = workspace();
  const before = snapshot(ws.dir);
  const result = await ws.tool(['--dry-run']);
  assert.equal(result.code, 0, result.stdout);
  assert.match(result.stdout, /Would do:\n {2}- back up/);
  assert.equal(result.marker, 'DRY_RUN_SUCCESS mode=rotate');
  assert.deepEqual(snapshot(ws.dir), before);
});

test('--no-preserve-publisher-token leaves cli.toml alone and warns about 401s; --no-sync-mounted-keys leaves the mounted keys', async () => {
  const ws = workspace();
  const cli = ws.read('cli.toml');
  const mounted = snapshot(ws.path('mounted'));
  const result = await ws.tool(['--yes', '--no-preserve-publisher-token', '--no-sync-mounted-keys', '--json']);
  assert.equal(result.code, 0, JSON.stringify(result.json.checks));
  assert.equal(ws.read('cli.toml'), cli);
  assert.deepEqual(snapshot(ws.path('mounted')), mounted);
  assert.ok(result.json.warnings.some((w: string) => /401/.test(w) && /--resign-token-only/.test(w)));
  assert.ok(result.json.nextSteps.some((s: string) => /--sync-only/.test(s)));
});

test('a rotation can install a given pair; CRLF line endings are normalised', async () => {
  const ws = workspace();
  const given = newPair();
  ws.write('incoming/key.pem', given.privatePem.replace(/\n/g, '\r\n'));
  ws.write('incoming/key.pub', given.publicPem.replace(/\n/g, '\r\n'));
  const verifyCrlf = await ws.tool(['--verify-only', '--private-key-path', 'incoming/key.pem', '--public-key-path', 'incoming/key.pub', '--no-preserve-publisher-token', '--json']);
  const endings = verifyCrlf.json.checks.find((check: { name: string }) => check.name === 'line-endings');
  assert.equal(endings.ok, false);
  assert.match(endings.message, /incoming\/key\.pem has CRLF line endings/);
  const result = await ws.tool(['--yes', '--private-key-path', 'incoming/key.pem', '--public-key-path', 'incoming/key.pub']);
  assert.equal(result.code, 0, result.stdout);
  assert.equal(ws.read('mounted/id_ecdsa'), given.privatePem);
  assert.equal(ws.read('mounted/id_ecdsa.pub'), given.publicPem);
});

test('the private key is created 0600 whatever the umask', async () => {
  const ws = workspace();
  const old = process.umask(0);
  try {
    assert.equal((await ws.tool(['--yes'])).code, 0);
  } finally {
    process.umask(old);
  }
  for (const file of ['mounted/id_ecdsa', 'store/dev/id_ecdsa', 'store/local/id_ecdsa']) assert.equal(statSync(ws.path(file)).mode & 0o777, 0o600, file);
  assert.equal(lstatSync(ws.path('backups')).mode & 0o777, 0o700);
});

test('a symlinked mounted directory, cli.toml or key file is refused by name unless --follow-symlinks', async () => {
  const ws = workspace();
  renameSync(ws.path('mounted'), ws.path('real-keys'));
  symlinkSync('real-keys', ws.path('mounted'));
  const before = snapshot(ws.dir);
  const refused = await ws.tool(['--yes']);
  assert.equal(refused.code, 3);
  assert.match(refused.stderr, /^error: mounted: is a symlink to real-keys; this tool does not write through symlinks\. .*--follow-symlinks/m);
  assert.equal(refused.marker, 'ROTATION_FAILED symlink');
  assert.deepEqual(snapshot(ws.dir), before);

  const followed = await ws.tool(['--yes', '--follow-symlinks']);
  assert.equal(followed.code, 0, followed.stdout);
  assert.equal(readlinkSync(ws.path('mounted')), 'real-keys', 'the link itself is kept');
  assert.equal(readlinkSync(ws.path('real-keys/id_ecdsa')), 'current/id_ecdsa');

  const ws2 = workspace();
  renameSync(ws2.path('cli.toml'), ws2.path('real-cli.toml'));
  symlinkSync('real-cli.toml', ws2.path('cli.toml'));
  const cliRefused = await ws2.tool(['--resign-token-only', '--yes']);
  assert.equal(cliRefused.code, 3);
  assert.match(cliRefused.stderr, /cli\.toml: is a symlink to real-cli\.toml/);

  const ws3 = workspace();
  renameSync(ws3.path('mounted/id_ecdsa'), ws3.path('elsewhere.pem'));
  symlinkSync('../elsewhere.pem', ws3.path('mounted/id_ecdsa'));
  const snap3 = snapshot(ws3.dir);
  const keyRefused = await ws3.tool(['--yes', '--follow-symlinks']);
  assert.equal(keyRefused.code, 3);
  assert.match(keyRefused.stderr, /mounted\/id_ecdsa: is a symlink to \.\.\/elsewhere\.pem, which this tool does not manage/);
  assert.deepEqual(snapshot(ws3.dir), snap3);
});

test('a saved ecdsa_public_key of the server being rotated is reported', async () => {
  const pair = newPair();
  const base = makeWorkspace({ pair });
  const cli = `${base.read('cli.toml')}\n[[server_configs]]\nnickname = "selfhost"\nhost = "10.0.0.5:3000"\nprotocol = "http"\necdsa_public_key = """\n${pair.publicPem}"""\n`;
  removeWorkspace(base);
  const ws = workspace({ pair, cliToml: cli });
  const result = await ws.tool(['--yes', '--json']);
  assert.equal(result.code, 0);
  assert.ok(
    result.json.warnings.some((w: string) => /the public key being rotated out as ecdsa_public_key of server selfhost \(10\.0\.0\.5:3000\)/.test(w) && /Fingerprint has changed/.test(w)),
    result.json.warnings.join('\n'),
  );
});

test('--sync-only refreshes another host\'s mounted keys from the store without generating new ones', async () => {
  const ws = workspace();
  assert.equal((await ws.tool(['--yes', '--env', 'prod'])).code, 0);
  const storePub = ws.read('store/prod/id_ecdsa.pub');
  const sync = await ws.tool(['--sync-only', '--env', 'prod', '--mounted-keys-dir', 'host2', '--yes', '--json']);
  assert.equal(sync.code, 0, JSON.stringify(sync.json));
  assert.equal(sync.json.marker, 'SYNC_SUCCESS');
  assert.equal(ws.read('host2/id_ecdsa.pub'), storePub);
  assert.equal(ws.read('host2/id_ecdsa'), ws.read('store/prod/id_ecdsa'));
  const before = snapshot(ws.dir);
  const again = await ws.tool(['--sync-only', '--env', 'prod', '--mounted-keys-dir', 'host2', '--yes']);
  assert.equal(again.code, 0);
  assert.match(again.stdout, /already holds/);
  assert.deepEqual(snapshot(ws.dir), before, 'nothing rewritten when already in sync');
  const empty = await ws.tool(['--sync-only', '--env', 'test', '--yes']);
  assert.equal(empty.code, 3);
  assert.match(empty.stderr, /store\/test: holds no keypair for test/);
});

test('an expired or foreign-key token is reported by verification, and re-signing keeps its identity', async () => {
  const other = newPair();
  const ws = workspace();
  const { mintToken } = await import('./support/workspace');
  ws.write('cli.toml', ws.read('cli.toml').replace(ws.token, mintToken(other.privatePem, { ...serverClaims(), exp: 1_000_000 })));
  const verify = await ws.tool(['--verify-only', '--json']);
  assert.equal(verify.code, 1);
  const failed = verify.json.checks.filter((check: { ok: boolean }) => !check.ok).map((check: { name: string }) => check.name);
  assert.deepEqual(failed, ['token-signature', 'token-claims']);
  // A token no trusted key verifies is not re-signed; with the signer's public key given, it is.
  const before = snapshot(ws.dir);
  const refused = await ws.tool(['--resign-token-only', '--yes', '--json']);
  assert.equal(refused.code, 3, JSON.stringify(refused.json));
  assert.equal(refused.json.marker, 'RESIGN_FAILED untrusted-token');
  assert.deepEqual(snapshot(ws.dir), before);
  ws.write('other.pub', other.publicPem);
  const resign = await ws.tool(['--resign-token-only', '--yes', '--json', '--trusted-public-key', 'other.pub']);
  assert.equal(resign.code, 0, JSON.stringify(resign.json));
  assert.ok(resign.json.warnings.some((w: string) => /dropped the exp claim/.test(w)));
  assert.equal((await ws.tool(['--verify-only'])).code, 0);
});
