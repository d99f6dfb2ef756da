import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What one command did in the session. */
export interface CommandResult {
  exitCode: number;
  /** stdout and stderr, interleaved as the command wrote them. */
  output: string;
  timedOut: boolean;
}

/**
 * One long-lived bash process: commands run in it one after another, so shell variables,
 * functions and `cd` carry over from one step to the next, as in a reader's terminal.
 *
 * Each command is written to a file and `source`d with its output sent to another file;
 * the session then prints a sentinel line with the exit code on its own stdout. A command
 * that calls `exit` ends the session: that is reported as its exit code, and later commands fail.
 */
export class ShellSession {
  private readonly bash: ChildProcessWithoutNullStreams;
  private stdout = '';
  private waiting: ((line: string | null) => void) | null = null;
  private counter = 0;
  private closed = false;

  constructor(
    private readonly workDir: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.bash = spawn('bash', ['--noprofile', '--norc'], { cwd: workDir, env, stdio: 'pipe', detached: true });
    this.bash.stdout.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString();
      this.deliver();
    });
    this.bash.stderr.on('data', () => {
      // Step output goes to files; the session's own stderr only carries bash noise.
    });
    this.bash.on('close', () => {
      this.closed = true;
      this.waiting?.(null);
      this.waiting = null;
    });
  }

  private deliver(): void {
    const match = /__RUNBOOK_STEP_DONE__ (\d+)\n/.exec(this.stdout);
    if (match && this.waiting) {
      this.stdout = this.stdout.slice(match.index + match[0].length);
      const resolve = this.waiting;
      this.waiting = null;
      resolve(match[1]!);
    }
  }

  /** Runs `command` in directory `cwd` with HOME set to `home`. */
  run(command: string, options: { cwd: string; home: string; timeoutMs: number }): Promise<CommandResult> {
    const id = ++this.counter;
    const scriptFile = join(this.workDir, `step-${id}.sh`);
    const outputFile = join(this.workDir, `step-${id}.out`);
    writeFileSync(scriptFile, `${command}\n`);
    const readOutput = () => {
      try {
        return readFileSync(outputFile, 'utf8');
      } catch {
        return '';
      }
    };
    if (this.closed) {
      return Promise.resolve({ exitCode: 255, output: 'The shell session had already ended (an earlier step called exit).', timedOut: false });
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        this.kill();
        resolve({ exitCode: 124, output: readOutput(), timedOut: true });
      }, options.timeoutMs);
      this.waiting = (code) => {
        clearTimeout(timer);
        resolve(
          code === null
            ? { exitCode: 255, output: `${readOutput()}\n(the shell session ended: the command called exit)`, timedOut: false }
            : { exitCode: Number(code), output: readOutput(), timedOut: false },
        );
      };
      const quote = (path: string) => `'${path.replace(/'/g, `'\\''`)}'`;
      this.bash.stdin.write(
        [
          `export HOME=${quote(options.home)}`,
          `cd ${quote(options.cwd)}`,
          `source ${quote(scriptFile)} < /dev/null > ${quote(outputFile)} 2>&1`,
          `printf '\\n__RUNBOOK_STEP_DONE__ %d\\n' "$?"`,
          '',
        ].join('\n'),
      );
    });
  }

  /** Ends the session and every process it started. */
  kill(): void {
    if (this.closed || this.bash.pid === undefined) return;
    try {
      process.kill(-this.bash.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** Ends the session normally and waits for bash to exit. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.bash.once('close', () => resolve());
      this.bash.stdin.end('exit 0\n');
      setTimeout(() => this.kill(), 5000).unref();
    });
  }
}
