// The command line: help, usage errors and exit codes, and front matter with CRLF line endings.
// (`pnpm test` runs `rewrite-links --check` on the repository's own docs as a stage of its own.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { HELP, run } from '../../scripts/rewrite-links/cli';
import { readFrontMatter } from '../../scripts/rewrite-links/front-matter';

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(args, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

test('--help prints the usage and the exit codes', async () => {
  const { code, out } = await cli('--help');
  assert.equal(code, 0);
  assert.equal(out, HELP.trimEnd());
  assert.match(out, /Exit codes:/);
});

test('usage errors exit 2', async () => {
  assert.equal((await cli('--write', '--check')).code, 2);
  assert.equal((await cli('--frobnicate')).code, 2);
  assert.equal((await cli('--version-path', 'nope')).code, 2);
});

test('a folder without docs exits 3', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'rewrite-links-empty-'));
  try {
    assert.equal((await cli('--root', join(empty, 'missing'))).code, 3);
    assert.equal((await cli('--root', empty)).code, 3);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('front matter is read with LF and CRLF line endings', () => {
  for (const newline of ['\n', '\r\n']) {
    const text = ['---', 'title: "A: title"', "slug: '/a/b'", 'id: the-id # comment', '---', '', '# A'].join(newline);
    const { values, end } = readFrontMatter(text);
    assert.deepEqual(Object.fromEntries(values), { title: 'A: title', slug: '/a/b', id: 'the-id' });
    assert.equal(text.slice(end), `${newline}# A`);
  }
  assert.equal(readFrontMatter('# no front matter\n---\n').end, 0);
});
