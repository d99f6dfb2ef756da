import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fingerprintOfSpkiDer } from '../../tooling/keys/fingerprint';
import { Keypair, analysePrivateKey, analysePublicKey } from '../../tooling/keys/keypair';
import { newPair, openssl } from './support/workspace';

const dir = mkdtempSync(join(tmpdir(), 'stdb-keys-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function opensslKey(args: string[]): Buffer {
  const out = join(dir, `k-${randomBytes(4).toString('hex')}.pem`);
  const result = openssl([...args, '-out', out]);
  assert.equal(result.status, 0, result.stderr);
  return readFileSync(out);
}

/** PKCS#8 for the same EC key but with ECPrivateKey's [1] publicKey field removed (built by hand in DER). */
function pkcs8WithoutPublicKey(): Buffer {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const d = Buffer.from(privateKey.export({ format: 'jwk' }).d as string, 'base64url');
  const ecPrivateKey = Buffer.concat([Buffer.from([0x30, 0x25, 0x02, 0x01, 0x01, 0x04, 0x20]), d]);
  const algorithm = Buffer.from('301306072a8648ce3d020106082a8648ce3d030107', 'hex');
  const octet = Buffer.concat([Buffer.from([0x04, ecPrivateKey.length]), ecPrivateKey]);
  const body = Buffer.concat([Buffer.from([0x02, 0x01, 0x00]), algorithm, octet]);
  const der = Buffer.concat([Buffer.from([0x30, body.length]), body]);
  return Buffer.from(`-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`);
}

test('keys from openssl genpkey prime256v1 are accepted as a pair', () => {
  const priv = opensslKey(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1']);
  const pubFile = join(dir, 'openssl.pub');
  writeFileSync(join(dir, 'openssl.key'), priv);
  assert.equal(openssl(['pkey', '-in', join(dir, 'openssl.key'), '-pubout', '-out', pubFile]).status, 0);
  const pair = Keypair.parse(priv, readFileSync(pubFile), 'id_ecdsa', 'id_ecdsa.pub');
  assert.match(pair.fingerprint, /^[0-9a-f]{64}$/);
});

test('generated keys are accepted by openssl pkey and have the fingerprint openssl prints', () => {
  const pair = Keypair.generate();
  assert.ok(pair.privatePem.toString().startsWith('-----BEGIN PRIVATE KEY-----\n'));
  assert.ok(pair.publicPem.toString().startsWith('-----BEGIN PUBLIC KEY-----\n'));
  const privText = openssl(['pkey', '-noout', '-text'], pair.privatePem);
  assert.equal(privText.status, 0, privText.stderr);
  assert.match(privText.stdout.toString(), /ASN1 OID: prime256v1/);
  const der = openssl(['pkey', '-pubin', '-outform', 'DER'], pair.publicPem);
  assert.equal(der.status, 0, der.stderr);
  const digest = openssl(['dgst', '-sha256'], der.stdout).stdout.toString();
  assert.equal(digest.trim().split('= ')[1], pair.fingerprint);
  assert.equal(fingerprintOfSpkiDer(der.stdout), pair.fingerprint);
  // openssl derives the same public key from the private key.
  const derived = openssl(['pkey', '-pubout'], pair.privatePem);
  assert.equal(derived.stdout.toString(), pair.publicPem.toString());
});

test('SEC1 keys are refused with the openssl pkcs8 conversion', () => {
  const sec1 = opensslKey(['ecparam', '-name', 'prime256v1', '-genkey', '-noout']);
  const analysis = analysePrivateKey(sec1, 'keys/id_ecdsa');
  assert.equal(analysis.format, 'sec1');
  assert.match(analysis.formatProblem ?? '', /^keys\/id_ecdsa: SEC1/);
  assert.match(analysis.formatProblem ?? '', /openssl pkcs8 -topk8 -nocrypt -in keys\/id_ecdsa/);
  // The suggested command really produces a key the tool accepts.
  writeFileSync(join(dir, 'sec1.pem'), sec1);
  assert.equal(openssl(['pkcs8', '-topk8', '-nocrypt', '-in', join(dir, 'sec1.pem'), '-out', join(dir, 'converted.pem')]).status, 0);
  assert.equal(analysePrivateKey(readFileSync(join(dir, 'converted.pem')), 'converted').format, 'pkcs8');
});

test('encrypted PKCS#8 keys are refused with the decrypting conversion', () => {
  const encrypted = opensslKey(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-aes256', '-pass', 'pass:secret']);
  const analysis = analysePrivateKey(encrypted, 'id_ecdsa');
  assert.equal(analysis.format, 'encrypted');
  assert.match(analysis.formatProblem ?? '', /passphrase-encrypted.*openssl pkcs8 -topk8 -nocrypt/);
});

test('RSA and P-384 keys are refused by name', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  assert.throws(() => Keypair.parse(Buffer.from(rsa), Buffer.from(newPair().publicPem), 'rsa.pem', 'pub.pem'), /rsa\.pem: RSA key/);
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  assert.throws(
    () =>
      Keypair.parse(
        Buffer.from(p384.privateKey.export({ type: 'pkcs8', format: 'pem' })),
        Buffer.from(p384.publicKey.export({ type: 'spki', format: 'pem' })),
        'p384.pem',
        'p384.pub',
      ),
    /p384\.pem: EC key on P-384 \(secp384r1\); SpacetimeDB's ES256 needs P-256/,
  );
});

test('a PKCS#8 key without the embedded public key is refused', () => {
  const bare = pkcs8WithoutPublicKey();
  createPrivateKey(bare); // a valid key for Node: only SpacetimeDB's stricter parser refuses it
  const analysis = analysePrivateKey(bare, 'id_ecdsa');
  assert.equal(analysis.format, 'pkcs8-without-public-key');
  assert.match(analysis.formatProblem ?? '', /without the embedded public key/);
  // The suggested fix (openssl ec piped into openssl pkcs8) writes the public key back in.
  assert.match(analysis.formatProblem ?? '', /openssl ec -in id_ecdsa \| openssl pkcs8 -topk8 -nocrypt/);
  const sec1 = openssl(['ec'], bare);
  const full = openssl(['pkcs8', '-topk8', '-nocrypt'], sec1.stdout);
  assert.equal(full.status, 0, full.stderr);
  assert.equal(analysePrivateKey(full.stdout, 'full').format, 'pkcs8');
});

test('truncated PEM, random bytes and a public key in the private slot are told apart', () => {
  const pem = newPair();
  assert.match(analysePrivateKey(Buffer.from(pem.privatePem.slice(0, 120)), 'cut.pem').formatProblem ?? '', /cut\.pem: .*no END line/);
  assert.match(analysePrivateKey(randomBytes(300), 'noise.bin').formatProblem ?? '', /noise\.bin: no PEM block found/);
  assert.match(analysePrivateKey(Buffer.from(pem.publicPem), 'swapped').formatProblem ?? '', /swapped: holds "PUBLIC KEY", not a private key/);
  assert.match(analysePublicKey(Buffer.from(pem.privatePem), 'id_ecdsa.pub').formatProblem ?? '', /id_ecdsa\.pub: holds a private key/);
  const damaged = pem.privatePem.replace(/\n([A-Za-z0-9+/]{10})/, '\n!!!!!!!!!!');
  assert.match(analysePrivateKey(Buffer.from(damaged), 'bad.pem').formatProblem ?? '', /base64 body is damaged/);
});

test('a mismatched pair is refused naming both files', () => {
  const a = newPair();
  const b = newPair();
  assert.throws(() => Keypair.parse(Buffer.from(a.privatePem), Buffer.from(b.publicPem), 'k/id_ecdsa', 'k/id_ecdsa.pub'), /k\/id_ecdsa\.pub: does not belong to k\/id_ecdsa/);
});

test('CRLF keys parse, and normalising gives LF with one final newline', () => {
  const pem = newPair();
  const crlf = (text: string): Buffer => Buffer.from(text.replace(/\n/g, '\r\n').trimEnd());
  const pair = Keypair.parse(crlf(pem.privatePem), crlf(pem.publicPem), 'a', 'b').normalised();
  assert.equal(pair.privatePem.toString(), pem.privatePem);
  assert.equal(pair.publicPem.toString(), pem.publicPem);
});
