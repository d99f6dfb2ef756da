// Builds the dependency-free bundle once per test file, into a temporary directory, and runs it.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTooling } from '../../../scripts/build-tooling';

/** The runtimes the guides say the bundle runs on: this node, and bun (a dev dependency). */
export const RUNTIMES = {
  node: process.execPath,
  bun: fileURLToPath(new URL('../../../node_modules/.bin/bun', import.meta.url)),
} as const;
export type Runtime = keyof typeof RUNTIMES;

let built: Promise<string> | undefined;

export function bundlePath(): Promise<string> {
  if (!built) {
    const dir = mkdtempSync(join(tmpdir(), 'stdb-bundle-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    built = buildTooling({ outfile: join(dir, 'spacetimedb-tooling.mjs') });
  }
  return built;
}

export function runBundle(
  bundle: string,
  cwd: string,
  args: string[],
  env: Record<string, string | undefined> = {},
  runtime: Runtime = 'node',
): SpawnSyncReturns<string> {
  return spawnSync(RUNTIMES[runtime], [bundle, ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
}
