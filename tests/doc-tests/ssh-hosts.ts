import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * Throwaway SSH hosts for the doc tests: one `sshd` on a loopback port with its own host key,
 * a client key, and an ssh_config whose aliases all reach it. Each alias lands in its own
 * directory (HOME and working directory), so "source", "destination" and "control" are
 * separate hosts by directory on this one machine.
 *
 * Commands in a runbook call plain `ssh` and `rsync`; a wrapper named `ssh` placed first on
 * PATH adds `-F <sandbox ssh_config>`, so the reader's command runs unchanged and the real
 * ~/.ssh is never read or written.
 */
export interface SshHosts {
  port: number;
  /** Directory holding the `ssh` wrapper; put it first on PATH. */
  binDir: string;
  configFile: string;
  /** Stops sshd and waits for it to exit. */
  stop(): Promise<void>;
}

const sshdCandidates = ['/usr/sbin/sshd', '/usr/local/sbin/sshd', '/sbin/sshd'];

export function findSshd(): string | null {
  return sshdCandidates.find((path) => existsSync(path)) ?? null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function keygen(file: string): void {
  const result = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'runbook-doc-tests', '-f', file]);
  if (result.status !== 0) throw new Error(`ssh-keygen failed for ${file}: ${result.stderr}`);
}

/** Waits until sshd accepts a real login, so the first step never races its start-up. */
async function waitForLogin(sshWrapper: string, alias: string, sshd: ChildProcess, log: () => string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (sshd.exitCode !== null) throw new Error(`sshd exited with ${sshd.exitCode}:\n${log()}`);
    const probe = spawnSync(sshWrapper, [alias, 'true'], { encoding: 'utf8', timeout: 5000 });
    if (probe.status === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`sshd did not accept a login within 5 s:\n${log()}`);
}

/** The script sshd runs for every session: it lands the session in the directory of its host alias. */
function landingScript(sandbox: string, path: readonly string[]): string {
  return (
    [
      '#!/bin/bash',
      '# Lands each SSH session in the directory of the host alias the client named.',
      'case "${RUNBOOK_HOST_DIR:-}" in',
      `  "${sandbox}"/*) ;;`,
      '  *) echo "runbook sandbox: unknown host directory" >&2; exit 97 ;;',
      'esac',
      'export HOME="$RUNBOOK_HOST_DIR"',
      `export PATH='${[...path, ''].join(':')}'"$PATH"`,
      'cd "$HOME" || exit 97',
      'if [ -n "${SSH_ORIGINAL_COMMAND:-}" ]; then exec /bin/bash -c "$SSH_ORIGINAL_COMMAND"; else exec /bin/bash -l; fi',
      '',
    ].join('\n')
  );
}

/** ssh_config: one Host entry per alias, each reaching the loopback sshd and naming its directory. */
function sshConfig(
  aliases: Readonly<Record<string, string>>,
  options: { port: number; user: string; clientKey: string; knownHosts: string },
): string {
  return (
    Object.entries(aliases)
      .map(([alias, hostDir]) =>
        [
          `Host ${alias}`,
          '  HostName 127.0.0.1',
          `  Port ${options.port}`,
          `  User ${options.user}`,
          `  IdentityFile ${options.clientKey}`,
          '  IdentitiesOnly yes',
          `  UserKnownHostsFile ${options.knownHosts}`,
          '  StrictHostKeyChecking accept-new',
          '  BatchMode yes',
          `  SetEnv RUNBOOK_HOST_DIR=${hostDir}`,
          '',
        ].join('\n'),
      )
      .join('\n')
  );
}

/**
 * Starts sshd for the given host aliases (alias → the directory a session for it lands in).
 * `extraPath` directories are put first on PATH in every session.
 */
export async function startSshHosts(
  sandbox: string,
  aliases: Readonly<Record<string, string>>,
  extraPath: readonly string[] = [],
): Promise<SshHosts> {
  const sshd = findSshd();
  if (!sshd) throw new Error('sshd is not installed (Debian package openssh-server).');
  const dir = join(sandbox, '.ssh-harness');
  const binDir = join(dir, 'bin');
  mkdirSync(binDir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const hostKey = join(dir, 'host_ed25519');
  const clientKey = join(dir, 'client_ed25519');
  keygen(hostKey);
  keygen(clientKey);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKey}.pub`), { mode: 0o600 });

  // The login wrapper: sshd runs it for every session; it moves into the alias' directory.
  const landing = join(dir, 'landing.sh');
  writeFileSync(landing, landingScript(sandbox, [binDir, ...extraPath]), { mode: 0o755 });

  if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const sshdConfig = join(dir, 'sshd_config');
  writeFileSync(
    sshdConfig,
    [
      `ListenAddress 127.0.0.1`,
      `Port ${port}`,
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'UsePAM no',
      'AcceptEnv RUNBOOK_HOST_DIR',
      `ForceCommand ${landing}`,
      'PrintMotd no',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );

  const user = process.env.USER ?? spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim();
  const configFile = join(dir, 'ssh_config');
  writeFileSync(configFile, sshConfig(aliases, { port, user, clientKey, knownHosts: join(dir, 'known_hosts') }), { mode: 0o600 });
  const realSsh = spawnSync('sh', ['-c', 'command -v ssh'], { encoding: 'utf8' }).stdout.trim() || '/usr/bin/ssh';
  writeFileSync(join(binDir, 'ssh'), `#!/bin/sh\nexec '${realSsh}' -F '${configFile}' "$@"\n`, { mode: 0o755 });

  let log = '';
  const server = spawn(sshd, ['-D', '-e', '-f', sshdConfig], { stdio: ['ignore', 'ignore', 'pipe'] });
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (server.exitCode !== null || server.signalCode !== null) return resolve();
      server.once('exit', () => resolve());
      server.kill('SIGTERM');
    });
  try {
    await waitForLogin(join(binDir, 'ssh'), Object.keys(aliases)[0]!, server, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, binDir, configFile, stop };
}
