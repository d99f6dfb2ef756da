import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { fixtureRunbook, HOSTS_FIXTURE_OUTCOME, stepStatuses } from './fixture-runbooks';
import { hasAnsiblePlaybook, readPlays, runPlaybook, sandboxInventory, type PlaybookRunResult } from './playbook-runner';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

async function run(name: string, id: string): Promise<PlaybookRunResult> {
  if (!hasAnsiblePlaybook()) throw new Error('ansible-playbook is not installed: apt-get install ansible-core');
  return runPlaybook(fixtureRunbook(name, id), { repoRoot, flavour: 'source', keep: false, stepTimeoutMs: 60_000 });
}

describe('readPlays: the default callback output read back', () => {
  test('plays, tasks and each host\'s result, failures marked', () => {
    const output = [
      'PLAY [Check the values and the inventory] **************************************',
      '',
      'TASK [Check DEST_HOST] *********************************************************',
      'ok: [sandbox-source] => {"changed": false}',
      '',
      'PLAY [Step 1 of 2: Write a file] ***********************************************',
      '',
      'TASK [Run the command] *********************************************************',
      'changed: [sandbox-source] => {"changed": true, "cmd": "echo WROTE", "rc": 0, "stdout": "WROTE", "stderr": ""}',
      '',
      'TASK [Check the exit code and the markers] *************************************',
      'fatal: [sandbox-source]: FAILED! => {"msg": "Step 1 (Write a file) failed on sandbox-source: exit code 1, expected 0"}',
    ].join('\n');
    const plays = readPlays(output);
    assert.deepEqual(
      plays.map((play) => [play.name, play.tasks.map((task) => task.name)]),
      [
        ['Check the values and the inventory', ['Check DEST_HOST']],
        ['Step 1 of 2: Write a file', ['Run the command', 'Check the exit code and the markers']],
      ],
    );
    assert.equal(plays[1]!.tasks[0]!.hosts['sandbox-source']!.stdout, 'WROTE');
    assert.equal(plays[1]!.tasks[1]!.hosts['sandbox-source']!.failed, true);
  });

  test('the inventory puts each SSH alias alone in the group of its name', () => {
    assert.equal(
      sandboxInventory(),
      '[control]\nsandbox-control ansible_host=control\n\n[server]\nsandbox-server ansible_host=server\n\n' +
        '[source]\nsandbox-source ansible_host=source\n\n[destination]\nsandbox-destination ansible_host=destination\n',
    );
  });
});

describe('runbook doc-test playbook runner', () => {
  test('runs the playbook over ssh on the hosts the steps name, carrying shell variables, skipping what needs a server', async () => {
    const result = await run('hosts-and-markers.md', 'runner-fixture');
    assert.deepEqual(stepStatuses(result), HOSTS_FIXTURE_OUTCOME);
    const copy = result.steps.find((step) => step.step.id === 'copy')!;
    assert.match(copy.output ?? '', /payload\n.*hosts\/destination\n/s, 'the ssh session lands in the destination host directory');
    assert.equal(existsSync(result.sandboxDir), false, 'the sandbox is removed');
  });

  test('a failure marker fails the step with the playbook\'s message and stops the run', async () => {
    const result = await run('failures.md', 'failure-marker');
    assert.deepEqual(stepStatuses(result), { bad: 'failed', after: 'not-reached' });
    assert.equal(
      result.steps[0]!.reason,
      'Check the exit code and the markers on sandbox-control: Step 1 (Prints a failure marker) failed on sandbox-control: failure marker present: InvalidSignature',
    );
    assert.match(result.steps[0]!.output ?? '', /Invalid token: InvalidSignature/);
  });
});
