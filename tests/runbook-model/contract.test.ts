import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { collectRunbooks, versionDirectory, writeContract } from '../../src/plugins/runbook-contract';
import { CONTRACT_SCHEMA_VERSION, toContract } from '../../src/runbook/contract';
import { runbookFrom } from './helpers';
import { docsVersionFolders, markdownFiles } from '../doc-tests/discover';

const page = (id: string) => `---
title: Page
---

::::runbook[Runbook ${id}]{#${id}}

::var[Host]{name=DEST_HOST default=a}

:::step[Step]{#step host=control runnable}
\`\`\`bash
ping -c 1 {{DEST_HOST}}
\`\`\`
:::

::::
`;

const site = mkdtempSync(join(tmpdir(), 'runbook-contract-'));
after(() => rmSync(site, { recursive: true, force: true }));
function write(path: string, text: string): string {
  mkdirSync(join(site, path, '..'), { recursive: true });
  writeFileSync(join(site, path), text);
  return `@site/${path}`;
}

describe('collectRunbooks', () => {
  const currentA = write('docs/a.md', page('same-id'));
  const currentB = write('docs/b.md', page('other'));
  const versioned = write('versioned_docs/version-1.0/a.md', page('same-id'));

  test('the same id in two versions is fine: ids are unique per version', async () => {
    const published = await collectRunbooks(site, [
      { versionName: 'current', isLast: false, docs: [{ source: currentA, permalink: '/docs/next/a' }, { source: currentB, permalink: '/docs/next/b' }] },
      { versionName: '1.0', isLast: true, docs: [{ source: versioned, permalink: '/docs/a' }] },
    ]);
    assert.deepEqual(
      published.map((version) => [version.version, version.directory, version.runbooks.map((runbook) => runbook.id)]),
      [
        ['current', 'next', ['same-id', 'other']],
        ['1.0', '1.0', ['same-id']],
      ],
    );
    assert.equal(published[0]!.runbooks[0]!.url, '/docs/next/a#runbook-same-id');
    assert.equal(published[0]!.runbooks[0]!.page, 'docs/a.md');
  });

  test('the same id twice in one version fails with both places', async () => {
    const copy = write('docs/copy.md', page('same-id'));
    await assert.rejects(
      collectRunbooks(site, [
        { versionName: 'current', isLast: true, docs: [{ source: currentA, permalink: '/a' }, { source: copy, permalink: '/copy' }] },
      ]),
      { message: 'Runbook syntax: a mistake\ndocs/copy.md:5: runbook id same-id is already used in docs/a.md:5 (runbook ids are unique within a docs version)' },
    );
  });

  test('syntax mistakes in any file fail with file and line', async () => {
    const broken = write('docs/broken.md', page('broken').replace('{{DEST_HOST}}', '{{MISSING}}'));
    await assert.rejects(
      collectRunbooks(site, [{ versionName: 'current', isLast: true, docs: [{ source: broken, permalink: '/broken' }] }]),
      /docs\/broken\.md:11: step step: placeholder \{\{MISSING\}\} has no variable/,
    );
  });
});

test('writeContract: the last version at the root, every version in its folder', async () => {
  const out = mkdtempSync(join(tmpdir(), 'runbook-out-'));
  try {
    const runbook = toContract(runbookFrom(page('demo')), { version: 'current', permalink: '/base/docs/next/p' });
    const written = await writeContract(out, '/base/', [
      { version: 'current', directory: 'next', isLast: false, runbooks: [runbook] },
      { version: '1.0', directory: '1.0', isLast: true, runbooks: [] },
    ]);
    assert.deepEqual(written.sort(), [
      'runbooks/1.0/index.json',
      'runbooks/index.json',
      'runbooks/next/demo.ansible.yml',
      'runbooks/next/demo.json',
      'runbooks/next/index.json',
    ]);
    assert.match(readFileSync(join(out, 'runbooks/next/demo.ansible.yml'), 'utf8'), /^# Runbook demo, exported from \/base\/docs\/next\/p#runbook-demo\.$/m);
    const root = JSON.parse(readFileSync(join(out, 'runbooks/index.json'), 'utf8'));
    assert.deepEqual(root, {
      schemaVersion: CONTRACT_SCHEMA_VERSION,
      version: '1.0',
      runbooks: [],
      versions: [
        { version: 'current', index: '/base/runbooks/next/index.json' },
        { version: '1.0', index: '/base/runbooks/1.0/index.json' },
      ],
    });
    const next = JSON.parse(readFileSync(join(out, 'runbooks/next/index.json'), 'utf8'));
    assert.deepEqual(next.runbooks, [{ id: 'demo', title: 'Runbook demo', page: 'test.md', url: '/base/docs/next/p#runbook-demo' }]);
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'runbooks/next/demo.json'), 'utf8')), runbook);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('toContract: every field the schema promises', () => {
  const contract = toContract(runbookFrom(page('fields')), { version: '1.0', permalink: '/docs/p' });
  assert.deepEqual(Object.keys(contract), ['schemaVersion', 'id', 'title', 'version', 'page', 'line', 'url', 'variables', 'steps']);
  assert.deepEqual(Object.keys(contract.variables[0]!), ['name', 'default', 'description', 'options', 'pattern', 'secret', 'test']);
  assert.deepEqual(Object.keys(contract.steps[0]!), [
    'id', 'title', 'host', 'command', 'lang', 'destructive', 'dryRun', 'markers', 'runnable', 'needs', 'setup', 'exit', 'variables', 'line',
  ]);
  assert.equal(versionDirectory('current'), 'next');
  assert.equal(versionDirectory('1.0'), '1.0');
});

test('every page of the site parses: docs/ and every versioned_docs/ folder', async () => {
  const root = join(import.meta.dirname, '..', '..');
  const published = await collectRunbooks(
    root,
    docsVersionFolders(root).map(({ dir, version }, index) => ({
      versionName: version,
      isLast: index === 1,
      docs: markdownFiles(dir).map((file) => ({ source: `@site/${relative(root, file)}`, permalink: `/${version}` })),
    })),
  );
  assert.ok(published[0]!.runbooks.some((runbook) => runbook.id === 'demo-copy-data'));
});
