import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOSTS, type Host } from '../../src/runbook/model';
import { startSshHosts, type SshHosts } from './ssh-hosts';

/** How the sandbox provides `spacetimedb-tooling`. */
export type ToolFlavour = 'bundle' | 'source';

export interface Sandbox {
  dir: string;
  /** Directory a step on `host` runs in; also its HOME. */
  hostDir(host: Host): string;
  env: NodeJS.ProcessEnv;
  ssh: SshHosts;
  /** Stops sshd and removes the sandbox (unless kept). */
  dispose(keep: boolean): Promise<void>;
}

/** The SSH aliases every sandbox answers to, one per host (`any` runs on the control host). */
export const SSH_ALIASES: readonly Host[] = HOSTS.filter((host) => host !== 'any');

/**
 * A fresh sandbox for one runbook run: a directory per host, `spacetimedb-tooling` on PATH
 * (the bundled .mjs or the TypeScript source through tsx, which is what `pnpm -s tooling` runs),
 * and sshd on loopback answering to the host names as SSH aliases.
 */
export async function createSandbox(repoRoot: string, flavour: ToolFlavour): Promise<Sandbox> {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-sandbox-'));
  const hostDir = (host: Host) => join(dir, 'hosts', host === 'any' ? 'control' : host);
  for (const host of SSH_ALIASES) mkdirSync(hostDir(host), { recursive: true });

  const toolBin = join(dir, '.tool-bin');
  mkdirSync(toolBin);
  const tool =
    flavour === 'bundle'
      ? `exec node '${join(repoRoot, 'static/tooling/spacetimedb-tooling.mjs')}' "$@"`
      : `exec '${join(repoRoot, 'node_modules/.bin/tsx')}' '${join(repoRoot, 'tooling/spacetimedb-tooling.ts')}' "$@"`;
  writeFileSync(join(toolBin, 'spacetimedb-tooling'), `#!/bin/sh\n${tool}\n`, { mode: 0o755 });

  let ssh: SshHosts;
  try {
    ssh = await startSshHosts(
      dir,
      Object.fromEntries(SSH_ALIASES.map((alias) => [alias, hostDir(alias)])),
      [toolBin],
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const env: NodeJS.ProcessEnv = {
    PATH: [ssh.binDir, toolBin, process.env.PATH ?? '/usr/bin:/bin'].join(':'),
    HOME: hostDir('control'),
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    TMPDIR: process.env.TMPDIR ?? '/tmp',
    USER: process.env.USER ?? 'root',
    RUNBOOK_SANDBOX: dir,
  };
  return {
    dir,
    hostDir,
    env,
    ssh,
    async dispose(keep: boolean) {
      await ssh.stop();
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}
