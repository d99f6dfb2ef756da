#!/usr/bin/env tsx
/**
 * `pnpm bench:build`: production build wall time and peak memory, cold and warm,
 * with the Rspack-based faster build on and off, from one run.
 *
 * Each configuration builds a fresh copy of the site (so "cold" really has no cache),
 * then builds the same copy again ("warm": Docusaurus' persistent cache is filled).
 * Peak memory is the highest total resident memory of the build's whole process tree.
 *
 *   pnpm bench:build            both configurations
 *   pnpm bench:build --faster   only the faster build
 *
 * Prints a table; exits 1 if a build fails. It measures, it never fails on slowness.
 */
import { fileURLToPath } from 'node:url';
import { formatBytes, measure, type Measurement } from './measure';
import { copySite } from '../site-copy';

if (process.argv.includes('--help')) {
  console.log('Usage: pnpm bench:build [--faster]\nPrints cold and warm build time and peak memory, faster build on and off.');
  process.exit(0);
}

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const configurations = process.argv.includes('--faster') ? [true] : [true, false];
const rows: { config: string; run: string; result: Measurement }[] = [];

for (const faster of configurations) {
  const site = copySite(repoRoot);
  const env = { ...process.env, FASTER_BUILD: String(faster), NODE_ENV: 'production' };
  const docusaurus = `${site.dir}/node_modules/.bin/docusaurus`;
  try {
    for (const run of ['cold', 'warm']) {
      process.stderr.write(`building (${faster ? 'faster' : 'webpack'}, ${run})...\n`);
      const result = await measure(docusaurus, ['build'], { cwd: site.dir, env });
      rows.push({ config: faster ? 'faster (Rspack)' : 'webpack', run, result });
      if (!result.ok) {
        console.error(result.output.slice(-3000));
        process.exit(1);
      }
    }
  } finally {
    site.remove();
  }
}

console.log('\nProduction build of the whole site (every version), this machine:');
console.log('configuration     run    wall time   peak memory');
for (const { config, run, result } of rows) {
  console.log(
    `${config.padEnd(17)} ${run.padEnd(6)} ${`${result.seconds.toFixed(1)} s`.padStart(9)}   ${formatBytes(result.peakBytes).padStart(11)}`,
  );
}
