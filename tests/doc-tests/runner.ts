import { testValues, type Runbook, type Step } from '../../src/runbook/model';
import { judgeOutput } from '../../src/runbook/markers';
import { renderCommand } from '../../src/runbook/values';
import { createSandbox, type Sandbox, type ToolFlavour } from './sandbox';
import { ShellSession } from './shell-session';

export type StepStatus = 'passed' | 'failed' | 'not-executable' | 'not-reached';

export interface StepResult {
  step: Step;
  status: StepStatus;
  /** Why it failed, or why it was not executed. */
  reason?: string;
  /** The command exactly as it ran (test values substituted). */
  command?: string;
  output?: string;
  exitCode?: number;
  seconds?: number;
}

export interface RunbookResult {
  runbook: Runbook;
  flavour: ToolFlavour;
  steps: StepResult[];
  sandboxDir: string;
}

export interface RunOptions {
  repoRoot: string;
  flavour: ToolFlavour;
  keep: boolean;
  stepTimeoutMs: number;
  onStep?: (result: StepResult) => void;
}

/** Checks one finished command against what its step declares: exit code and markers. */
function judgeStep(step: Step, exitCode: number, output: string, timedOut: boolean): string | null {
  if (timedOut) return 'timed out';
  if (exitCode !== step.exit) return `exit code ${exitCode}, expected ${step.exit}`;
  const { missing, failures: present } = judgeOutput(step.markers, output);
  if (missing.length) return `success marker${missing.length > 1 ? 's' : ''} missing: ${missing.join(', ')}`;
  if (present.length) return `failure marker${present.length > 1 ? 's' : ''} present: ${present.join(', ')}`;
  return null;
}

/** Runs one step's rendered command in the session, on its host, and judges it by exit code and markers. */
export async function runShellStep(
  session: ShellSession,
  sandbox: Sandbox,
  step: Step,
  command: string,
  timeoutMs: number,
): Promise<StepResult> {
  const started = Date.now();
  const outcome = await session.run(command, { cwd: sandbox.hostDir(step.host), home: sandbox.hostDir(step.host), timeoutMs });
  const problem = judgeStep(step, outcome.exitCode, outcome.output, outcome.timedOut);
  return {
    step,
    status: problem ? 'failed' : 'passed',
    ...(problem ? { reason: problem } : {}),
    command,
    output: outcome.output,
    exitCode: outcome.exitCode,
    seconds: (Date.now() - started) / 1000,
  };
}

/**
 * Runs one runbook's runnable steps in page order, in one shell session in a fresh sandbox.
 * Steps that need what CI lacks are reported, never run. After the first failure the rest of
 * the runbook is reported as not reached: later steps depend on earlier ones.
 */
export async function runRunbook(runbook: Runbook, options: RunOptions): Promise<RunbookResult> {
  const sandbox = await createSandbox(options.repoRoot, options.flavour);
  const session = new ShellSession(sandbox.dir, sandbox.env);
  const values = testValues(runbook);
  const results: StepResult[] = [];
  const report = (result: StepResult) => {
    results.push(result);
    options.onStep?.(result);
  };
  let failed = false;
  try {
    for (const step of runbook.steps) {
      if (!step.runnable) {
        report({ step, status: 'not-executable', reason: `needs ${step.needs.join(', ')}` });
        continue;
      }
      if (failed) {
        report({ step, status: 'not-reached', reason: 'an earlier step failed' });
        continue;
      }
      const rendered = renderCommand(step.command, runbook.variables, values);
      if (rendered.problems.length) {
        failed = true;
        report({ step, status: 'failed', reason: `test values: ${rendered.problems.join('; ')}`, command: rendered.text });
        continue;
      }
      const result = await runShellStep(session, sandbox, step, rendered.text, options.stepTimeoutMs);
      if (result.status === 'failed') failed = true;
      report(result);
    }
  } finally {
    session.kill();
    await sandbox.dispose(options.keep);
  }
  return { runbook, flavour: options.flavour, steps: results, sandboxDir: sandbox.dir };
}
