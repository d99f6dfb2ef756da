// The tool runs as root on production hosts and holds the signing key that decides who owns every
// database. Each case here is an attack, or a clumsy operator's mistake, that once went through. Every
// refusal must be one error line, exit 3, and no change anywhere (the whole workspace, including any
// directory a planted link points to, is hashed before and after).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHmac, createPublicKey } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { fingerprintOfPublicKey } from '../../tooling/keys/fingerprint';
import { bundlePath } from './support/bundle';
import { makeWorkspace, mintToken, newPair, PATH_FLAGS, removeWorkspace, serverClaims, snapshot, type ToolResult, type Workspace } from './support/workspace';

const workspaces: Workspace[] = [];
const servers: Server[] = [];
after(() => {
  workspaces.forEach(removeWorkspace);
  servers.forEach((server) => server.close());
});

function workspace(...args: Parameters<typeof makeWorkspace>): Workspace {
  const ws = makeWorkspace(...args);
  workspaces.push(ws);
  return ws;
}

const fingerprintOf = (publicPem: string | Buffer): string => fingerprintOfPublicKey(createPublicKey(publicPem));

/** Asserts the refusal operators expect: exit 3, one error line saying why, the reason on the marker. */
function assertRefused(result: ToolResult, reason: string, message: RegExp): void {
  assert.equal(result.code, 3, `${result.stderr}\n${result.stdout}`);
  const errors = result.stderr.split('\n').filter((line) => line.startsWith('error: '));
  assert.equal(errors.length, 1, result.stderr);
  assert.match(errors[0] as string, message);
  assert.match(result.marker, new RegExp(`_FAILED ${reason}$`));
}

function failedChecks(result: ToolResult): Record<string, string> {
  return Object.fromEntries(result.json.checks.filter((check: { ok: boolean }) => !check.ok).map((check: { name: string; message: string }) => [check.name, check.message]));
}

/** The name of the generation `current` points at, in a key directory the tool manages. */
function currentGeneration(ws: Workspace, dir: string): string {
  return readlinkSync(ws.path(`${dir}/current`)).replace(/^generations\//, '');
}

// 1. A symlinked generations/ inside a key directory
for (const dir of ['store/local', 'mounted']) {
  test(`1. a symlinked ${dir}/generations is refused by rotation (nothing written through it) and flagged by --verify-only`, async () => {
    const ws = workspace();
    assert.equal((await ws.tool(['--yes'])).code, 0);
    // The link target holds what the layout needs, so readers still find the keys, and files of its own.
    cpSync(ws.path(`${dir}/generations`), ws.path('victim'), { recursive: true });
    ws.write('victim/precious.txt', 'not the tool\'s to delete');
    rmSync(ws.path(`${dir}/generations`), { recursive: true });
    symlinkSync('../'.repeat(dir.split('/').length) + 'victim', ws.path(`${dir}/generations`));
    const before = snapshot(ws.dir);
    const rotation = await ws.tool(['--yes']);
    assertRefused(rotation, 'symlink', new RegExp(`${dir}/generations: is a symlink to .*victim; this tool writes and prunes key generations there`));
    assert.deepEqual(snapshot(ws.dir), before);
    const verify = await ws.tool(['--verify-only', '--json']);
    assert.equal(verify.code, 1);
    const failed = failedChecks(verify);
    const check = dir === 'mounted' ? 'key-dir-layout' : 'policy';
    assert.match(failed[check] ?? '', /generations: is a symlink/, JSON.stringify(failed));
  });
}

// 2. A pending rotation journal planted in the backup directory
function plantJournal(ws: Workspace, overrides: Record<string, unknown> = {}): { dir: string; fingerprint: string } {
  const planted = newPair();
  const dir = 'backups/20990101T000000Z-rotate-local';
  const fingerprint = fingerprintOf(planted.publicPem);
  const at = new Date().toISOString();
  const journal = {
    state: 'pending',
    env: 'local',
    envs: ['dev', 'local'],
    store: 'file',
    storeLocations: { dev: ws.path('store'), local: ws.path('store') },
    mountedDir: ws.path('mounted'),
    cliTomlPath: ws.path('cli.toml'),
    newFingerprint: fingerprint,
    startedAt: at,
    updatedAt: at,
    ...overrides,
  };
  mkdirSync(ws.path('backups'), { mode: 0o700 });
  chmodSync(ws.path('backups'), 0o700);
  ws.write(`${dir}/manifest.json`, JSON.stringify({ tool: 'spacetimedb-tooling', version: '0.1.0', createdAt: at, mode: 'rotate', env: 'local', entries: [] }), 0o600);
  ws.write(`${dir}/journal.json`, JSON.stringify(journal), 0o600);
  ws.write(`${dir}/new/id_ecdsa`, planted.privatePem, 0o600);
  ws.write(`${dir}/new/id_ecdsa.pub`, planted.publicPem, 0o600);
  chmodSync(ws.path(`${dir}/new`), 0o700);
  chmodSync(ws.path(dir), 0o700);
  return { dir, fingerprint };
}

test('2. a planted journal that other users can write is not resumed; the next --yes refuses and says what to do', async () => {
  const ws = workspace();
  const { dir } = plantJournal(ws);
  chmodSync(ws.path(dir), 0o777);
  chmodSync(ws.path(`${dir}/journal.json`), 0o666);
  const before = snapshot(ws.dir);
  const result = await ws.tool(['--yes']);
  assertRefused(result, 'untrusted-journal', new RegExp(`${dir} holds a journal of an interrupted rotation that this tool will not act on: .*world-writable.*remove ${dir}`));
  assert.deepEqual(snapshot(ws.dir), before);
  const verify = await ws.tool(['--verify-only', '--json']);
  assert.match(failedChecks(verify)['no-pending-rotation'] ?? '', /will not act on/);
});

test('2. a journal naming another mounted directory than the command line is not resumed there', async () => {
  const ws = workspace();
  ws.write('elsewhere/README', 'a directory the command line never named');
  const { dir } = plantJournal(ws, { mountedDir: ws.path('elsewhere') });
  const before = snapshot(ws.dir);
  const result = await ws.tool(['--yes']);
  assertRefused(result, 'pending-rotation', new RegExp(`the interrupted rotation recorded in ${dir} was started with --mounted-keys-dir .*elsewhere \\(this run: --mounted-keys-dir .*mounted\\)`));
  assert.deepEqual(snapshot(ws.dir), before);
});

test('2. a journal owned by another user is not trusted (ownership, checked with another uid)', async () => {
  const { untrustedTree } = await import('../../tooling/fs/permissions');
  const ws = workspace();
  const { dir } = plantJournal(ws);
  const owner = statSync(ws.path(dir)).uid;
  assert.equal(untrustedTree(ws.path(dir), dir, owner), undefined);
  assert.match(untrustedTree(ws.path(dir), dir, owner + 1) ?? '', new RegExp(`${dir} is owned by uid ${owner}, not by the user running this tool \\(uid ${owner + 1}\\)`));
});

// 3. Tokens the server never issued
const b64url = (text: string): string => Buffer.from(text).toString('base64url');
const FORGED: Record<string, (ws: Workspace) => string> = {
  'alg none': () => `${b64url('{"typ":"JWT","alg":"none"}')}.${b64url(JSON.stringify(serverClaims('admin', 'localhost')))}.`,
  HS256: () => {
    const input = `${b64url('{"typ":"JWT","alg":"HS256"}')}.${b64url(JSON.stringify(serverClaims('admin', 'localhost')))}`;
    return `${input}.${createHmac('sha256', 'guessable').update(input).digest('base64url')}`;
  },
  'an unknown ES256 key': () => mintToken(newPair().privatePem, serverClaims('admin', 'localhost')),
};

for (const [kind, forge] of Object.entries(FORGED)) {
  test(`3. a token signed with ${kind} is not blessed by rotation or --resign-token-only`, async () => {
    const ws = workspace();
    ws.write('cli.toml', ws.read('cli.toml').replace(ws.token, forge(ws)));
    const before = snapshot(ws.dir);
    for (const args of [['--yes'], ['--resign-token-only', '--yes'], ['--resign-token-only', '--dry-run']]) {
      const result = await ws.tool(args);
      assertRefused(result, 'untrusted-token', /cli\.toml: the token was not issued by a server of yours: .*--trusted-public-key FILE.*--resign-unverified-token/);
      assert.deepEqual(snapshot(ws.dir), before, args.join(' '));
    }
  });
}

test('3. --resign-unverified-token re-signs such a token, and the report says so loudly', async () => {
  const ws = workspace();
  ws.write('cli.toml', ws.read('cli.toml').replace(ws.token, (FORGED.HS256 as (ws: Workspace) => string)(ws)));
  const human = await ws.tool(['--resign-token-only', '--dry-run', '--resign-unverified-token']);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stderr, /UNVERIFIED TOKEN RE-SIGNED: cli\.toml held a token no trusted key verifies \(the token's header says alg "HS256"/);
  const result = await ws.tool(['--resign-token-only', '--yes', '--resign-unverified-token', '--json']);
  assert.equal(result.code, 0, JSON.stringify(result.json));
  assert.match(result.json.unverifiedTokenResigned, /UNVERIFIED TOKEN RE-SIGNED: .*iss=localhost sub=admin/);
  assert.ok(result.json.warnings.includes(result.json.unverifiedTokenResigned));
});

test('3. a token signed on another host is re-signed when that host\'s public key is given', async () => {
  const source = newPair();
  const ws = workspace({ token: mintToken(source.privatePem, serverClaims()) });
  ws.write('source-id_ecdsa.pub', source.publicPem);
  const result = await ws.tool(['--resign-token-only', '--yes', '--trusted-public-key', 'source-id_ecdsa.pub', '--verbose']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /old signature verifies against source-id_ecdsa\.pub \(--trusted-public-key\)/);
});

test('3. after a rotation, a token signed by the rotated-out key is still trusted (the backup keeps that key)', async () => {
  const ws = workspace();
  const stale = ws.read('cli.toml');
  assert.equal((await ws.tool(['--yes'])).code, 0);
  ws.write('cli.toml', stale, 0o644);
  const result = await ws.tool(['--resign-token-only', '--yes', '--verbose']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stderr, /old signature verifies against backups\/\d{8}T\d{6}Z-rotate-local\/mounted\/id_ecdsa\.pub/);
});

// 4. One rotation at a time
test('4. two rotations at once in one process: one runs, the other is busy; the result verifies', async () => {
  const ws = workspace();
  const results = await Promise.all([ws.tool(['--yes', '--json']), ws.tool(['--yes', '--json'])]);
  const codes = results.map((result) => result.code).sort();
  assert.deepEqual(codes, [0, 3], results.map((result) => result.stdout).join('\n'));
  const busy = results.find((result) => result.code === 3) as ToolResult;
  assert.equal(busy.json.marker, 'ROTATION_FAILED busy');
  assert.match(busy.json.error.message, /busy: another spacetimedb-tooling run \(pid \d+ on .*, rotate, started .*\) is working on it/);
  assert.equal((await ws.tool(['--verify-only'])).code, 0);
  assert.deepEqual(readdirSync(ws.dir).filter((name) => name.endsWith('.lock')), [], 'locks released');
});

test('4. a lock held by a live process makes the run busy; a lock left by a killed one is broken', async () => {
  const ws = workspace();
  const holder = spawn('sleep', ['30']);
  try {
    const lock = { pid: holder.pid, host: hostname(), startedAt: new Date().toISOString(), mode: 'rotate', nonce: 'held' };
    ws.write('.mounted.spacetimedb-tooling.lock', JSON.stringify(lock));
    const before = snapshot(ws.dir);
    assertRefused(await ws.tool(['--yes']), 'busy', new RegExp(`mounted: busy: another spacetimedb-tooling run \\(pid ${holder.pid} on .*remove .*\\.mounted\\.spacetimedb-tooling\\.lock`));
    assertRefused(await ws.tool(['--dry-run']), 'busy', /mounted: busy/);
    assert.deepEqual(snapshot(ws.dir), before);
  } finally {
    holder.kill();
  }
  const dead = spawnSync('true').pid;
  ws.write('.mounted.spacetimedb-tooling.lock', JSON.stringify({ pid: dead, host: hostname(), startedAt: new Date().toISOString(), mode: 'rotate', nonce: 'stale' }));
  const result = await ws.tool(['--yes']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(existsSync(ws.path('.mounted.spacetimedb-tooling.lock')), false);
});

test('4. rotations started together as processes run one after another: no pair is lost, the server keeps a key', async () => {
  const bundle = await bundlePath();
  const ws = workspace();
  const runs = await Promise.all(
    [1, 2, 3, 4].map(
      () =>
        new Promise<{ code: number | null; stdout: string }>((resolve) => {
          const child = spawn(process.execPath, [bundle, ...PATH_FLAGS, '--yes', '--json'], { cwd: ws.dir });
          let stdout = '';
          child.stdout.on('data', (chunk) => (stdout += chunk));
          child.on('close', (code) => resolve({ code, stdout }));
        }),
    ),
  );
  const reports = runs.map((run) => ({ code: run.code, report: JSON.parse(run.stdout) }));
  for (const { code, report } of reports) assert.ok(code === 0 || (code === 3 && report.marker === 'ROTATION_FAILED busy'), JSON.stringify(report.error));
  const done = reports.filter((run) => run.code === 0).map((run) => run.report);
  assert.ok(done.length >= 1);
  // Serialised runs form a chain: no two rotated away from the same pair (a lost pair would).
  const previous = done.map((report) => report.keys.previousFingerprint);
  assert.equal(new Set(previous).size, previous.length, JSON.stringify(done.map((r) => [r.keys.previousFingerprint, r.keys.fingerprint])));
  assert.ok(existsSync(ws.path(`mounted/generations/${currentGeneration(ws, 'mounted')}/id_ecdsa`)), 'current points at a generation that exists');
  assert.equal((await ws.tool(['--verify-only'])).code, 0);
});

// 5. Forgetting --env on a prod host
test('5. without --env on a host that mounts prod\'s pair, rotation, its dry run and sync refuse', async () => {
  const ws = workspace();
  assert.equal((await ws.tool(['--yes', '--env', 'dev', '--no-sync-mounted-keys', '--no-preserve-publisher-token'])).code, 0);
  assert.equal((await ws.tool(['--yes', '--env', 'prod'])).code, 0);
  const before = snapshot(ws.dir);
  const message = /mounted: holds file store store\/prod's pair \(fingerprint [0-9a-f]{16}…\), but this run is for --env local \(the default: --env was not given\).* Pass --env prod\./;
  assertRefused(await ws.tool(['--yes']), 'wrong-env', message);
  assertRefused(await ws.tool(['--dry-run']), 'wrong-env', message);
  assertRefused(await ws.tool(['--sync-only', '--yes']), 'wrong-env', message);
  assert.deepEqual(snapshot(ws.dir), before);
  const verify = await ws.tool(['--verify-only', '--json']);
  assert.match(failedChecks(verify)['store-pair'] ?? '', /are file store store\/prod's pair, not local's: .*pass --env prod \(the default is local\)/);
  const { renderHelp } = await import('../../tooling/cli/help');
  assert.match(renderHelp().replace(/\s+/g, ' '), /It defaults to local: on a prod or test host, always pass it\./);
});

// 6. A mismatched pair in the store
test('6. a store pair with a new private key and an old public key fails --verify-only', async () => {
  const ws = workspace();
  assert.equal((await ws.tool(['--yes', '--env', 'dev'])).code, 0);
  // As after a Key Vault set that wrote the private key and failed on the public one, in both entries.
  const stray = newPair();
  for (const env of ['dev', 'local']) ws.write(`store/${env}/generations/${currentGeneration(ws, `store/${env}`)}/id_ecdsa`, stray.privatePem, 0o600);
  const verify = await ws.tool(['--verify-only', '--env', 'dev', '--json']);
  assert.equal(verify.code, 1);
  const failed = failedChecks(verify);
  assert.match(failed['store-integrity'] ?? '', /file store store\/dev holds a public key that does not belong to its private key .*rotate it to write a whole pair \(--env dev --yes\)/);
  assert.match(failed['store-pair'] ?? '', /store\/dev holds a private key and a public key of different pairs/);
});

// 7. Paths other users can write
test('7. world-writable directories and a 0666 cli.toml fail verification and stop a rotation', async () => {
  const ws = workspace();
  chmodSync(ws.path('cli.toml'), 0o666);
  chmodSync(ws.path('mounted'), 0o777);
  const verify = await ws.tool(['--verify-only', '--json']);
  assert.equal(verify.code, 1);
  const problem = failedChecks(verify).permissions ?? '';
  assert.match(problem, /mounted: mode 0777 is world-writable/);
  assert.match(problem, /cli\.toml: mode 0666 is world-writable, so another user could change it; fix: chmod go-w cli\.toml/);
  const before = snapshot(ws.dir);
  assertRefused(await ws.tool(['--yes']), 'permissions', /mode 0777 is world-writable.*nothing was changed/);
  chmodSync(ws.path('mounted'), 0o755);
  assertRefused(await ws.tool(['--resign-token-only', '--yes']), 'permissions', /cli\.toml: mode 0666 is world-writable/);
  chmodSync(ws.path('mounted'), 0o777);
  assert.deepEqual(snapshot(ws.dir), before);
});

// 8. A symlinked parent directory
test('8. a cli.toml behind a symlinked directory is not written through, unless --follow-symlinks', async () => {
  const ws = workspace();
  mkdirSync(ws.path('elsewhere'));
  renameSync(ws.path('cli.toml'), ws.path('elsewhere/cli.toml'));
  symlinkSync('elsewhere', ws.path('conf'));
  const before = snapshot(ws.dir);
  for (const args of [['--yes'], ['--resign-token-only', '--yes']]) {
    const result = await ws.tool([...args, '--publisher-cli-toml-path', 'conf/cli.toml']);
    assertRefused(result, 'symlink', /conf\/cli\.toml: the directory conf on its path is a symlink to elsewhere; this tool does not write through symlinks anywhere on a path\. .*--follow-symlinks/);
  }
  assert.deepEqual(snapshot(ws.dir), before);
  const followed = await ws.tool(['--yes', '--publisher-cli-toml-path', 'conf/cli.toml', '--follow-symlinks']);
  assert.equal(followed.code, 0, followed.stderr);
  assert.equal(readlinkSync(ws.path('conf')), 'elsewhere', 'the link itself is kept');
});

// 9. A hand-made backup
function plantBackup(ws: Workspace, entry: Record<string, unknown>, file = 'cli.toml'): string {
  const dir = 'backups/20990101T000000Z-resign';
  mkdirSync(ws.path(dir), { recursive: true, mode: 0o700 });
  chmodSync(ws.path('backups'), 0o700);
  chmodSync(ws.path(dir), 0o700);
  ws.write(`${dir}/manifest.json`, JSON.stringify({ tool: 'spacetimedb-tooling', version: '0.1.0', createdAt: new Date().toISOString(), mode: 'resign', entries: [entry] }), 0o600);
  ws.write(`${dir}/${file}`, '#!/bin/sh\necho owned\n', 0o600);
  return dir;
}

test('9. --restore-backup refuses a manifest that names a path outside the flags, or a mode a cli.toml never has', async () => {
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ kind: 'cli-toml', path: '', file: 'cli.toml', present: true, mode: 0o777 }, 'bad-backup', /manifest\.json: the cli-toml entry asks for mode 0777, which no cli\.toml this tool backs up has/],
    [{ kind: 'cli-toml', path: '', file: 'cli.toml', present: true, mode: 0o600 }, 'backup-paths', /manifest\.json: saved cli\.toml of .*evil\.sh, but this run's --publisher-cli-toml-path is cli\.toml/],
    [{ kind: 'mounted', path: '', dir: '../../x', privateKey: true, publicKey: true }, 'bad-backup', /points outside mounted\//],
  ];
  for (const [entry, reason, message] of cases) {
    const ws = workspace();
    const dir = plantBackup(ws, { ...entry, path: ws.path('evil.sh') });
    const before = snapshot(ws.dir);
    assertRefused(await ws.tool(['--restore-backup', dir, '--yes']), reason, message);
    assert.deepEqual(snapshot(ws.dir), before);
    assert.equal(existsSync(ws.path('evil.sh')), false);
  }
});

test('9. a backup other users can write is not restored', async () => {
  const ws = workspace();
  const dir = plantBackup(ws, { kind: 'cli-toml', path: ws.path('cli.toml'), file: 'cli.toml', present: true, mode: 0o600 });
  chmodSync(ws.path(`${dir}/manifest.json`), 0o666);
  const before = snapshot(ws.dir);
  assertRefused(await ws.tool(['--restore-backup', dir, '--yes']), 'untrusted-backup', /manifest\.json has mode 0666 \(world-writable\)/);
  assert.deepEqual(snapshot(ws.dir), before);
});

// The classes behind these cases
test('every input file is a regular file of bounded size: a named pipe or a huge file is refused, never read', { timeout: 20_000 }, async () => {
  const ws = workspace();
  rmSync(ws.path('cli.toml'));
  assert.equal(spawnSync('mkfifo', [ws.path('cli.toml')]).status, 0);
  const verify = await ws.tool(['--verify-only', '--json']);
  assert.match(failedChecks(verify)['cli-toml'] ?? '', /cli\.toml: is a named pipe, not a regular file/);
  assertRefused(await ws.tool(['--resign-token-only', '--yes']), 'not-a-file', /cli\.toml: is a named pipe, not a regular file/);
  ws.write('huge.pem', Buffer.alloc(10 * 1024 * 1024, 'A'));
  ws.write('huge.pub', ws.pair.publicPem);
  assertRefused(await ws.tool(['--yes', '--private-key-path', 'huge.pem', '--public-key-path', 'huge.pub', '--no-preserve-publisher-token']), 'too-large', /huge\.pem: is 10485760 bytes, more than a key file can be \(64 KiB\)/);
});

test('every byte of cli.toml that is not the token survives a re-sign, or the run refuses', async () => {
  const ws = workspace();
  const bytes = Buffer.concat([Buffer.from('# caf\xe9 in Latin-1, not UTF-8\n', 'latin1'), Buffer.from(ws.read('cli.toml'))]);
  ws.write('cli.toml', bytes, 0o644);
  const before = snapshot(ws.dir);
  assertRefused(await ws.tool(['--resign-token-only', '--yes']), 'bad-cli-toml', /cli\.toml: is not valid UTF-8, so it could not be rewritten byte for byte/);
  assertRefused(await ws.tool(['--yes']), 'bad-cli-toml', /not valid UTF-8/);
  assert.deepEqual(snapshot(ws.dir), before);
});

async function standIn(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

test('every network read is bounded in size and time', { timeout: 30_000 }, async () => {
  const ws = workspace();
  const endless = await standIn((_request, response) => {
    response.writeHead(200);
    const chunk = Buffer.alloc(16 * 1024, 'x');
    const pump = (): void => {
      while (response.write(chunk)) {
        // keep writing until the socket pushes back
      }
    };
    response.on('drain', pump);
    pump();
  });
  const big = await ws.tool(['--verify-only', '--json', '--server-url', endless]);
  assert.match(failedChecks(big)['server-public-key'] ?? '', /the answer is larger than 64 KiB/);
  const silent = await standIn(() => {
    // never answers
  });
  const started = Date.now();
  const stalled = await ws.tool(['--verify-only', '--json', '--server-url', silent]);
  assert.match(failedChecks(stalled)['server-public-key'] ?? '', /no answer/);
  assert.ok(Date.now() - started < 15_000, 'gave up after its time limit');
});

test('no secret appears in output: credentials in --server-url are refused without being echoed, and output is scrubbed', async () => {
  const ws = workspace();
  const result = await ws.tool(['--verify-only', '--server-url', 'http://admin:hunter2@127.0.0.1:1']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--server-url: a user name or password in the URL is not supported/);
  assert.equal(`${result.stdout}${result.stderr}`.includes('hunter2'), false);
  const bad = await ws.tool(['--verify-only', '--server-url', 'gopher://admin:hunter2@x']);
  assert.equal(`${bad.stdout}${bad.stderr}`.includes('hunter2'), false);
  const { scrubSecrets } = await import('../../tooling/core/redact');
  const scrubbed = scrubSecrets(`key ${ws.pair.privatePem} token ${ws.token} url https://u:p@host/x`);
  assert.equal(scrubbed.includes('PRIVATE KEY'), false);
  assert.equal(scrubbed.includes(ws.token), false);
  assert.match(scrubbed, /https:\/\/\*\*\*@host\/x/);
});

test('every I/O error names the path it happened on, also a write that fails on a full disk', async () => {
  const bundle = await bundlePath();
  const ws = workspace();
  mkdirSync(ws.path('full'));
  const script = 'mount -t tmpfs -o size=8k,mode=0700 tmpfs "$1" && shift && cd "$1" && shift && exec "$@"';
  const result = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', script, 'sh', ws.path('full'), ws.dir, process.execPath, bundle, ...PATH_FLAGS, '--yes', '--backup-dir', 'full'], {
    encoding: 'utf8',
  });
  assert.equal(result.status, 3, result.stderr);
  assert.match(result.stderr, /^error: .*full\/\.[^ ]*spacetimedb-tooling-tmp-[^ ]*\/[^ ]+: no space left on the device \(cannot write it\)\./m);
  assert.match(result.stdout, /ROTATION_FAILED io$/m);
});

test('--help says which flags apply to which mode; --json covers --help and --version', async () => {
  const ws = workspace();
  const help = await ws.tool(['--help']);
  assert.match(help.stdout.replace(/\s+/g, ' '), /--server-url URL .* Applies to: --verify-only, --resign-token-only\./);
  assert.match(help.stdout.replace(/\s+/g, ' '), /--trusted-public-key FILE .* Applies to: rotation, --resign-token-only\./);
  const json = await ws.tool(['--help', '--json']);
  assert.equal(json.json.tool, 'spacetimedb-tooling');
  const option = json.json.options.find((candidate: { name: string }) => candidate.name === 'sync-mounted-keys');
  assert.deepEqual(option.appliesTo, ['rotation']);
  const version = await ws.tool(['--version', '--json']);
  assert.match(version.json.version, /^\d+\.\d+\.\d+$/);
});
