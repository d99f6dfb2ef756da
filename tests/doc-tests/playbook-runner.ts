import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportPlaybook, needTag, playbookFileName, playbookSteps } from '../../src/runbook/ansible';
import { KNOWN_NEEDS, testValues, type Runbook, type Step } from '../../src/runbook/model';
import { renderCommand } from '../../src/runbook/values';
import { runShellStep, type StepResult } from './runner';
import { createSandbox, SSH_ALIASES, type Sandbox, type ToolFlavour } from './sandbox';
import { ShellSession } from './shell-session';

/**
 * The second way the doc tests run a runbook: its exported playbook, with `ansible-playbook`, over SSH
 * to the sandbox's loopback sshd. The inventory has one host per SSH alias, in the group of the same
 * name (`server`, `source`, ...). Hidden setup steps, which the playbook leaves out, run first in a
 * shell session as in the other run; steps that need what CI lacks are skipped by their `needs-*` tags;
 * destructive steps are confirmed with `-e confirm=yes`.
 */
export interface PlaybookRunResult {
  runbook: Runbook;
  /** One per step of the runbook, in page order (setup steps included), as in a shell-session run. */
  steps: StepResult[];
  sandboxDir: string;
  /** The playbook file as written into the sandbox. */
  playbookFile: string;
}

export interface PlaybookRunOptions {
  repoRoot: string;
  flavour: ToolFlavour;
  keep: boolean;
  stepTimeoutMs: number;
  onStep?: (result: StepResult) => void;
}

/** True when `ansible-playbook` can be started. */
export function hasAnsiblePlaybook(): boolean {
  return spawnSync('ansible-playbook', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A runbook with at least one step the playbook runs in CI. */
export function hasRunnablePlaybookSteps(runbook: Runbook): boolean {
  return playbookSteps(runbook.steps).some((step) => step.runnable);
}

/** The inventory: the sandbox's SSH aliases, each alone in the group of its name. */
export function sandboxInventory(): string {
  return SSH_ALIASES.map((alias) => `[${alias}]\nsandbox-${alias} ansible_host=${alias}\n`).join('\n');
}

function writeAnsibleFiles(sandbox: Sandbox, runbook: Runbook): { dir: string; playbook: string; env: NodeJS.ProcessEnv } {
  const dir = join(sandbox.dir, '.ansible-run');
  mkdirSync(join(dir, 'home'), { recursive: true });
  mkdirSync(join(dir, 'cp'), { recursive: true });
  writeFileSync(join(dir, 'inventory.ini'), sandboxInventory());
  writeFileSync(
    join(dir, 'ansible.cfg'),
    [
      '[defaults]',
      `inventory = ${join(dir, 'inventory.ini')}`,
      // The default output, one JSON result per line (-v prints the results of tasks that passed too).
      'stdout_callback = default',
      'callback_result_format = json',
      'callback_format_pretty = False',
      'interpreter_python = /usr/bin/python3',
      'retry_files_enabled = False',
      `local_tmp = ${join(dir, 'tmp')}`,
      'nocolor = True',
      '',
      '[ssh_connection]',
      // The sandbox's ssh_config resolves the aliases; sshd runs every session through its landing
      // script, so modules are piped (no file transfer) and the connection is reused between tasks.
      `ssh_args = -F ${sandbox.ssh.configFile} -o ControlMaster=auto -o ControlPersist=30s`,
      `control_path = ${join(dir, 'cp')}/%%n`,
      'pipelining = True',
      'transfer_method = piped',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'values.json'), `${JSON.stringify({ ...testValues(runbook), confirm: 'yes' }, null, 2)}\n`);
  const playbook = join(dir, playbookFileName(runbook.id));
  writeFileSync(playbook, exportPlaybook(runbook, { source: runbook.file }));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: join(dir, 'home'),
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TMPDIR: process.env.TMPDIR ?? '/tmp',
    USER: process.env.USER ?? 'root',
    ANSIBLE_CONFIG: join(dir, 'ansible.cfg'),
  };
  return { dir, playbook, env };
}

/** Ends the SSH connections Ansible kept open, so no ssh process outlives the run. */
function closeConnections(sandbox: Sandbox, dir: string): void {
  for (const alias of SSH_ALIASES) {
    spawnSync('ssh', ['-F', sandbox.ssh.configFile, '-o', `ControlPath=${join(dir, 'cp', alias)}`, '-O', 'exit', alias], {
      stdio: 'ignore',
      timeout: 5000,
    });
  }
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function runProcess(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, options.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** The plays of a run as the default callback printed them: each with its tasks and their results per host. */
interface PlayOutput {
  name: string;
  tasks: { name: string; hosts: Record<string, AnsibleHostResult> }[];
}

interface AnsibleHostResult {
  failed?: boolean;
  unreachable?: boolean;
  skipped?: boolean;
  msg?: unknown;
  rc?: number;
  stdout?: string;
  stderr?: string;
  cmd?: string;
}

const PLAY_LINE = /^PLAY \[(.*)\] \**$/;
const TASK_LINE = /^TASK \[(.*)\] \**$/;
const RESULT_LINE = /^(ok|changed|fatal|failed|skipping|unreachable): \[([^\]]+)\](?:: [A-Z!]+)? => (\{.*\})$/;

/** Reads the default callback's output (`-v`, one JSON result per line) back into plays, tasks and results. */
export function readPlays(output: string): PlayOutput[] {
  const plays: PlayOutput[] = [];
  for (const line of output.split('\n')) {
    const play = PLAY_LINE.exec(line);
    if (play) {
      plays.push({ name: play[1]!, tasks: [] });
      continue;
    }
    const task = TASK_LINE.exec(line);
    if (task) {
      plays[plays.length - 1]?.tasks.push({ name: task[1]!, hosts: {} });
      continue;
    }
    const result = RESULT_LINE.exec(line);
    const current = plays[plays.length - 1]?.tasks.at(-1);
    if (!result || !current) continue;
    let parsed: AnsibleHostResult;
    try {
      parsed = JSON.parse(result[3]!) as AnsibleHostResult;
    } catch {
      parsed = { msg: result[3] };
    }
    if (result[1] === 'fatal' || result[1] === 'failed') parsed.failed = true;
    if (result[1] === 'unreachable') parsed.unreachable = true;
    current.hosts[result[2]!] = parsed;
  }
  return plays;
}

/** Reads one step's play: passed, or the first task that failed and why. */
function judgePlay(step: Step, tasks: PlayOutput['tasks']): Omit<StepResult, 'step'> {
  let output = '';
  let exitCode: number | undefined;
  let command: string | undefined;
  for (const task of tasks) {
    for (const [host, result] of Object.entries(task.hosts)) {
      if (task.name === 'Run the command') {
        output += [result.stdout, result.stderr].filter(Boolean).join('\n');
        exitCode = result.rc;
        command = result.cmd;
      }
      if (result.failed || result.unreachable) {
        const message = typeof result.msg === 'string' ? result.msg : JSON.stringify(result.msg ?? result);
        return {
          status: 'failed',
          reason: `${task.name} on ${host}: ${message}`,
          output,
          ...(command !== undefined ? { command } : {}),
          ...(exitCode !== undefined ? { exitCode } : {}),
        };
      }
    }
  }
  if (exitCode === undefined) return { status: 'failed', reason: `the play of step ${step.id} ran no command`, output };
  return { status: 'passed', output, exitCode, ...(command !== undefined ? { command } : {}) };
}

/** Runs the runbook's setup steps in a shell session; returns why they stopped, or null. */
async function runSetupSteps(
  runbook: Runbook,
  sandbox: Awaited<ReturnType<typeof createSandbox>>,
  options: PlaybookRunOptions,
  report: (result: StepResult) => void,
): Promise<string | null> {
  const values = testValues(runbook);
  const session = new ShellSession(sandbox.dir, sandbox.env);
  try {
    for (const step of runbook.steps.filter((candidate) => candidate.setup)) {
      const rendered = renderCommand(step.command, runbook.variables, values);
      const result = await runShellStep(session, sandbox, step, rendered.text, options.stepTimeoutMs);
      report(result);
      if (result.status === 'failed') return `setup step ${step.id} failed`;
    }
  } finally {
    session.kill();
  }
  return null;
}

/**
 * Runs the runbook's playbook against a fresh sandbox and reports each step as the shell-session run
 * does: passed, failed (with the failing task's message), not executable (skipped by its needs tag),
 * or not reached (after a failure, the playbook stops).
 */
export async function runPlaybook(runbook: Runbook, options: PlaybookRunOptions): Promise<PlaybookRunResult> {
  const sandbox = await createSandbox(options.repoRoot, options.flavour);
  const reported = new Map<Step, StepResult>();
  const report = (result: StepResult): void => {
    reported.set(result.step, result);
    options.onStep?.(result);
  };
  let files: ReturnType<typeof writeAnsibleFiles> | undefined;
  try {
    // 1. The hidden setup steps, which the playbook leaves out, in a shell session as in the other run.
    const setupProblem = await runSetupSteps(runbook, sandbox, options, report);

    // 2. The playbook, as published, over SSH.
    files = writeAnsibleFiles(sandbox, runbook);
    const steps = playbookSteps(runbook.steps);
    const runnable = steps.filter((step) => step.runnable).length;
    const finished = setupProblem
      ? null
      : await runProcess(
          'ansible-playbook',
          ['-v', files.playbook, '-e', `@${join(files.dir, 'values.json')}`, '--skip-tags', KNOWN_NEEDS.map(needTag).join(',')],
          { cwd: files.dir, env: files.env, timeoutMs: options.stepTimeoutMs * Math.max(1, runnable) + 60_000 },
        );
    const plays = finished ? readPlays(finished.stdout) : [];
    let runProblem = setupProblem;
    if (finished) {
      if (finished.timedOut) runProblem = 'ansible-playbook timed out';
      else if (plays.length === 0) {
        runProblem = `ansible-playbook ran no play (exit ${finished.code}): ${(finished.stderr || finished.stdout).trim().split('\n').slice(-5).join(' | ')}`;
      }
      const checks = plays.find((play) => !/^Step \d+ of \d+: /.test(play.name));
      const failedCheck = checks?.tasks.flatMap((task) => Object.values(task.hosts)).find((result) => result.failed);
      if (failedCheck) runProblem = `the values check failed: ${String(failedCheck.msg)}`;
      const anyFailure = plays.some((play) => play.tasks.some((task) => Object.values(task.hosts).some((result) => result.failed || result.unreachable)));
      if (!runProblem && finished.code !== 0 && !anyFailure) {
        runProblem = `ansible-playbook exited with ${finished.code} although no task failed: ${finished.stderr.trim().split('\n').slice(-5).join(' | ')}`;
      }
    }

    const byNumber = new Map<number, PlayOutput>();
    for (const play of plays) {
      const match = /^Step (\d+) of \d+: /.exec(play.name);
      if (match) byNumber.set(Number(match[1]), play);
    }
    let stopped = false;
    for (const step of runbook.steps) {
      if (step.setup) {
        if (!reported.has(step)) report({ step, status: 'not-reached', reason: 'an earlier step failed' });
        continue;
      }
      if (!step.runnable) {
        report({ step, status: 'not-executable', reason: `needs ${step.needs.join(', ')} (skipped by tag)` });
        continue;
      }
      if (runProblem && !stopped) {
        stopped = true;
        report({ step, status: 'failed', reason: runProblem });
        continue;
      }
      const play = byNumber.get(steps.indexOf(step) + 1);
      if (stopped || !play) {
        report({ step, status: stopped ? 'not-reached' : 'failed', reason: stopped ? 'an earlier step failed' : 'the playbook did not run this step' });
        stopped = true;
        continue;
      }
      const judged = judgePlay(step, play.tasks);
      if (judged.status === 'failed') stopped = true;
      report({ step, ...judged });
    }
  } finally {
    if (files) closeConnections(sandbox, files.dir);
    await sandbox.dispose(options.keep);
  }
  const steps = runbook.steps.map((step) => reported.get(step) ?? { step, status: 'not-reached' as const, reason: 'not run' });
  return { runbook, steps, sandboxDir: sandbox.dir, playbookFile: files?.playbook ?? '' };
}
