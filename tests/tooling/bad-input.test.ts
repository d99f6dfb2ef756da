// Bad input: each case gets a one-line error naming the file and the problem, a non-zero exit, and no
// file changes (the whole workspace is hashed before and after).
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { after, test } from 'node:test';
import { computeIdentity } from '../../tooling/token/identity';
import { makeWorkspace, mintToken, newPair, openssl, removeWorkspace, serverClaims, snapshot, type Workspace } from './support/workspace';

const workspaces: Workspace[] = [];
after(() => workspaces.forEach(removeWorkspace));

const b64url = (text: string): string => Buffer.from(text).toString('base64url');
const HEADER = b64url('{"typ":"JWT","alg":"ES256"}');

function opensslPem(args: string[]): string {
  const result = openssl(args);
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.toString();
}

interface Case {
  name: string;
  setup(ws: Workspace): void;
  args: string[];
  code: number;
  error: RegExp;
}

const RESIGN = ['--resign-token-only', '--yes'];
const ROTATE = ['--yes'];

function withToken(ws: Workspace, token: string): void {
  ws.write('cli.toml', ws.read('cli.toml').replace(ws.token, token));
}

const cases: Case[] = [
  { name: 'missing private key file', setup: (ws) => rmSync(ws.path('mounted/id_ecdsa')), args: RESIGN, code: 3, error: /mounted\/id_ecdsa: not found/ },
  {
    name: 'only one of the pair',
    setup: (ws) => rmSync(ws.path('mounted/id_ecdsa.pub')),
    args: RESIGN,
    code: 3,
    error: /mounted\/id_ecdsa\.pub: not found\. .*Only one of the pair is there/,
  },
  {
    name: 'SEC1 private key',
    setup: (ws) => ws.write('mounted/id_ecdsa', opensslPem(['ecparam', '-name', 'prime256v1', '-genkey', '-noout'])),
    args: RESIGN,
    code: 3,
    error: /mounted\/id_ecdsa: SEC1 .*openssl pkcs8 -topk8 -nocrypt/,
  },
  {
    name: 'encrypted private key',
    setup: (ws) => ws.write('mounted/id_ecdsa', opensslPem(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-aes256', '-pass', 'pass:x'])),
    args: RESIGN,
    code: 3,
    error: /mounted\/id_ecdsa: passphrase-encrypted private key/,
  },
  {
    name: 'RSA private key',
    setup: (ws) => ws.write('mounted/id_ecdsa', generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string),
    args: RESIGN,
    code: 3,
    error: /mounted\/id_ecdsa: RSA key; SpacetimeDB signs with ES256/,
  },
  {
    name: 'P-384 private key',
    setup: (ws) => ws.write('mounted/id_ecdsa', generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string),
    args: RESIGN,
    code: 3,
    error: /mounted\/id_ecdsa: EC key on P-384/,
  },
  { name: 'mismatched pair', setup: (ws) => ws.write('mounted/id_ecdsa.pub', newPair().publicPem), args: RESIGN, code: 3, error: /mounted\/id_ecdsa\.pub: does not belong to mounted\/id_ecdsa/ },
  { name: 'truncated PEM', setup: (ws) => ws.write('mounted/id_ecdsa', ws.pair.privatePem.slice(0, 100)), args: RESIGN, code: 3, error: /mounted\/id_ecdsa: the "PRIVATE KEY" block has no END line/ },
  { name: 'random bytes as a key', setup: (ws) => ws.write('mounted/id_ecdsa', randomBytes(256)), args: RESIGN, code: 3, error: /mounted\/id_ecdsa: no PEM block found/ },
  {
    name: 'SEC1 key offered to a rotation',
    setup: (ws) => {
      ws.write('in/key', opensslPem(['ecparam', '-name', 'prime256v1', '-genkey', '-noout']));
      ws.write('in/key.pub', newPair().publicPem);
    },
    args: ['--yes', '--private-key-path', 'in/key', '--public-key-path', 'in/key.pub'],
    code: 3,
    error: /in\/key: SEC1/,
  },
  {
    name: 'a mismatched pair in the store is not synced',
    setup: (ws) => {
      ws.write('store/prod/id_ecdsa', newPair().privatePem);
      ws.write('store/prod/id_ecdsa.pub', newPair().publicPem);
    },
    args: ['--sync-only', '--env', 'prod', '--yes'],
    code: 3,
    error: /file store store\/prod public key: does not belong to/,
  },
  { name: 'missing cli.toml', setup: (ws) => rmSync(ws.path('cli.toml')), args: ROTATE, code: 3, error: /cli\.toml: not found\. .*--no-preserve-publisher-token/ },
  { name: 'invalid TOML', setup: (ws) => ws.write('cli.toml', 'spacetimedb_token = "abc\n[[server_configs\n'), args: ROTATE, code: 3, error: /cli\.toml: is not valid TOML/ },
  { name: 'no spacetimedb_token', setup: (ws) => ws.write('cli.toml', 'default_server = "local"\n'), args: ROTATE, code: 3, error: /cli\.toml: has no spacetimedb_token/ },
  { name: 'token not three parts', setup: (ws) => withToken(ws, 'abc.def'), args: ROTATE, code: 3, error: /cli\.toml: the token has 2 dot-separated parts, expected 3/ },
  { name: 'bad base64 in the token', setup: (ws) => withToken(ws, `${HEADER}.e30*.AAAA`), args: ROTATE, code: 3, error: /cli\.toml: the token's payload is not valid base64url/ },
  { name: 'bad JSON in the token', setup: (ws) => withToken(ws, `${HEADER}.${b64url('{"sub": "x",')}.AAAA`), args: ROTATE, code: 3, error: /cli\.toml: the token's payload is not valid JSON/ },
  {
    name: 'token without sub',
    setup: (ws) => withToken(ws, mintToken(ws.pair.privatePem, { iss: 'localhost', iat: 1 })),
    args: RESIGN,
    code: 3,
    error: /cli\.toml: the token has no "sub" claim/,
  },
  {
    name: 'token without iss',
    setup: (ws) => withToken(ws, mintToken(ws.pair.privatePem, { sub: 'x', iat: 1 })),
    args: ROTATE,
    code: 3,
    error: /cli\.toml: the token has no "iss" claim/,
  },
  {
    name: 'hex_identity that does not match',
    setup: (ws) => withToken(ws, mintToken(ws.pair.privatePem, { ...serverClaims(), hex_identity: computeIdentity('localhost', 'someone-else') })),
    args: RESIGN,
    code: 3,
    error: /cli\.toml: the token's hex_identity c200[0-9a-f]+ does not match the identity c200[0-9a-f]+ computed from iss and sub/,
  },
  {
    name: 'claims whose base64url always has - or _',
    setup: (ws) => withToken(ws, mintToken(ws.pair.privatePem, { sub: 'user??>2', iss: 'localhost', iat: 1 })),
    args: RESIGN,
    code: 3,
    error: /cli\.toml: every encoding of this token's claims has - or _/,
  },
  { name: 'missing --yes', setup: () => {}, args: ['--resign-token-only'], code: 2, error: /add --yes/ },
  { name: 'unknown flag', setup: () => {}, args: ['--yes', '--rotate-everything'], code: 2, error: /unknown flag --rotate-everything/ },
];

for (const c of cases) {
  test(`bad input: ${c.name} → exit ${c.code}, one error line, nothing changed`, async () => {
    const ws = makeWorkspace();
    workspaces.push(ws);
    c.setup(ws);
    const before = snapshot(ws.dir);
    const result = await ws.tool(c.args);
    assert.equal(result.code, c.code, `${result.stderr}\n${result.stdout}`);
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('error: '));
    assert.equal(errors.length, 1, result.stderr);
    assert.match(errors[0] as string, c.error);
    assert.match(result.marker, /_FAILED /);
    assert.deepEqual(snapshot(ws.dir), before);
  });
}

test('verification reports bad keys as failed checks (exit 1) and writes nothing', async () => {
  const ws = makeWorkspace();
  workspaces.push(ws);
  ws.write('mounted/id_ecdsa', opensslPem(['ecparam', '-name', 'prime256v1', '-genkey', '-noout']), 0o644);
  const before = snapshot(ws.dir);
  const result = await ws.tool(['--verify-only', '--json']);
  assert.equal(result.code, 1);
  const byName = Object.fromEntries(result.json.checks.map((check: { name: string }) => [check.name, check]));
  assert.match(byName['private-key-format'].message, /SEC1.*openssl pkcs8 -topk8 -nocrypt/);
  assert.equal(byName['pair-matches'].ok, false);
  assert.match(byName['private-key-mode'].message, /mode 0644 is looser than 0600\. Fix: chmod 600 mounted\/id_ecdsa/);
  assert.equal(byName['token-signature'].ok, true, 'the token still verifies against the public key');
  assert.deepEqual(snapshot(ws.dir), before);
});
