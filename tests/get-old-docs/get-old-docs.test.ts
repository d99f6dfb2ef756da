// scripts/get-old-docs.sh end to end, in a throwaway git repository holding a copy of the site:
// a version re-cut from an old commit appears (docs, sidebar, versions.json) and nothing else in
// the working tree changes; an existing version is refused without --force; a failure half-way and
// a Ctrl-C leave no worktree and no temporary folder behind. The first run does a real offline
// `pnpm install` from the local store into the temporary worktree (its time is printed); the
// others link the repository's node_modules instead (GET_OLD_DOCS_NODE_MODULES) to stay fast.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { copySite } from '../../scripts/site-copy';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
let site: { dir: string; remove: () => void };
let scratch: string;
const commits: Record<'old' | 'newer' | 'broken', string> = { old: '', newer: '', broken: '' };

function git(...args: string[]): string {
  const result = spawnSync('git', args, { cwd: site.dir, encoding: 'utf8' });
  assert.equal(result.status, 0, `git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

/** `git status --porcelain`, one entry per line (leading spaces matter). */
function status(): string[] {
  const result = spawnSync('git', ['status', '--porcelain'], { cwd: site.dir, encoding: 'utf8' });
  return result.stdout.split('\n').filter(Boolean).sort();
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Runs the script; `interruptWhen` sends Ctrl-C (SIGINT to its process group) once the output matches. */
function getOldDocs(args: string[], options: { install?: boolean; interruptWhen?: RegExp } = {}): Promise<Outcome> {
  const { install = false, interruptWhen } = options;
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: scratch };
  if (install) delete env.GET_OLD_DOCS_NODE_MODULES;
  else env.GET_OLD_DOCS_NODE_MODULES = join(repoRoot, 'node_modules');
  return new Promise((resolve) => {
    const child = spawn('bash', ['scripts/get-old-docs.sh', ...args], {
      cwd: site.dir,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let interrupted = false;
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (interruptWhen && !interrupted && interruptWhen.test(output)) {
        interrupted = true;
        // Give pnpm a moment to really start, as a person would.
        setTimeout(() => process.kill(-child.pid!, 'SIGINT'), 1500);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

/** No worktree but the main one, no temporary folder, no staging folder. */
function assertNothingLeft(): void {
  const worktrees = git('worktree', 'list', '--porcelain').split('\n').filter((line) => line.startsWith('worktree '));
  assert.equal(worktrees.length, 1, `worktrees left: ${worktrees.join(', ')}`);
  // Only the script's own folders: the tools it runs may keep caches there (jiti does).
  assert.deepEqual(readdirSync(scratch).filter((name) => name.startsWith('get-old-docs.')), [], 'temporary folders left');
  assert.deepEqual(
    readdirSync(join(site.dir, 'versioned_docs')).filter((name) => name.startsWith('.')),
    [],
    'staging folders left',
  );
}

/** Every file of `docs/` at a commit, with its content. */
function docsAt(commit: string): Record<string, string> {
  const tree: Record<string, string> = {};
  for (const path of git('ls-tree', '-r', '--name-only', commit, 'docs').split('\n')) {
    tree[path.slice('docs/'.length)] = git('show', `${commit}:${path}`);
  }
  return tree;
}

function versionFolder(name: string): Record<string, string> {
  const root = join(site.dir, 'versioned_docs', `version-${name}`);
  const tree: Record<string, string> = {};
  const visit = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const relative = prefix + entry.name;
      if (entry.isDirectory()) visit(join(dir, entry.name), `${relative}/`);
      else tree[relative] = readFileSync(join(dir, entry.name), 'utf8').trim();
    }
  };
  visit(root, '');
  return tree;
}

const versions = () => JSON.parse(readFileSync(join(site.dir, 'versions.json'), 'utf8')) as string[];

before(() => {
  site = copySite(repoRoot);
  scratch = join(site.dir, '..', `${site.dir.split('/').pop()}-tmp`);
  mkdirSync(scratch);
  for (const file of ['pnpm-lock.yaml', 'pnpm-workspace.yaml', '.gitignore']) copyFileSync(join(repoRoot, file), join(site.dir, file));
  git('init', '--quiet');
  // The linked node_modules is a symlink, which the `node_modules/` rule of .gitignore does not match.
  writeFileSync(join(site.dir, '.git/info/exclude'), 'node_modules\n');
  git('config', 'user.email', 'test@example.invalid');
  git('config', 'user.name', 'get-old-docs test');
  git('add', '-A');
  git('commit', '--quiet', '-m', 'old docs');
  commits.old = git('rev-parse', 'HEAD');
  // A newer commit: one page changed, one removed.
  const about = join(site.dir, 'docs/00100-introduction/00100-about.md');
  writeFileSync(about, readFileSync(about, 'utf8').replace('# About these guides', '# About these guides, revised'));
  rmSync(join(site.dir, 'docs/00300-how-to/00100-overview.md'));
  writeFileSync(join(site.dir, 'docs/00300-how-to/00100-start.md'), '---\nslug: /how-to\n---\n\n# Start here\n');
  git('add', '-A');
  git('commit', '--quiet', '-m', 'newer docs');
  commits.newer = git('rev-parse', 'HEAD');
  // A commit whose sidebars.ts does not even parse: docs:version fails on it.
  writeFileSync(join(site.dir, 'sidebars.ts'), 'export default {{{ broken\n');
  git('commit', '--quiet', '-am', 'broken sidebars');
  commits.broken = git('rev-parse', 'HEAD');
  git('reset', '--quiet', '--hard', commits.newer);
});

after(() => {
  site?.remove();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('re-cuts a version from an old commit and changes nothing else', async () => {
  const result = await getOldDocs([commits.old, '0.9'], { install: true });
  assert.equal(result.code, 0, result.output);
  console.log(`# ${/installed in \d+ s/.exec(result.output)?.[0] ?? 'install time not printed'}`);
  assert.deepEqual(versionFolder('0.9'), Object.fromEntries(Object.entries(docsAt(commits.old)).map(([k, v]) => [k, v.trim()])));
  assert.ok(existsSync(join(site.dir, 'versioned_sidebars/version-0.9-sidebars.json')));
  assert.deepEqual(versions(), ['1.0', '0.9']);
  assert.deepEqual(status(), [
    ' M versions.json',
    '?? versioned_docs/version-0.9/',
    '?? versioned_sidebars/version-0.9-sidebars.json',
  ]);
  assert.match(result.output, /Next steps:[\s\S]*rewrite-links:write[\s\S]*pnpm build/);
  assertNothingLeft();
});

test('refuses an existing version without --force', async () => {
  const result = await getOldDocs([commits.newer, '0.9']);
  assert.equal(result.code, 2);
  assert.match(result.output, /already exists; pass --force/);
  assertNothingLeft();
});

test('--force re-cuts an existing version in place, without a duplicate in versions.json', async () => {
  const result = await getOldDocs([commits.newer, '0.9', '--force']);
  assert.equal(result.code, 0, result.output);
  assert.match(versionFolder('0.9')['00100-introduction/00100-about.md'] ?? '', /About these guides, revised/);
  assert.ok(!existsSync(join(site.dir, 'versioned_docs/version-0.9/00300-how-to/00100-overview.md')));
  assert.deepEqual(versions(), ['1.0', '0.9']);
  assertNothingLeft();
});

test('a failure half-way leaves no worktree and no change', async () => {
  const before = status();
  const result = await getOldDocs([commits.broken, '0.8']);
  assert.equal(result.code, 1, result.output);
  assert.match(result.output, /docs:version failed/);
  assert.deepEqual(status(), before);
  assertNothingLeft();
});

test('Ctrl-C while docs:version runs leaves no worktree and no change', async () => {
  const before = status();
  const result = await getOldDocs([commits.old, '0.7'], { interruptWhen: /docusaurus docs:version/ });
  assert.notEqual(result.code, 0, result.output);
  assert.match(result.output, /stopped \(exit 130\)/);
  assert.deepEqual(status(), before);
  assertNothingLeft();
});

test('checks its arguments', async () => {
  assert.equal((await getOldDocs(['no-such-commit', '0.6'])).code, 2);
  assert.equal((await getOldDocs([commits.old, 'bad/name'])).code, 2);
  assert.equal((await getOldDocs([commits.old, 'current'])).code, 2);
  assert.equal((await getOldDocs([commits.old])).code, 2);
  assert.match((await getOldDocs(['--help'])).output, /Exit codes:/);
  assertNothingLeft();
});
