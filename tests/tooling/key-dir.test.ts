import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { KeyDir } from '../../tooling/keys/key-dir';
import { newPair, snapshot } from './support/workspace';

function pemPair(): { privatePem: Buffer; publicPem: Buffer } {
  const pair = newPair();
  return { privatePem: Buffer.from(pair.privatePem), publicPem: Buffer.from(pair.publicPem) };
}

const made: string[] = [];
after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function fresh(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stdb-keydir-'));
  made.push(dir);
  return dir;
}

function assertHolds(dir: string, pair: { privatePem: Buffer; publicPem: Buffer }): void {
  assert.deepEqual(readFileSync(join(dir, 'id_ecdsa')), pair.privatePem);
  assert.deepEqual(readFileSync(join(dir, 'id_ecdsa.pub')), pair.publicPem);
  assert.equal(readlinkSync(join(dir, 'id_ecdsa')), 'current/id_ecdsa');
  assert.equal(readlinkSync(join(dir, 'id_ecdsa.pub')), 'current/id_ecdsa.pub');
}

test('a missing directory is built complete and renamed into place', () => {
  const root = fresh();
  const pair = pemPair();
  assert.equal(new KeyDir(join(root, 'a/b/keys'), 'keys').install(pair, 't', new Date()), true);
  assertHolds(join(root, 'a/b/keys'), pair);
  assert.deepEqual(readdirSync(join(root, 'a/b')), ['keys'], 'no staging directory left');
});

test('an empty directory and one with unrelated files both end up holding the pair', () => {
  const root = fresh();
  const pair = pemPair();
  mkdirSync(join(root, 'empty'));
  new KeyDir(join(root, 'empty'), 'empty').install(pair, 't', new Date());
  assertHolds(join(root, 'empty'), pair);
  mkdirSync(join(root, 'busy'));
  writeFileSync(join(root, 'busy/README'), 'keep me');
  new KeyDir(join(root, 'busy'), 'busy').install(pair, 't', new Date());
  assertHolds(join(root, 'busy'), pair);
  assert.equal(readFileSync(join(root, 'busy/README'), 'utf8'), 'keep me');
});

test('a plain pair is converted and replaced; only the current generation stays', () => {
  const dir = fresh();
  const old = pemPair();
  writeFileSync(join(dir, 'id_ecdsa'), old.privatePem, { mode: 0o600 });
  writeFileSync(join(dir, 'id_ecdsa.pub'), old.publicPem);
  const pair = pemPair();
  new KeyDir(dir, 'keys').install(pair, 't', new Date());
  assertHolds(dir, pair);
  assert.equal(readdirSync(join(dir, 'generations')).length, 1);
  assert.equal(`generations/${readdirSync(join(dir, 'generations'))[0]}`, readlinkSync(join(dir, 'current')));
});

test('installing the bytes it already holds changes nothing', () => {
  const dir = join(fresh(), 'keys');
  const pair = pemPair();
  const keys = new KeyDir(dir, 'keys');
  keys.install(pair, 't', new Date());
  const before = snapshot(dir);
  assert.equal(keys.install(pair, 't', new Date()), false);
  assert.deepEqual(snapshot(dir), before);
});

test('a layout the tool does not manage is refused by name', () => {
  const dir = fresh();
  symlinkSync('/etc', join(dir, 'current'));
  assert.throws(() => new KeyDir(dir, 'keys').inspect(), /keys\/current: is not this tool's link/);
});
