/** One Lighthouse run from the CLI (lighthouse is a devDependency), shared by the benchmarks. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const LIGHTHOUSE_CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
export type LighthouseCategory = (typeof LIGHTHOUSE_CATEGORIES)[number];

/** CHROME_PATH, else Debian's Chromium; undefined lets Lighthouse look for a Chrome itself. */
export function lighthouseChrome(): string | undefined {
  return process.env.CHROME_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
}

/**
 * Lighthouse's default configuration (mobile, simulated throttling) or its desktop preset, on one URL.
 * Runs asynchronously so that a site server living in the same process keeps answering.
 */
export async function runLighthouse(
  url: string,
  options: { repoRoot: string; categories?: readonly LighthouseCategory[]; desktop?: boolean },
): Promise<Record<LighthouseCategory, number>> {
  const categories = options.categories ?? LIGHTHOUSE_CATEGORIES;
  const chromePath = lighthouseChrome();
  const args = [
    url,
    '--output=json',
    '--quiet',
    `--only-categories=${categories.join(',')}`,
    '--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync',
    ...(options.desktop ? ['--preset=desktop'] : []),
  ];
  const { stdout } = await promisify(execFile)(join(options.repoRoot, 'node_modules/.bin/lighthouse'), args, {
    cwd: options.repoRoot,
    env: { ...process.env, ...(chromePath ? { CHROME_PATH: chromePath } : {}) },
    maxBuffer: 256 * 1024 * 1024,
    encoding: 'utf8',
  });
  const report = JSON.parse(stdout) as { categories: Record<string, { score: number | null }> };
  return Object.fromEntries(categories.map((name) => [name, report.categories[name]?.score ?? 0])) as Record<LighthouseCategory, number>;
}
