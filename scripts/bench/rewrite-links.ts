// `pnpm bench:rewrite-links`: how fast rewrite-links is on a release-sized tree.
//
// Generates a synthetic versioned docs tree (default 10 versions x 1,000 pages, see
// make-synthetic-docs.ts) in a temporary folder, then runs the real command line three times on it:
// the dry run, --write, and --write again (nothing left to change). Each run is a fresh process
// (tsx start-up included); the report gives wall time, files per second and peak memory (the
// process's own maximum resident set size). Goal: 10,000 pages in under 5 seconds.
//
//   pnpm bench:rewrite-links [--versions 10] [--pages 1000] [--keep]

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeSyntheticDocs } from './make-synthetic-docs';

const { values } = parseArgs({
  options: {
    versions: { type: 'string', default: '10' },
    pages: { type: 'string', default: '1000' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log(`Usage: pnpm bench:rewrite-links [--versions N] [--pages N] [--keep]

Times \`rewrite-links\` (dry run, --write, --write again) on a synthetic tree of N versions x N pages
(default 10 x 1000) in a temporary folder; --keep leaves the folder for a look afterwards.`);
  process.exit(0);
}

const cli = fileURLToPath(new URL('../rewrite-links/cli.ts', import.meta.url));
/** Printed by the measured process itself as it exits: its peak resident memory in kilobytes. */
const reportPeak = `data:text/javascript,process.on('exit',()=>process.stderr.write('peak-rss-kb='+process.resourceUsage().maxRSS+'\\n'))`;

interface Run {
  label: string;
  seconds: number;
  peakMb: number;
  summary: string;
}

function measure(label: string, root: string, extra: string[]): Run {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--import', reportPeak, '--import', 'tsx', cli, '--root', root, '--no-config', ...extra], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status}):\n${result.stderr}`);
  const peakKb = Number(/peak-rss-kb=(\d+)/.exec(result.stderr)?.[1] ?? 0);
  const summary = result.stdout.trimEnd().split('\n').at(-1) ?? '';
  return { label, seconds, peakMb: peakKb / 1024, summary };
}

const dir = mkdtempSync(join(tmpdir(), 'bench-rewrite-links-'));
try {
  const versions = Number(values.versions);
  const pages = Number(values.pages);
  const root = join(dir, 'site');
  const { files } = makeSyntheticDocs(root, { versions, pages });
  console.log(`Synthetic tree: ${versions} versions x ${pages} pages = ${files} pages, in ${root}`);
  const runs = [measure('dry run', root, []), measure('--write', root, ['--write']), measure('--write again', root, ['--write'])];
  for (const run of runs) {
    const rate = Math.round(files / run.seconds);
    console.log(
      `${run.label.padEnd(14)} ${run.seconds.toFixed(2).padStart(6)} s  ${String(rate).padStart(6)} files/s  peak ${run.peakMb.toFixed(0)} MB`,
    );
    console.log(`               ${run.summary}`);
  }
  const slowest = Math.max(...runs.map((run) => run.seconds));
  const goal = (files / 10000) * 5;
  console.log(`Goal: ${files} pages in under ${goal.toFixed(1)} s: ${slowest < goal ? 'met' : 'NOT met'} (slowest run ${slowest.toFixed(2)} s)`);
} finally {
  if (values.keep) console.log(`Kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
