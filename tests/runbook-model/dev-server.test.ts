import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { LoadContext, Plugin } from '@docusaurus/types';
import { devServerDirectory, runbookContractPlugin } from '../../src/plugins/runbook-contract';

/**
 * `pnpm start` serves the runbook contract at the URLs a production build publishes it at: the plugin
 * writes it under .docusaurus/ whenever the docs load and adds that folder to the dev server's static
 * folders, under the base URL.
 */
const site = mkdtempSync(join(tmpdir(), 'runbook-dev-server-'));
after(() => rmSync(site, { recursive: true, force: true }));

mkdirSync(join(site, 'docs'), { recursive: true });
writeFileSync(
  join(site, 'docs/page.md'),
  '# Page\n\n::::runbook[Say hello]{#hello}\n\n:::step[Hello]{#hello-step host=control runnable}\n```bash\necho hello\n```\n:::\n\n::::\n',
);

const context = { siteDir: site, generatedFilesDir: join(site, '.docusaurus'), baseUrl: '/base/' } as LoadContext;
const allContent = {
  'docusaurus-plugin-content-docs': {
    default: { loadedVersions: [{ versionName: 'current', isLast: true, docs: [{ source: '@site/docs/page.md', permalink: '/base/docs/page' }] }] },
  },
};

async function loadDocs(plugin: Plugin): Promise<void> {
  const actions = { createData: async () => '', addRoute: () => undefined, setGlobalData: () => undefined };
  await plugin.allContentLoaded!({ allContent, actions } as unknown as Parameters<NonNullable<Plugin['allContentLoaded']>>[0]);
}

/** Loads the docs as `pnpm start` does (NODE_ENV=development), which is when the plugin writes them. */
async function loadDocsInDevelopment(): Promise<void> {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'development';
  try {
    await loadDocs(runbookContractPlugin(context));
  } finally {
    process.env.NODE_ENV = previous;
  }
}

test('the dev server serves the contract folder under the base URL', () => {
  const plugin = runbookContractPlugin(context);
  const result = plugin.configureWebpack!({}, false, {} as never, undefined) as { devServer?: { static?: unknown } };
  assert.deepEqual(result.devServer?.static, [{ directory: devServerDirectory(context), publicPath: '/base/', watch: false }]);
});

test('loading the docs writes the contract there: runbooks/<id>.json and runbooks/index.json', async () => {
  await loadDocsInDevelopment();
  const served = join(devServerDirectory(context), 'runbooks');
  const runbook = JSON.parse(readFileSync(join(served, 'hello.json'), 'utf8'));
  assert.equal(runbook.id, 'hello');
  assert.equal(runbook.steps[0].command, 'echo hello');
  assert.deepEqual(JSON.parse(readFileSync(join(served, 'index.json'), 'utf8')).runbooks.map((entry: { id: string }) => entry.id), ['hello']);
  assert.ok(existsSync(join(served, 'next', 'hello.json')));
});

test('an edited page replaces the served contract: a removed runbook is no longer served', async () => {
  writeFileSync(join(site, 'docs/page.md'), '# Page\n\nNo runbook any more.\n');
  await loadDocsInDevelopment();
  assert.equal(existsSync(join(devServerDirectory(context), 'runbooks', 'hello.json')), false);
});
