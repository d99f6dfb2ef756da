// The bundle served for download: one file, no dependencies outside Node's built-ins, runs with node and bun.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { after, test } from 'node:test';
import { DEFAULT_OUTFILE } from '../../scripts/build-tooling';
import { renderHelp } from '../../tooling/cli/help';
import { bundlePath, runBundle, RUNTIMES, type Runtime } from './support/bundle';
import { makeWorkspace, PATH_FLAGS, removeWorkspace, type Workspace } from './support/workspace';

const workspaces: Workspace[] = [];
after(() => workspaces.forEach(removeWorkspace));

test('the bundle is one executable ES module importing only node: built-ins', async () => {
  const bundle = await bundlePath();
  const text = readFileSync(bundle, 'utf8');
  assert.ok(text.startsWith('#!/usr/bin/env node\n'));
  assert.equal(statSync(bundle).mode & 0o111, 0o111);
  const imported = [...text.matchAll(/(?:from\s*|import\s*\(?\s*)["']([^"']+)["']/g)].map((m) => m[1]);
  assert.ok(imported.length > 0);
  for (const specifier of imported) assert.match(specifier as string, /^node:/, `bundle imports ${specifier}`);
  assert.match(DEFAULT_OUTFILE, /static\/tooling\/spacetimedb-tooling\.mjs$/);
});

for (const runtime of Object.keys(RUNTIMES) as Runtime[]) {
  test(`the bundle prints help and version with ${runtime}`, async () => {
    const bundle = await bundlePath();
    const help = runBundle(bundle, '/', ['--help'], {}, runtime);
    assert.equal(help.status, 0, help.stderr);
    assert.equal(help.stdout, renderHelp());
    const version = runBundle(bundle, '/', ['--version'], {}, runtime);
    assert.match(version.stdout, /^spacetimedb-tooling \d+\.\d+\.\d+\n$/);
  });

  test(`the bundle verifies, rotates and re-signs a workspace with ${runtime}, with the documented exit codes`, async () => {
    const bundle = await bundlePath();
    const ws = makeWorkspace();
    workspaces.push(ws);
    const verify = runBundle(bundle, ws.dir, [...PATH_FLAGS, '--verify-only', '--json'], {}, runtime);
    assert.equal(verify.status, 0, verify.stderr);
    const report = JSON.parse(verify.stdout);
    assert.equal(report.ok, true);
    assert.match(report.keys.fingerprint, /^[0-9a-f]{64}$/);
    assert.match(report.token.identity, /^c200[0-9a-f]{60}$/);
    const rotate = runBundle(bundle, ws.dir, [...PATH_FLAGS, '--yes', '--env', 'dev'], {}, runtime);
    assert.equal(rotate.status, 0, rotate.stderr);
    assert.match(rotate.stdout, /\nROTATION_SUCCESS\n$/);
    const resign = runBundle(bundle, ws.dir, [...PATH_FLAGS, '--resign-token-only', '--yes'], {}, runtime);
    assert.equal(resign.status, 0, resign.stderr);
    assert.match(resign.stdout, /\nRESIGN_SUCCESS identity=c200[0-9a-f]{60}\n$/);
    assert.equal(runBundle(bundle, ws.dir, ['--bogus'], {}, runtime).status, 2);
    assert.equal(runBundle(bundle, ws.dir, [...PATH_FLAGS, '--resign-token-only', '--yes', '--publisher-cli-toml-path', 'missing.toml'], {}, runtime).status, 3);
  });
}
