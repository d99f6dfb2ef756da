// Bundles tooling/spacetimedb-tooling.ts into one dependency-free ES module that runs with plain
// `node` (20+) or `bun`: static/tooling/spacetimedb-tooling.mjs, served by the site for download.
//
//   pnpm build:tooling                 writes static/tooling/spacetimedb-tooling.mjs
//   buildTooling({ outfile })          the same, from tests and the benchmark
//
// Whitespace and syntax are minified (less to parse at every start) but names are kept, so stack
// traces stay readable; the source is tooling/ in this repository.
import { chmodSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_OUTFILE = `${root}static/tooling/spacetimedb-tooling.mjs`;

export async function buildTooling(options: { outfile?: string } = {}): Promise<string> {
  const outfile = options.outfile ?? DEFAULT_OUTFILE;
  await build({
    entryPoints: [`${root}tooling/spacetimedb-tooling.ts`],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'warning',
  });
  chmodSync(outfile, 0o755);
  return outfile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outfile = await buildTooling();
  console.log(`wrote ${outfile.slice(root.length)}`);
}
