/** The committed SVGs under `diagrams/`: two files per diagram, `<key>.light.svg` and `<key>.dark.svg`. */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIRECTORY, COLOUR_MODES, cacheFileName } from './diagram';
import type { RenderedDiagram } from './render';

export function cacheDirectory(siteDir: string): string {
  return join(siteDir, CACHE_DIRECTORY);
}

/** A diagram's SVGs from the cache, or null when either mode is missing. */
export function readCached(siteDir: string, key: string): RenderedDiagram | null {
  const files = COLOUR_MODES.map((mode) => join(cacheDirectory(siteDir), cacheFileName(key, mode)));
  if (!files.every((file) => existsSync(file))) return null;
  return Object.fromEntries(COLOUR_MODES.map((mode, index) => [mode, readFileSync(files[index]!, 'utf8')])) as RenderedDiagram;
}

export function writeCached(siteDir: string, key: string, svgs: RenderedDiagram): void {
  mkdirSync(cacheDirectory(siteDir), { recursive: true });
  for (const mode of COLOUR_MODES) writeFileSync(join(cacheDirectory(siteDir), cacheFileName(key, mode)), `${svgs[mode]}\n`);
}

/** Every file in the cache directory. */
export function cachedFiles(siteDir: string): string[] {
  try {
    return readdirSync(cacheDirectory(siteDir)).sort();
  } catch {
    return [];
  }
}
