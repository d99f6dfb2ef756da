/**
 * The stock Docusaurus site to compare with: `create-docusaurus <version> classic --typescript`,
 * installed with pnpm and built, in a temporary directory. Needs the npm registry.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pnpmCommand } from '../pnpm-command.mjs';

function run(command: string, args: readonly string[], cwd: string, what: string): void {
  process.stderr.write(`${what}...\n`);
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  if (result.status !== 0) throw new Error(`${what} failed (${command} ${args.join(' ')}):\n${(result.stderr || result.stdout).slice(-3000)}`);
}

/** Scaffolds, installs and builds the stock template; returns its build directory and a cleanup. */
export function buildStockSite(docusaurusVersion: string): { buildDir: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'stock-docusaurus-'));
  const remove = (): void => rmSync(root, { recursive: true, force: true });
  try {
    run('npx', ['--yes', `create-docusaurus@${docusaurusVersion}`, 'stock', 'classic', '--typescript', '--skip-install', '--package-manager', 'pnpm'], root, `scaffolding the stock Docusaurus ${docusaurusVersion} template`);
    const site = join(root, 'stock');
    const [pnpm, ...pnpmArgs] = pnpmCommand() as string[];
    run(pnpm!, [...pnpmArgs, 'install', '--config.confirmModulesPurge=false'], site, 'installing it');
    const core = JSON.parse(readFileSync(join(site, 'node_modules/@docusaurus/core/package.json'), 'utf8')) as { version: string };
    if (core.version !== docusaurusVersion) throw new Error(`the stock site installed Docusaurus ${core.version}, not ${docusaurusVersion}`);
    run(join(site, 'node_modules/.bin/docusaurus'), ['build'], site, 'building it');
    return { buildDir: join(site, 'build'), remove };
  } catch (error) {
    remove();
    throw error;
  }
}
