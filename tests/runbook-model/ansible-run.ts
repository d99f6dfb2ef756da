import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOSTS } from '../../src/runbook/model';
import { PLAYBOOK_GROUPS } from '../../src/runbook/ansible';

function hasAnsible(): boolean {
  return spawnSync('ansible-playbook', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Why the Ansible tests cannot run here, or false when they can (a missing tool is a failure, not a skip). */
export function requireAnsible(): void {
  if (!hasAnsible()) throw new Error('ansible-playbook is not installed: apt-get install ansible-core');
}

export interface PlaybookRun {
  status: number | null;
  /** stdout and stderr of ansible-playbook. */
  output: string;
}

/**
 * Runs a playbook with every inventory group on this machine (`localhost`, local connection), in `dir`,
 * which is also HOME: the steps' `chdir: "~"` lands there. Extra vars are passed as JSON, so any value
 * reaches Ansible as it is.
 */
export function runPlaybookLocally(
  dir: string,
  playbook: string,
  options: { extraVars?: Record<string, string>; args?: string[]; path?: string[] } = {},
): PlaybookRun {
  const ansible = join(dir, '.ansible-test');
  mkdirSync(ansible, { recursive: true });
  const inventory = join(ansible, 'inventory.ini');
  const groups = [...new Set(HOSTS.map((host) => PLAYBOOK_GROUPS[host]))];
  writeFileSync(
    inventory,
    groups.map((group) => `[${group}]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n`).join('\n'),
  );
  const file = join(ansible, 'playbook.yml');
  writeFileSync(file, playbook);
  const result = spawnSync(
    'ansible-playbook',
    ['-i', inventory, file, ...(options.extraVars ? ['-e', JSON.stringify(options.extraVars)] : []), ...(options.args ?? [])],
    {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        PATH: [...(options.path ?? []), process.env.PATH ?? '/usr/bin:/bin'].join(':'),
        HOME: dir,
        LANG: 'C.UTF-8',
        LC_ALL: 'C.UTF-8',
        TMPDIR: process.env.TMPDIR ?? '/tmp',
        ANSIBLE_LOCAL_TEMP: join(ansible, 'tmp'),
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_RETRY_FILES_ENABLED: '0',
        ANSIBLE_LOCALHOST_WARNING: '0',
      },
    },
  );
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
