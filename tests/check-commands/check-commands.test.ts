// pnpm check:commands: passes on the real docs of every version, and on a small site with one planted
// mistake per step (a misspelt flag, an unknown subcommand, an unknown route, a misspelt tool flag, a
// flag after the subcommand it belongs before) fails with file:line, the command and the right spelling.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { run } from '../../scripts/check-commands/cli';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = run(args, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('the real docs of every version pass', () => {
  const result = cli();
  assert.equal(result.code, 0, result.err);
  assert.match(result.out, /check:commands: \d+ steps in \d+ runbooks \(2 docs versions\): \d+ checked statically, \d+ unchecked \(\d+ of them runnable\), 0 failed/);
  assert.match(result.out, /^check:commands: \d+ passed, 0 failed$/m);
});

test('planted mistakes fail with file:line, the command and the nearest valid spelling', () => {
  const result = cli('--site', here('fixtures/broken'));
  assert.equal(result.code, 1);
  const expected = [
    /^docs\/00100-broken\.md:8: step broken\/misspelt-flag \(line 1 of its command\): `spacetime publish` has no option --bin-pth; did you mean --bin-path\? \(https:\/\/github\.com\/clockworklabs\/SpacetimeDB\/blob\/v2\.8\.3\/crates\/cli\/src\/subcommands\/publish\.rs#L\d+-L\d+\)$/m,
    /^ {4}command: spacetime publish --server \{\{SERVER_URL\}\} --bin-pth build\/module\.wasm \{\{DATABASE\}\}$/m,
    /^docs\/00100-broken\.md:14: step broken\/unknown-subcommand .*`spacetime server` has no subcommand "pign"; did you mean ping\?/m,
    /^docs\/00100-broken\.md:20: step broken\/unknown-route .*GET \/v1\/identity\/public-ky: no such route on a SpacetimeDB server; nearest: GET \/v1\/identity\/public-key \(https:\/\/github\.com\/clockworklabs\/SpacetimeDB\/blob\/v2\.8\.3\/crates\/client-api\/src\/routes\/identity\.rs#L\d+\)$/m,
    /^docs\/00100-broken\.md:26: step broken\/misspelt-tool-flag .*spacetimedb-tooling: has no option --verify-onyl; did you mean --verify-only\?/m,
    /^versioned_docs\/version-1\.0\/00100-broken\.md:5: step old-broken\/misplaced .*`spacetime login show` has no option --config-path; it is an option of `spacetime` and goes before `login show`/m,
  ];
  for (const pattern of expected) assert.match(result.err, pattern);
  assert.equal(result.err.match(/^\S+\.md:\d+: /gm)?.length, 5, `one error per planted mistake, and none for the right command:\n${result.err}`);
  assert.match(result.out, /^check:commands: 1 passed, 5 failed$/m);
});

test('--verbose says why each step is not checked statically', () => {
  const result = cli('--site', here('fixtures/good'), '--verbose');
  assert.equal(result.code, 0, result.err);
  assert.match(result.out, /docs\/00100-good\.md:20 good\/restart: docker compose up: a container runtime command, which facts\/ does not describe/);
  assert.doesNotMatch(result.out, /good\/served-key|good\/verify/);
  assert.match(result.out, /3 steps in 1 runbooks \(1 docs version\): 2 checked statically, 1 unchecked \(0 of them runnable\), 0 failed/);
  assert.match(result.out, /^check:commands: 2 passed, 0 failed$/m, 'the unchecked step counts as neither passed nor failed');
});

test('a missing facts directory is exit code 3 and a bad option exit code 2', () => {
  const missing = cli('--facts', here('fixtures'));
  assert.equal(missing.code, 3);
  assert.match(missing.err, /facts\/spacetimedb\.json: cannot read the pinned release/);
  assert.equal(cli('--frobnicate').code, 2);
});
