import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { after, test } from 'node:test';
import { computeIdentity } from '../../tooling/token/identity';
import { checkPolicy } from '../../tooling/checks/policy';
import { makeWorkspace, mintToken, openssl, removeWorkspace, serverClaims, snapshot, SUB, type Workspace } from './support/workspace';

const workspaces: Workspace[] = [];
after(() => workspaces.forEach(removeWorkspace));
function workspace(...args: Parameters<typeof makeWorkspace>): Workspace {
  const ws = makeWorkspace(...args);
  workspaces.push(ws);
  return ws;
}

const ALL_CHECKS = [
  'private-key-format', 'public-key-format', 'curve', 'pair-matches', 'line-endings', 'private-key-mode', 'key-dir-layout', 'permissions', 'policy',
  'cli-toml', 'token-format', 'token-signature', 'token-claims', 'token-identity', 'token-payload-alphabet',
];

test('--verify-only --json prints one object with every check, the fingerprint and the token\'s identity', async () => {
  const ws = workspace();
  const before = snapshot(ws.dir);
  const result = await ws.tool(['--verify-only', '--json']);
  assert.equal(result.code, 0);
  const report = result.json;
  assert.equal(report.ok, true);
  assert.equal(report.marker, 'VERIFY_SUCCESS');
  assert.deepEqual(report.checks.map((c: { name: string }) => c.name), ALL_CHECKS);
  for (const check of report.checks) {
    assert.equal(typeof check.ok, 'boolean');
    assert.equal(typeof check.message, 'string');
    assert.ok(check.message.length > 0);
  }
  assert.match(report.keys.fingerprint, /^[0-9a-f]{64}$/);
  assert.equal(report.token.iss, 'localhost');
  assert.equal(report.token.sub, SUB);
  assert.equal(report.token.identity, computeIdentity('localhost', SUB));
  assert.equal(report.token.signatureValid, true);
  assert.equal(result.stdout.trim().split('\n')[0], '{');
  assert.equal(result.stderr, '', 'no progress lines in JSON mode');
  assert.deepEqual(snapshot(ws.dir), before);
});

test('a payload whose base64url has - or _ fails the alphabet check; a 0400 key passes the mode check', async () => {
  const base = makeWorkspace();
  const token = mintToken(base.pair.privatePem, { sub: 'user??>2', iss: 'localhost', iat: 1 });
  removeWorkspace(base);
  const ws = workspace({ pair: base.pair, token });
  ws.write('mounted/id_ecdsa', ws.pair.privatePem, 0o400);
  const result = await ws.tool(['--verify-only', '--json']);
  assert.equal(result.code, 1);
  const failed = result.json.checks.filter((c: { ok: boolean }) => !c.ok);
  assert.deepEqual(failed.map((c: { name: string }) => c.name), ['token-payload-alphabet']);
  assert.match(failed[0].message, /spacetime login show/);
  assert.equal(result.json.marker, 'VERIFY_FAILED failed=token-payload-alphabet');
});

test('--no-preserve-publisher-token verifies the keys only', async () => {
  const ws = workspace();
  ws.write('cli.toml', 'not = [valid');
  const result = await ws.tool(['--verify-only', '--no-preserve-publisher-token', '--json']);
  assert.equal(result.code, 0);
  assert.ok(result.json.checks.every((c: { name: string }) => !c.name.startsWith('token') && c.name !== 'cli-toml'));
});

test('policy: prod, test and dev/local differ; dev and local are the same pair', () => {
  assert.equal(checkPolicy({}).ok, true);
  assert.equal(checkPolicy({ prod: 'a', test: 'b', dev: 'c', local: 'c' }).ok, true);
  assert.match(checkPolicy({ prod: 'a', test: 'a' }).message, /prod and test hold the same keypair/);
  assert.match(checkPolicy({ prod: 'a', dev: 'a', local: 'a' }).message, /prod and dev hold the same keypair/);
  assert.match(checkPolicy({ dev: 'c', local: 'd' }).message, /dev and local hold different keypairs/);
  assert.match(checkPolicy({ dev: 'c' }).message, /local has no keypair but dev has/);
});

test('a token from another issuer keeps working with the local key: identity from its iss and sub', async () => {
  const base = makeWorkspace();
  const claims = { ...serverClaims('github|1234', 'https://auth.example.com'), hex_identity: computeIdentity('https://auth.example.com', 'github|1234') };
  const token = mintToken(base.pair.privatePem, claims);
  removeWorkspace(base);
  const ws = workspace({ pair: base.pair, token });
  const result = await ws.tool(['--verify-only', '--json']);
  assert.equal(result.code, 0, JSON.stringify(result.json.checks));
  assert.equal(result.json.token.identity, computeIdentity('https://auth.example.com', 'github|1234'));
});

test('keys made by openssl genpkey pass every check, with the fingerprint openssl prints', async () => {
  const priv = openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1']);
  assert.equal(priv.status, 0, priv.stderr);
  const pub = openssl(['pkey', '-pubout'], priv.stdout);
  const privatePem = priv.stdout.toString();
  const ws = workspace({ pair: { privatePem, publicPem: pub.stdout.toString(), privateKey: createPrivateKey(privatePem) } });
  const result = await ws.tool(['--verify-only', '--json']);
  assert.equal(result.code, 0, JSON.stringify(result.json.checks));
  const der = openssl(['pkey', '-pubin', '-outform', 'DER'], pub.stdout);
  const printed = openssl(['dgst', '-sha256'], der.stdout).stdout.toString().trim().split('= ')[1];
  assert.equal(result.json.keys.fingerprint, printed);
});
