import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunbooks } from '../../src/runbook/markdown/parse';
import type { Runbook } from '../../src/runbook/model';

/** One runbook from markdown written inline in a test. */
export function runbookFrom(markdown: string): Runbook {
  const [runbook] = parseRunbooks(markdown, 'test.md');
  if (!runbook) throw new Error('no runbook in the markdown');
  return runbook;
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs bash on a script in a fresh temporary directory, removed afterwards. */
export function runBash(
  script: string,
  options: { args?: string[]; input?: string; env?: Record<string, string>; inspect?: (dir: string) => void } = {},
): Run {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-test-'));
  try {
    const file = join(dir, 'script.sh');
    writeFileSync(file, script);
    const result = spawnSync('bash', [...(options.args ?? []), file], {
      cwd: dir,
      input: options.input ?? '',
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...options.env },
      timeout: 20_000,
    });
    options.inspect?.(dir);
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function hasShellcheck(): boolean {
  return spawnSync('shellcheck', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** shellcheck's findings on a bash script, one line each; empty when it has none. */
export function shellcheck(script: string, severity: 'error' | 'warning' | 'style' = 'style'): string[] {
  if (!hasShellcheck()) throw new Error('shellcheck is not installed: apt-get install shellcheck');
  const result = spawnSync('shellcheck', ['--shell=bash', `--severity=${severity}`, '--format=gcc', '-'], {
    input: script,
    encoding: 'utf8',
  });
  return result.stdout.split('\n').filter(Boolean);
}
