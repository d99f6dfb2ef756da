// --server-url against a tiny node:http stand-in on 127.0.0.1 that serves the two endpoints of the
// HTTP contract (GET /v1/identity/public-key, GET /v1/identity/<hex>/verify). It is a test double for
// that contract, not a real SpacetimeDB server.
import assert from 'node:assert/strict';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { miniBlake3 } from './support/mini-blake3';
import { makeWorkspace, newPair, removeWorkspace, type Workspace } from './support/workspace';

const workspaces: Workspace[] = [];
const servers: Server[] = [];
after(() => {
  workspaces.forEach(removeWorkspace);
  servers.forEach((server) => server.close());
});

function identityOf(iss: string, sub: string): string {
  const h = miniBlake3(new TextEncoder().encode(`${iss}|${sub}`));
  const checksum = miniBlake3(Uint8Array.from([0xc2, 0x00, ...h.subarray(0, 26)]));
  return Buffer.from([0xc2, 0x00, ...checksum.subarray(0, 4), ...h.subarray(0, 26)]).toString('hex');
}

interface StandIn {
  url: string;
  requests: string[];
}

/** Serves `servedPublicKey` byte for byte and verifies bearer tokens against `loadedPublicPem`. */
async function standIn(servedPublicKey: string, loadedPublicPem: string, options: { identityFor?: () => string } = {}): Promise<StandIn> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    if (request.method === 'GET' && request.url === '/v1/identity/public-key') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end(servedPublicKey);
      return;
    }
    const match = /^\/v1\/identity\/([0-9a-f]{64})\/verify$/.exec(request.url ?? '');
    if (request.method === 'GET' && match) {
      const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
      const [h, p, s] = token.split('.');
      const valid =
        !!h && !!p && !!s && cryptoVerify('sha256', Buffer.from(`${h}.${p}`), { key: createPublicKey(loadedPublicPem), dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
      if (!valid) {
        response.writeHead(401).end('Invalid token: InvalidSignature');
        return;
      }
      const claims = JSON.parse(Buffer.from(p as string, 'base64url').toString());
      const identity = options.identityFor ? options.identityFor() : identityOf(claims.iss, claims.sub);
      response.writeHead(identity === match[1] ? 204 : 400).end();
      return;
    }
    response.writeHead(404).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

function check(result: { json: { checks: { name: string; ok: boolean; message: string }[] } }, name: string): { ok: boolean; message: string } {
  const found = result.json.checks.find((c) => c.name === name);
  assert.ok(found, name);
  return found;
}

test('a server that loaded the mounted keys serves them byte for byte and answers 204 for the token', async () => {
  const ws = makeWorkspace();
  workspaces.push(ws);
  const server = await standIn(ws.pair.publicPem, ws.pair.publicPem);
  const result = await ws.tool(['--verify-only', '--json', '--server-url', `${server.url}/`]);
  assert.equal(result.code, 0, JSON.stringify(result.json.checks));
  assert.equal(check(result, 'server-public-key').ok, true);
  assert.match(check(result, 'server-accepts-token').message, /HTTP 204/);
  assert.deepEqual(server.requests, ['GET /v1/identity/public-key', `GET /v1/identity/${result.json.token.identity}/verify`]);
});

test('after a rotation without a restart: another key is served and the token gets 401', async () => {
  const ws = makeWorkspace();
  workspaces.push(ws);
  const running = ws.pair.publicPem;
  assert.equal((await ws.tool(['--yes'])).code, 0);
  const server = await standIn(running, running);
  const result = await ws.tool(['--verify-only', '--json', '--server-url', server.url]);
  assert.equal(result.code, 1);
  assert.match(check(result, 'server-public-key').message, /serves another public key .*restart it/);
  const token = check(result, 'server-accepts-token');
  assert.equal(token.ok, false);
  assert.match(token.message, /^HTTP 401: .*InvalidSignature/);
  assert.equal(result.json.marker, 'VERIFY_FAILED failed=server-public-key,server-accepts-token');
});

test('the same key with other bytes (CRLF) is reported as such', async () => {
  const ws = makeWorkspace();
  workspaces.push(ws);
  const server = await standIn(ws.pair.publicPem.replace(/\n/g, '\r\n'), ws.pair.publicPem);
  const result = await ws.tool(['--verify-only', '--json', '--server-url', server.url]);
  assert.equal(result.code, 1);
  assert.match(check(result, 'server-public-key').message, /same key .* but not the same bytes/);
  assert.equal(check(result, 'server-accepts-token').ok, true);
});

test('400 (valid token, another identity) is reported apart from 401', async () => {
  const ws = makeWorkspace();
  workspaces.push(ws);
  const server = await standIn(ws.pair.publicPem, ws.pair.publicPem, { identityFor: () => identityOf('localhost', 'someone-else') });
  const result = await ws.tool(['--verify-only', '--json', '--server-url', server.url]);
  assert.equal(result.code, 1);
  assert.match(check(result, 'server-accepts-token').message, /^HTTP 400: .*another identity/);
});

test('a server that is not there is reported, not thrown', async () => {
  const ws = makeWorkspace();
  workspaces.push(ws);
  const server = await standIn(newPair().publicPem, ws.pair.publicPem);
  const url = server.url;
  await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));
  const result = await ws.tool(['--verify-only', '--json', '--server-url', url]);
  assert.equal(result.code, 1);
  assert.match(check(result, 'server-public-key').message, /no answer/);
});
