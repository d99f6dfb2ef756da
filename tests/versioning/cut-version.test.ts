// Cutting a version end to end, in a temporary copy of the site: `pnpm docusaurus docs:version`,
// then `rewrite-links --write --root <copy>`, then a production build of the new version and the
// current docs. The new version's pages must be under its own path, and every link inside their
// content must stay inside the new version, including one that was written as /docs/next/... .
// The copy is the working tree's site (scripts/site-copy.ts), node_modules linked in, with
// the released 1.0 pages standing in for docs/: a stable set, so pages still being written in the
// working tree cannot break this test (the production build stage of `pnpm test` checks those).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { copySite } from '../../scripts/site-copy';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const VERSION = '9.9';
const PAGE = 'docs/00500-contributing/09900-version-links.md';
let site: { dir: string; remove: () => void };

/** Runs a command in the copy; pnpm is the one that runs this test when there is one. */
function sh(command: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  const result = spawnSync(command, args, { cwd: site.dir, encoding: 'utf8', env: { ...process.env, ...env } });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const pnpm = (...args: string[]): [string, string[]] => {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath) && /\.c?js$/.test(execPath)) return [process.execPath, [execPath, ...args]];
  return ['pnpm', args];
};

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? htmlFiles(join(dir, entry.name)) : entry.name.endsWith('.html') ? [join(dir, entry.name)] : [],
  );
}

/** The hrefs of the page's own content (the rendered Markdown), not of the navbar or sidebar. */
function contentLinks(html: string): string[] {
  const start = html.indexOf('theme-doc-markdown');
  assert.notEqual(start, -1, 'no doc content in the page');
  const end = html.indexOf('</article>', start);
  const content = html.slice(start, end === -1 ? undefined : end);
  // The HTML is minified: attribute values may be quoted or not.
  return [...content.matchAll(/<a\s[^>]*?href=(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g)].map((match) =>
    (match[1] ?? match[2] ?? match[3]!).replace(/&amp;/g, '&'),
  );
}

before(() => {
  site = copySite(repoRoot);
  rmSync(join(site.dir, 'docs'), { recursive: true });
  cpSync(join(site.dir, 'versioned_docs/version-1.0'), join(site.dir, 'docs'), { recursive: true });
  // A page written the way authors write links before a release: absolute, to the next docs.
  writeFileSync(
    join(site.dir, PAGE),
    [
      '---',
      'title: Version links',
      '---',
      '',
      "import Link from '@docusaurus/Link';",
      '',
      '# Version links',
      '',
      'See [how the server finds its keys](/docs/next/self-hosting#how-the-server-finds-its-keys),',
      '[the reference][reference] and <Link to="/docs/next/how-to">the how-to guides</Link>.',
      '',
      '[reference]: /docs/next/reference',
      '',
    ].join('\n'),
  );
});

after(() => site?.remove());

test(`cut ${VERSION}, rewrite its links and build: its links stay inside it`, () => {
  sh(...pnpm('docusaurus', 'docs:version', VERSION));
  const cutPage = join(site.dir, 'versioned_docs', `version-${VERSION}`, PAGE.slice('docs/'.length));
  assert.match(readFileSync(cutPage, 'utf8'), /\(\/docs\/next\/self-hosting#/, 'the cut copies the absolute link');
  assert.equal(JSON.parse(readFileSync(join(site.dir, 'versions.json'), 'utf8'))[0], VERSION);

  const rewrite = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/rewrite-links/cli.ts', '--root', site.dir, '--write'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  assert.equal(rewrite.status, 0, rewrite.stdout + rewrite.stderr);
  assert.match(rewrite.stdout, new RegExp(`version-${VERSION}/00500-contributing/09900-version-links\\.md:9: /docs/next/self-hosting#how-the-server-finds-its-keys -> \\.\\./00200-self-hosting/00100-overview\\.md#how-the-server-finds-its-keys`));
  assert.match(rewrite.stdout, / 0 unresolved$/m);

  // The new version is the last one, so it is served at /docs/; current stays at /docs/next/.
  // (`pnpm build` = bundle the tool into static/, then `docusaurus build`.)
  if (existsSync(join(site.dir, 'scripts/build-tooling.ts'))) sh(process.execPath, ['--import', 'tsx', 'scripts/build-tooling.ts']);
  // Only the new version is built: a link out of it to /docs/next/ would then fail the build itself.
  sh(...pnpm('docusaurus', 'build'), { DOCS_VERSIONS: VERSION });
  const docsDir = join(site.dir, 'build', 'docs');
  const versionPages = htmlFiles(docsDir)
    .map((file) => `/docs/${relative(docsDir, file).replace(/(\/index)?\.html$/, '')}`)
    .filter((route) => !route.startsWith('/docs/next/') && route !== '/docs/next');
  for (const route of ['/docs/self-hosting', '/docs/how-to', '/docs/reference', '/docs/contributing/version-links']) {
    assert.ok(versionPages.includes(route), `${route} is not among version ${VERSION}'s pages`);
  }

  const pageRoutes = new Set(versionPages);
  let checked = 0;
  for (const route of versionPages) {
    const file = [join(site.dir, 'build', `${route}.html`), join(site.dir, 'build', route, 'index.html')].find(existsSync)!;
    const html = readFileSync(file, 'utf8');
    if (!html.includes('theme-doc-markdown')) continue;
    for (const href of contentLinks(html)) {
      if (!href.startsWith('/') || href.startsWith('//')) continue;
      const path = href.replace(/[?#].*$/, '').replace(/\/$/, '');
      if (!path.startsWith('/docs')) continue;
      checked += 1;
      assert.ok(!path.startsWith('/docs/next') && !path.startsWith('/docs/1.0'), `${route} links out of version ${VERSION}: ${href}`);
      assert.ok(pageRoutes.has(path), `${route} links to ${href}, which is not a page of version ${VERSION}`);
    }
  }
  const links = contentLinks(readFileSync(join(site.dir, 'build/docs/contributing/version-links.html'), 'utf8'));
  assert.deepEqual(links.filter((href) => href.startsWith('/')).sort(), [
    '/docs/how-to',
    '/docs/reference',
    '/docs/self-hosting#how-the-server-finds-its-keys',
  ]);
  assert.ok(checked >= 3, `only ${checked} internal links checked`);
});
