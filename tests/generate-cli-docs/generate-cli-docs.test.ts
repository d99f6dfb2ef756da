// The CLI reference generator: a fixture definitions module rendered next to its expected page,
// that page compiling as MDX with every special character kept as text, and --check.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEFAULT_PAGE, loadDefinitions, renderCliReference, run } from '../../scripts/generate-cli-docs';
import { updatingFixtures } from '../support/update-fixtures';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const repoRoot = here('../../');

async function rendered(options: string): Promise<string> {
  return renderCliReference(await loadDefinitions(here(options)), 'fixtures/options.ts');
}

async function cli(...args: string[]) {
  let out = '';
  const err: string[] = [];
  const code = await run(args, { out: (text) => (out += text), err: (line) => err.push(line) }, repoRoot);
  return { code, out, err: err.join('\n') };
}

/** @mdx-js/mdx as Docusaurus uses it: the copy next to @docusaurus/mdx-loader. */
async function compileMdx(source: string): Promise<string> {
  const fromCore = createRequire(createRequire(import.meta.url).resolve('@docusaurus/core/package.json'));
  const loaderMain = fromCore.resolve('@docusaurus/mdx-loader');
  const modules = loaderMain.slice(0, loaderMain.lastIndexOf('@docusaurus/mdx-loader'));
  const mdx = (await import(pathToFileURL(join(modules, '@mdx-js/mdx/index.js')).href)) as {
    compile: (file: string, options: { remarkPlugins: unknown[] }) => Promise<{ toString(): string }>;
  };
  const gfm = (await import(pathToFileURL(join(modules, 'remark-gfm/index.js')).href)) as { default: unknown };
  return String(await mdx.compile(source, { remarkPlugins: [gfm.default] }));
}

test('renders the fixture definitions as the expected page', async () => {
  const expected = here('./fixtures/expected.md');
  if (updatingFixtures) writeFileSync(expected, await rendered('./fixtures/options.ts'));
  assert.equal(await rendered('./fixtures/options.ts'), readFileSync(expected, 'utf8'));
});

test('the rendered page compiles as MDX and keeps <VALUE> and braces as text', async () => {
  const compiled = await compileMdx(await rendered('./fixtures/options.ts'));
  // No element was made of a placeholder, and the text still holds every special character.
  assert.doesNotMatch(compiled, /_jsxs?\((?:_components\.)?"?(?:VALUE|none|stderr|n)\b/);
  assert.match(compiled, /"Set the <VALUE> to use; a \{placeholder\}, a_b_c, \*stars\*, \[brackets\]\(x\), `ticks`, a \| pipe, # and & too\. One of "/);
  assert.match(compiled, /children: "a\|b"/);
  assert.match(compiled, /_components\.table/);
});

test('--check passes on the committed page and fails on a stale or missing one', async () => {
  assert.equal((await cli('--check')).code, 0);
  const dir = mkdtempSync(join(tmpdir(), 'generate-cli-docs-'));
  try {
    const page = join(dir, 'page.md');
    copyFileSync(join(repoRoot, DEFAULT_PAGE), page);
    assert.equal((await cli('--check', '--out', page)).code, 0);
    writeFileSync(page, readFileSync(page, 'utf8').replace('## Exit codes', '## Exit statuses'));
    const stale = await cli('--check', '--out', page);
    assert.equal(stale.code, 1);
    assert.match(stale.err, /out of date \(first difference at line \d+\)/);
    rmSync(page);
    assert.equal((await cli('--check', '--out', page)).code, 1);
    assert.equal((await cli('--out', page)).code, 0);
    assert.equal((await cli('--check', '--out', page)).code, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--help, usage errors and a missing definitions module', async () => {
  assert.match((await cli('--help')).out, /Exit codes:/);
  assert.equal((await cli('--check', '--stdout')).code, 2);
  assert.equal((await cli('--bogus')).code, 2);
  assert.equal((await cli('--stdout', '--options', 'no/such/options.ts')).code, 3);
});
