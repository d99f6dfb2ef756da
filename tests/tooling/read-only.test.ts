// A read-only target directory. The tests run as root, and root ignores permission bits, so a chmod
// would prove nothing. Instead the bundle runs inside a private mount namespace (unshare, as a mapped
// root user) where the target directory is bind-mounted read-only: writes fail with EROFS, which root
// cannot bypass. What this exercises is the pre-flight write probe: the run must stop before writing
// anything, including the backup, and name the directory.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readlinkSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { bundlePath } from './support/bundle';
import { makeWorkspace, PATH_FLAGS, removeWorkspace, snapshot, type Workspace } from './support/workspace';

const workspaces: Workspace[] = [];
after(() => workspaces.forEach(removeWorkspace));

function runWithReadOnly(bundle: string, ws: Workspace, readOnlyDir: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && cd "$1" && shift && exec "$@"';
  const result = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', script, 'sh', ws.path(readOnlyDir), ws.dir, process.execPath, bundle, ...args], {
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('the namespace really makes the directory read-only for root', async () => {
  const ws = makeWorkspace();
  workspaces.push(ws);
  const result = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && touch "$1/x"', 'sh', ws.path('mounted')], { encoding: 'utf8' });
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /Read-only file system/);
});

for (const [dir, args, expected] of [
  ['mounted', ['--yes'], /mounted: read-only file system .*pre-flight write probe; nothing was changed/],
  // The whole workspace is read-only here, so the backup directory has to live elsewhere.
  ['.', ['--resign-token-only', '--yes', '--backup-dir', join(tmpdir(), `stdb-ro-backups-${process.pid}`)], /read-only file system .*pre-flight write probe/],
] as const) {
  test(`a read-only ${dir === '.' ? 'cli.toml directory' : 'mounted key directory'} stops the run before any write`, async () => {
    const bundle = await bundlePath();
    const ws = makeWorkspace();
    workspaces.push(ws);
    const before = snapshot(ws.dir);
    const result = runWithReadOnly(bundle, ws, dir, [...PATH_FLAGS, ...args]);
    assert.equal(result.status, 3, result.stderr);
    assert.match(result.stderr, expected);
    assert.deepEqual(snapshot(ws.dir), before, 'nothing changed, not even a backup');
  });
}

test('a mounted key directory that is a mount point in a read-only parent is rotated in place, its lock inside it', async () => {
  const bundle = await bundlePath();
  const ws = makeWorkspace();
  workspaces.push(ws);
  // keys-src is bind-mounted over ro/keys after ro itself became read-only: a writable key directory
  // whose parent cannot be written, as when the key directory is a volume of its own.
  mkdirSync(ws.path('ro/keys'), { recursive: true });
  renameSync(ws.path('mounted'), ws.path('keys-src'));
  const script = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && mount --bind "$2" "$1/keys" && cd "$3" && shift 3 && exec "$@"';
  const result = spawnSync(
    'unshare',
    ['--user', '--map-root-user', '--mount', 'sh', '-c', script, 'sh', ws.path('ro'), ws.path('keys-src'), ws.dir, process.execPath, bundle, ...PATH_FLAGS, '--mounted-keys-dir', 'ro/keys', '--yes'],
    { encoding: 'utf8' },
  );
  assert.equal(result.status, 0, result.stderr);
  assert.equal(readlinkSync(ws.path('keys-src/id_ecdsa')), 'current/id_ecdsa');
  assert.deepEqual(readdirSync(ws.path('keys-src')).filter((name) => name.includes('lock')), [], 'the lock inside was released');
});
