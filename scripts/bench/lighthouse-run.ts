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
  return (await runLighthouseReport(url, options)).scores;
}

/** The five metrics the performance score is made of, as Lighthouse's audit ids name them. */
export const PERFORMANCE_METRICS = {
  FCP: 'first-contentful-paint',
  LCP: 'largest-contentful-paint',
  TBT: 'total-blocking-time',
  CLS: 'cumulative-layout-shift',
  SI: 'speed-index',
} as const;
export type PerformanceMetric = keyof typeof PERFORMANCE_METRICS;

/** One run's category scores, plus the performance metrics (ms; CLS unitless) when performance ran. */
export async function runLighthouseReport(
  url: string,
  options: { repoRoot: string; categories?: readonly LighthouseCategory[]; desktop?: boolean },
): Promise<{ scores: Record<LighthouseCategory, number>; metrics: Partial<Record<PerformanceMetric, number>> }> {
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
  const report = JSON.parse(stdout) as {
    categories: Record<string, { score: number | null }>;
    audits: Record<string, { numericValue?: number }>;
  };
  const scores = Object.fromEntries(categories.map((name) => [name, report.categories[name]?.score ?? 0])) as Record<LighthouseCategory, number>;
  const metrics: Partial<Record<PerformanceMetric, number>> = {};
  for (const [metric, audit] of Object.entries(PERFORMANCE_METRICS) as [PerformanceMetric, string][]) {
    const value = report.audits[audit]?.numericValue;
    if (value !== undefined) metrics[metric] = value;
  }
  return { scores, metrics };
}
