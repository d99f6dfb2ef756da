import assert from 'node:assert/strict';
import { createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compactVerify, importSPKI } from 'jose';
import { computeIdentity } from '../../tooling/token/identity';
import { TokenProblem, decodeToken, encodePayload, identityClaims, resignClaims, signToken, timeClaimProblem } from '../../tooling/token/token';
import { mintToken, newPair, openssl, serverClaims } from './support/workspace';

const b64url = (text: string): string => Buffer.from(text).toString('base64url');

/** Raw r||s (JOSE) to the DER ECDSA-Sig-Value that openssl dgst -verify reads. */
function rawToDer(raw: Buffer): Buffer {
  const integer = (bytes: Buffer): Buffer => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    let body = bytes.subarray(i);
    if ((body[0] as number) & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
    return Buffer.concat([Buffer.from([0x02, body.length]), body]);
  };
  const seq = Buffer.concat([integer(raw.subarray(0, 32)), integer(raw.subarray(32))]);
  return Buffer.concat([Buffer.from([0x30, seq.length]), seq]);
}

test('a token the tool signs verifies with openssl dgst and with jose, under the exact server header', async () => {
  const pair = newPair();
  const token = await signToken(JSON.stringify(serverClaims()), pair.privateKey);
  const [header, payload, signature] = token.split('.') as [string, string, string];
  assert.equal(Buffer.from(header, 'base64url').toString(), '{"typ":"JWT","alg":"ES256"}');
  const raw = Buffer.from(signature, 'base64url');
  assert.equal(raw.length, 64);
  const dir = mkdtempSync(join(tmpdir(), 'stdb-token-'));
  writeFileSync(join(dir, 'pub.pem'), pair.publicPem);
  writeFileSync(join(dir, 'input'), `${header}.${payload}`);
  writeFileSync(join(dir, 'sig.der'), rawToDer(raw));
  const result = openssl(['dgst', '-sha256', '-verify', join(dir, 'pub.pem'), '-signature', join(dir, 'sig.der'), join(dir, 'input')]);
  assert.equal(result.stdout.toString().trim(), 'Verified OK', result.stderr);
  // jose checks the signature independently (compactVerify: jwtVerify would reject the server's "exp": null).
  const verified = await compactVerify(token, await importSPKI(pair.publicPem, 'ES256'));
  assert.equal(JSON.parse(new TextDecoder().decode(verified.payload)).sub, serverClaims().sub);
  // And a tampered payload does not verify.
  writeFileSync(join(dir, 'input'), `${header}.${b64url('{"sub":"x"}')}`);
  assert.notEqual(openssl(['dgst', '-sha256', '-verify', join(dir, 'pub.pem'), '-signature', join(dir, 'sig.der'), join(dir, 'input')]).status, 0);
  rmSync(dir, { recursive: true, force: true });
});

test('decoding reports each malformed token by its problem', () => {
  const problem = (token: string): string => {
    try {
      decodeToken(token);
    } catch (error) {
      assert.ok(error instanceof TokenProblem);
      return error.message;
    }
    return 'no problem';
  };
  assert.match(problem('abc.def'), /2 dot-separated parts, expected 3/);
  assert.match(problem('a.b.c.d'), /4 dot-separated parts/);
  assert.match(problem('ab!c.e30.AAAA'), /header is not valid base64url/);
  assert.match(problem(`${b64url('{"alg":"ES256"}')}.${b64url('{not json')}.AAAA`), /payload is not valid JSON/);
  assert.match(problem(`${b64url('{"alg":"ES256"}')}.${b64url('[1,2]')}.AAAA`), /payload is not a JSON object/);
  assert.match(problem(''), /empty/);
});

test('identity claims: sub and iss required, hex_identity must match when present', () => {
  assert.throws(() => identityClaims({ iss: 'localhost' }), /no "sub" claim/);
  assert.throws(() => identityClaims({ sub: 'x' }), /no "iss" claim/);
  assert.throws(() => identityClaims({ sub: '', iss: 'localhost' }), /"sub" claim is empty/);
  assert.throws(() => identityClaims({ sub: 'x'.repeat(129), iss: 'localhost' }), /longer than 128 bytes/);
  const good = identityClaims(serverClaims());
  assert.equal(good.identity, computeIdentity('localhost', serverClaims().sub as string));
  assert.equal(good.hexIdentityProblem, undefined);
  const wrong = identityClaims({ ...serverClaims(), hex_identity: computeIdentity('localhost', 'someone-else') });
  assert.match(wrong.hexIdentityProblem ?? '', /does not match the identity/);
  assert.equal(identityClaims({ sub: 'a', iss: 'b' }).hexIdentity, undefined);
});

test('time claims: integer iat required, numeric exp in the past is reported, null exp is fine', () => {
  const now = 1_800_000_000;
  assert.equal(timeClaimProblem(serverClaims(), now), undefined);
  assert.match(timeClaimProblem({ iat: 1.5 }, now) ?? '', /not an integer/);
  assert.match(timeClaimProblem({}, now) ?? '', /no "iat"/);
  assert.match(timeClaimProblem({ iat: 1, exp: now - 3600 }, now) ?? '', /expired/);
  assert.equal(timeClaimProblem({ iat: 1, exp: now - 30 }, now), undefined, 'within the 60 s leeway');
});

test('re-signed claims keep every claim in order, refresh iat and drop a numeric exp only', () => {
  const original = { hex_identity: 'h', sub: 's', iss: 'i', aud: ['spacetimedb'], iat: 1, exp: null, role: 'publisher' };
  const { claims, droppedExp } = resignClaims(original, 2000);
  assert.deepEqual(Object.keys(claims), ['hex_identity', 'sub', 'iss', 'aud', 'iat', 'exp', 'role']);
  assert.equal(claims.iat, 2000);
  assert.equal(claims.exp, null);
  assert.equal(droppedExp, undefined);
  const withExp = resignClaims({ sub: 's', iss: 'i', iat: 1, exp: 99 }, 2000);
  assert.equal('exp' in withExp.claims, false);
  assert.equal(withExp.droppedExp, 99);
  assert.equal(resignClaims({ sub: 's', iss: 'i' }, 5).claims.iat, 5);
});

test('payload encoding avoids - and _ by shifting with JSON whitespace, keeping the same claims', () => {
  // A '>' byte gives the base64 group 62 ('-' in base64url) at one of the three alignments.
  let shifted = 0;
  for (let n = 0; n < 30; n++) {
    const claims = { sub: `${'x'.repeat(n % 3)}a>b${n}`, iss: 'localhost', iat: 1 };
    const encoded = encodePayload(claims);
    assert.ok(encoded.alphabetSafe, JSON.stringify(claims));
    assert.doesNotMatch(encoded.segment, /[-_]/);
    assert.deepEqual(JSON.parse(Buffer.from(encoded.segment, 'base64url').toString()), claims);
    if (encoded.json !== JSON.stringify(claims)) shifted++;
  }
  assert.ok(shifted > 0, 'some payloads needed the whitespace shift');
  const plain = encodePayload(serverClaims());
  assert.equal(plain.json, JSON.stringify(serverClaims()));
});

test('payload encoding reports claims that cannot avoid - and _', () => {
  // "??>" holds the 6-bit group 62 or 63 at every alignment.
  const encoded = encodePayload({ sub: 'user??>2', iss: 'localhost', iat: 1 });
  assert.equal(encoded.alphabetSafe, false);
});

test('the independent minting helper and the tool agree on signatures', async () => {
  const pair = newPair();
  const token = mintToken(pair.privatePem, serverClaims());
  const [h, p, s] = token.split('.') as [string, string, string];
  assert.ok(cryptoVerify('sha256', Buffer.from(`${h}.${p}`), { key: createPublicKey(pair.publicPem), dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url')));
  const again = await signToken(Buffer.from(p, 'base64url').toString(), pair.privateKey);
  assert.equal(again.split('.')[1], p);
});
