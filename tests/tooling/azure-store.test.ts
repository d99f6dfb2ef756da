// The azure store against a recording `az` stand-in (fixtures/fake-az.mjs) that accepts only the exact
// command shapes and records every call. No live Key Vault is used anywhere in these tests.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FIXTURES, makeWorkspace, newPair, removeWorkspace, snapshot, type Workspace } from './support/workspace';

const workspaces: Workspace[] = [];
after(() => workspaces.forEach(removeWorkspace));

interface FakeAz {
  env: Record<string, string>;
  calls(): { args: string[]; fileContent?: string; fileMode?: string; refused?: string }[];
  /** The calls' arguments, with the temporary --file path replaced by <FILE>. */
  argv(): string[];
  secret(vault: string, name: string): string | undefined;
  setSecret(vault: string, name: string, value: string): void;
}

function fakeAz(ws: Workspace): FakeAz {
  const bin = ws.path('fake-bin');
  const stateDir = ws.path('fake-vaults');
  mkdirSync(bin);
  mkdirSync(stateDir);
  writeFileSync(join(bin, 'az'), `#!/bin/sh\nexec "${process.execPath}" "${join(FIXTURES, 'fake-az.mjs')}" "$@"\n`);
  chmodSync(join(bin, 'az'), 0o755);
  const log = ws.path('fake-az.log');
  writeFileSync(log, '');
  const calls = (): ReturnType<FakeAz['calls']> =>
    readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  return {
    env: { PATH: `${bin}:${process.env.PATH}`, FAKE_AZ_LOG: log, FAKE_AZ_STATE: stateDir },
    calls,
    argv: () => calls().map((call) => call.args.map((arg, i) => (call.args[i - 1] === '--file' ? '<FILE>' : arg)).join(' ')),
    secret: (vault, name) => (existsSync(join(stateDir, `${vault}__${name}`)) ? readFileSync(join(stateDir, `${vault}__${name}`), 'utf8') : undefined),
    setSecret: (vault, name, value) => writeFileSync(join(stateDir, `${vault}__${name}`), value),
  };
}

const show = (vault: string, half: 'private' | 'public'): string => `keyvault secret show --vault-name ${vault} --name spacetimedb-jwt-${half}-key --output json`;
const set = (vault: string, half: 'private' | 'public'): string =>
  `keyvault secret set --vault-name ${vault} --name spacetimedb-jwt-${half}-key --file <FILE> --encoding utf-8 --output none`;
const verifyReads = ['kv-prod', 'kv-test', 'kv-dev', 'kv-local'].flatMap((vault) => [show(vault, 'private'), show(vault, 'public')]);

function workspaceWithAz(): { ws: Workspace; az: FakeAz } {
  const ws = makeWorkspace();
  workspaces.push(ws);
  return { ws, az: fakeAz(ws) };
}

test('rotating prod reads, then writes kv-prod through files (never a PEM on the command line), then verifies all vaults', async () => {
  const { ws, az } = workspaceWithAz();
  const result = await ws.tool(['--store', 'azure', '--env', 'prod', '--yes', '--json'], az.env);
  assert.equal(result.code, 0, JSON.stringify(result.json, null, 1));
  // The mounted keys are not kv-prod's pair, so the environment guard reads the other vaults to learn
  // whether they are another environment's (they are not: a first rotation).
  assert.deepEqual(az.argv(), [...verifyReads, set('kv-prod', 'private'), set('kv-prod', 'public'), ...verifyReads]);
  const calls = az.calls();
  assert.ok(calls.every((call) => !call.refused));
  const [setPrivate, setPublic] = calls.filter((call) => call.args[2] === 'set');
  assert.equal(setPrivate?.fileContent, ws.read('mounted/id_ecdsa'));
  assert.equal(setPublic?.fileContent, ws.read('mounted/id_ecdsa.pub'));
  assert.equal(setPrivate?.fileMode, '600');
  for (const call of calls.filter((c) => c.args[2] === 'set')) assert.equal(existsSync(call.args[8] as string), false, 'temporary file removed');
  assert.equal(az.secret('kv-prod', 'spacetimedb-jwt-public-key'), ws.read('mounted/id_ecdsa.pub'));
  assert.equal(result.json.checks.find((c: { name: string }) => c.name === 'store-pair').ok, true);
});

test('rotating dev writes the same pair to the dev and local vaults; vault names are configurable', async () => {
  const { ws, az } = workspaceWithAz();
  const result = await ws.tool(['--store', 'azure', '--env', 'dev', '--azure-vaults', 'dev=contoso-kv-dev', '--yes', '--no-sync-mounted-keys'], az.env);
  assert.equal(result.code, 0, result.stdout);
  const sets = az.argv().filter((line) => line.includes(' set '));
  assert.deepEqual(sets, [set('contoso-kv-dev', 'private'), set('contoso-kv-dev', 'public'), set('kv-local', 'private'), set('kv-local', 'public')]);
  assert.equal(az.secret('contoso-kv-dev', 'spacetimedb-jwt-private-key'), az.secret('kv-local', 'spacetimedb-jwt-private-key'));
});

test('--sync-only installs the vault\'s pair into a mounted directory', async () => {
  const { ws, az } = workspaceWithAz();
  const pair = newPair();
  az.setSecret('kv-test', 'spacetimedb-jwt-private-key', pair.privatePem.replace(/\n/g, '\r\n'));
  az.setSecret('kv-test', 'spacetimedb-jwt-public-key', pair.publicPem);
  const result = await ws.tool(['--sync-only', '--store', 'azure', '--env', 'test', '--mounted-keys-dir', 'host-b', '--yes'], az.env);
  assert.equal(result.code, 0, result.stdout);
  assert.equal(ws.read('host-b/id_ecdsa'), pair.privatePem, 'normalised to LF');
  assert.equal(ws.read('host-b/id_ecdsa.pub'), pair.publicPem);
  assert.deepEqual(az.argv().slice(0, 2), [show('kv-test', 'private'), show('kv-test', 'public')]);
  assert.ok(az.argv().every((line) => !line.includes(' set ')));
});

test('an az failure after the backup stops with exit 4 naming the backup, and the next run finishes the rotation', async () => {
  const { ws, az } = workspaceWithAz();
  const failing = await ws.tool(['--store', 'azure', '--env', 'prod', '--yes', '--json'], { ...az.env, FAKE_AZ_FAIL: 'secret set --vault-name kv-prod --name spacetimedb-jwt-public-key' });
  assert.equal(failing.code, 4);
  assert.match(failing.json.error.message, /kv-prod.*Forbidden.*Writing had begun: the previous state is saved in backups\/.*-rotate-prod/);
  assert.equal(failing.json.marker, 'ROTATION_FAILED interrupted');
  // Another mode refuses to work on top of the interrupted rotation.
  const blocked = await ws.tool(['--resign-token-only', '--yes'], az.env);
  assert.equal(blocked.code, 3);
  assert.match(blocked.stderr, /interrupted rotation of prod is recorded in backups\//);
  const verify = await ws.tool(['--verify-only', '--store', 'azure', '--json'], az.env);
  assert.equal(verify.json.checks.find((c: { name: string }) => c.name === 'no-pending-rotation').ok, false);
  const rerun = await ws.tool(['--store', 'azure', '--env', 'prod', '--yes', '--json'], az.env);
  assert.equal(rerun.code, 0, JSON.stringify(rerun.json, null, 1));
  assert.ok(rerun.json.warnings.some((w: string) => /finished an interrupted rotation/.test(w)));
  assert.equal(az.secret('kv-prod', 'spacetimedb-jwt-public-key'), ws.read('mounted/id_ecdsa.pub'));
});

test('verification compares the vaults: prod and test must not share a pair', async () => {
  const { ws, az } = workspaceWithAz();
  for (const vault of ['kv-prod', 'kv-test']) {
    az.setSecret(vault, 'spacetimedb-jwt-private-key', ws.pair.privatePem);
    az.setSecret(vault, 'spacetimedb-jwt-public-key', ws.pair.publicPem);
  }
  const result = await ws.tool(['--verify-only', '--store', 'azure', '--env', 'prod', '--json'], az.env);
  assert.equal(result.code, 1);
  assert.match(result.json.checks.find((c: { name: string }) => c.name === 'policy').message, /prod and test hold the same keypair/);
  assert.deepEqual(az.argv(), verifyReads);
});

test('without az on PATH the run stops before writing anything', async () => {
  const { ws } = workspaceWithAz();
  const before = snapshot(ws.dir);
  const result = await ws.tool(['--store', 'azure', '--env', 'prod', '--yes'], { PATH: '/nonexistent' });
  assert.equal(result.code, 3);
  assert.match(result.stderr, /^error: az: not found on PATH/m);
  assert.deepEqual(snapshot(ws.dir), before);
});
