import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The files a Docusaurus build reads: everything but caches, outputs and dependencies. */
const siteEntries = [
  'docs',
  'versioned_docs',
  'versioned_sidebars',
  'versions.json',
  'src',
  'diagrams',
  'static',
  'tooling',
  'scripts',
  'docusaurus.config.ts',
  'sidebars.ts',
  'package.json',
  'tsconfig.json',
];

/**
 * A throwaway copy of the site with the repository's node_modules linked in, so a benchmark
 * or test can build from a cold cache without touching the working tree's build/ or .docusaurus/.
 */
export function copySite(repoRoot: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'site-copy-'));
  for (const entry of siteEntries) {
    const from = join(repoRoot, entry);
    if (existsSync(from)) {
      cpSync(from, join(dir, entry), {
        recursive: true,
        filter: (source) => !/[\\/](node_modules|\.generated)([\\/]|$)/.test(source.slice(repoRoot.length)),
      });
    }
  }
  symlinkSync(resolve(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
