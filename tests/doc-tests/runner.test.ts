import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { fixtureRunbook, HOSTS_FIXTURE_OUTCOME, stepStatuses } from './fixture-runbooks';
import { runRunbook, type RunbookResult } from './runner';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

async function run(name: string, id: string): Promise<RunbookResult> {
  return runRunbook(fixtureRunbook(name, id), { repoRoot, flavour: 'source', keep: false, stepTimeoutMs: 30_000 });
}

function sshdProcessesFor(dir: string): string {
  return spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((line) => line.includes('sshd') && line.includes(dir))
    .join('\n');
}

describe('runbook doc-test runner', () => {
  test('runs steps on their hosts, over real ssh and rsync, keeping shell state, and skips what needs a server', async () => {
    const result = await run('hosts-and-markers.md', 'runner-fixture');
    assert.deepEqual(stepStatuses(result), HOSTS_FIXTURE_OUTCOME);
    const copy = result.steps.find((step) => step.step.id === 'copy')!;
    assert.match(copy.output ?? '', /payload\n.*hosts\/destination\n/s, 'the ssh session lands in the destination host directory');
    assert.equal(result.steps.find((step) => step.step.id === 'publish')!.reason, 'needs spacetimedb');
    assert.equal(existsSync(result.sandboxDir), false, 'the sandbox is removed');
    assert.equal(sshdProcessesFor(result.sandboxDir), '', 'no sshd is left running');
  });

  test('a failure marker in the output fails the step and stops the runbook', async () => {
    const result = await run('failures.md', 'failure-marker');
    assert.deepEqual(stepStatuses(result), { bad: 'failed', after: 'not-reached' });
    assert.equal(result.steps[0]!.reason, 'failure marker present: InvalidSignature');
    assert.equal(result.steps[0]!.command, "echo 'Invalid token: InvalidSignature'");
  });

  test('an exit code other than the declared one fails the step', async () => {
    const result = await run('failures.md', 'wrong-exit');
    assert.equal(result.steps[0]!.reason, 'exit code 0, expected 1');
  });

  test('a missing success marker fails the step', async () => {
    const result = await run('failures.md', 'missing-marker');
    assert.equal(result.steps[0]!.reason, 'success marker missing: ROTATION_SUCCESS');
    assert.equal(existsSync(result.sandboxDir), false, 'the sandbox is removed after a failure too');
  });
});
