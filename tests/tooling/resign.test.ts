import assert from 'node:assert/strict';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { after, test } from 'node:test';
import { computeIdentity } from '../../tooling/token/identity';
import { makeWorkspace, mintToken, newPair, removeWorkspace, serverClaims, snapshot, SUB, type Workspace } from './support/workspace';

const workspaces: Workspace[] = [];
after(() => workspaces.forEach(removeWorkspace));

const IDENTITY = computeIdentity('localhost', SUB);

function tokenIn(text: string): string {
  const match = /spacetimedb_token = ['"]([^'"]+)['"]/.exec(text);
  assert.ok(match);
  return match[1] as string;
}

function verifies(token: string, publicPem: string): boolean {
  const [h, p, s] = token.split('.') as [string, string, string];
  return cryptoVerify('sha256', Buffer.from(`${h}.${p}`), { key: createPublicKey(publicPem), dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
}

/**
 * A workspace whose token was signed by another host's key (saved as old.pub, passed as trusted), with
 * an extra claim, in a literal TOML string.
 */
function staleTokenWorkspace(): Workspace {
  const old = newPair();
  const token = mintToken(old.privatePem, { ...serverClaims(), role: 'publisher' });
  const ws = makeWorkspace({ token });
  ws.write('cli.toml', ws.read('cli.toml').replace(`"${token}"`, `'${token}'`));
  ws.write('old.pub', old.publicPem);
  workspaces.push(ws);
  return ws;
}

const RESIGN = ['--resign-token-only', '--trusted-public-key', 'old.pub'];

test('re-signing keeps the identity, every claim and every other byte of cli.toml', async () => {
  const ws = staleTokenWorkspace();
  const before = ws.read('cli.toml');
  assert.equal(verifies(ws.token, ws.pair.publicPem), false);
  const result = await ws.tool([...RESIGN, '--yes', '--json']);
  assert.equal(result.code, 0, JSON.stringify(result.json, null, 1));
  assert.equal(result.json.marker, `RESIGN_SUCCESS identity=${IDENTITY}`);
  assert.equal(result.json.identityBefore, IDENTITY);
  assert.equal(result.json.identityAfter, IDENTITY);
  assert.equal(result.json.token.signatureValid, true);
  assert.equal(result.json.token.quoting, 'literal');
  const after = ws.read('cli.toml');
  const token = tokenIn(after);
  assert.equal(after, before.replace(ws.token, token), 'only the token changed, still in single quotes');
  assert.ok(verifies(token, ws.pair.publicPem));
  assert.equal(token.split('.')[0], Buffer.from('{"typ":"JWT","alg":"ES256"}').toString('base64url'));
  const claims = JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString());
  assert.deepEqual(Object.keys(claims), ['hex_identity', 'sub', 'iss', 'aud', 'iat', 'exp', 'role']);
  assert.equal(claims.role, 'publisher');
  assert.match(result.json.backupDir, /^backups\/\d{8}T\d{6}Z-resign$/);
  assert.equal(ws.read(`${result.json.backupDir}/cli.toml`), before);
});

test('human output shows the identity before and after and ends with RESIGN_SUCCESS identity=<hex>', async () => {
  const ws = staleTokenWorkspace();
  const result = await ws.tool([...RESIGN, '--yes']);
  assert.equal(result.code, 0, result.stdout);
  assert.match(result.stdout, new RegExp(`Identity before: ${IDENTITY}\nIdentity after:  ${IDENTITY}\n`));
  assert.equal(result.marker, `RESIGN_SUCCESS identity=${IDENTITY}`);
});

test('no output ever contains a private key or a whole token, even with --verbose', async () => {
  const ws = staleTokenWorkspace();
  const outputs: string[] = [];
  for (const args of [[...RESIGN, '--yes', '--verbose'], ['--verify-only', '--verbose'], ['--verify-only', '--json'], ['--yes', '--verbose'], ['--yes', '--json']]) {
    const result = await ws.tool(args);
    outputs.push(result.stdout + result.stderr);
  }
  const tokens = [ws.token, tokenIn(ws.read('cli.toml'))];
  for (const output of outputs) {
    assert.doesNotMatch(output, /PRIVATE KEY/);
    for (const token of tokens) {
      assert.equal(output.includes(token), false);
      assert.equal(output.includes(token.split('.')[2] as string), false, 'no signature either');
    }
  }
  assert.match(outputs[0] as string, /old signature verifies against old\.pub \(--trusted-public-key\)/);
});

test('a private key alone can re-sign; its public half is used for the checks', async () => {
  const ws = staleTokenWorkspace();
  const other = newPair();
  ws.write('elsewhere/signing.pem', other.privatePem, 0o600);
  const result = await ws.tool([...RESIGN, '--yes', '--private-key-path', 'elsewhere/signing.pem', '--json']);
  assert.equal(result.code, 0, JSON.stringify(result.json.checks));
  assert.ok(verifies(tokenIn(ws.read('cli.toml')), other.publicPem));
});

test('a saved ecdsa_public_key that differs from the signing key is pointed out', async () => {
  const ws = staleTokenWorkspace();
  ws.write('cli.toml', `${ws.read('cli.toml')}\n[[server_configs]]\nnickname = "edge"\nhost = "edge:3000"\nprotocol = "http"\necdsa_public_key = """\n${newPair().publicPem}"""\n`);
  const result = await ws.tool([...RESIGN, '--yes', '--json']);
  assert.equal(result.code, 0);
  assert.ok(result.json.warnings.some((w: string) => /ecdsa_public_key of server edge \(edge:3000\).*spacetime server fingerprint edge/.test(w)));
});

test('a re-sign dry run changes nothing and names the identity it would keep', async () => {
  const ws = staleTokenWorkspace();
  const before = snapshot(ws.dir);
  const result = await ws.tool([...RESIGN, '--dry-run']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, new RegExp(`keeping identity ${IDENTITY}`));
  assert.equal(result.marker, 'DRY_RUN_SUCCESS mode=resign');
  assert.deepEqual(snapshot(ws.dir), before);
});

test('the re-sign report names no environment: re-signing does not depend on one', async () => {
  const ws = staleTokenWorkspace();
  const result = await ws.tool([...RESIGN, '--yes', '--env', 'prod']);
  assert.equal(result.code, 0, result.stderr);
  const header = result.stdout.split('\n')[0] ?? '';
  assert.match(header, /^spacetimedb-tooling \S+: /);
  assert.doesNotMatch(header, /\(env /);
});

test('restoring a re-sign backup after the keys changed puts cli.toml back, then fails its checks', async () => {
  const ws = staleTokenWorkspace();
  const staleToml = ws.read('cli.toml');
  const resign = await ws.tool([...RESIGN, '--yes', '--json']);
  assert.equal(resign.code, 0, JSON.stringify(resign.json));
  const restore = await ws.tool(['--restore-backup', resign.json.backupDir, '--yes', '--json']);
  assert.equal(ws.read('cli.toml'), staleToml, 'the backed-up cli.toml is back, byte for byte');
  assert.equal(restore.code, 1);
  assert.equal(restore.json.marker, 'RESTORE_FAILED checks-failed');
  assert.ok(
    restore.json.checks.some((check: { ok: boolean; name: string }) => !check.ok && /signature/i.test(check.name)),
    JSON.stringify(restore.json.checks),
  );
});
