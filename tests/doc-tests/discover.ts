import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseRunbooks } from '../../src/runbook/markdown/parse';
import type { Runbook } from '../../src/runbook/model';

/** A runbook as the doc tests see it: the parsed model plus which docs version it belongs to. */
export interface DocRunbook {
  runbook: Runbook;
  /** `current` for docs/, else the version name of versioned_docs/version-<name>/. */
  version: string;
}

/** Every .md and .mdx file under `dir`, at any depth (none when it does not exist). */
export function markdownFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return /\.mdx?$/.test(entry.name) ? [path] : [];
  });
}

/** The docs folder of each version: docs/ for `current`, then versioned_docs/version-<name>/ by name. */
export function docsVersionFolders(siteDir: string): { dir: string; version: string }[] {
  const folders = [{ dir: join(siteDir, 'docs'), version: 'current' }];
  const versionsRoot = join(siteDir, 'versioned_docs');
  let names: string[] = [];
  try {
    names = readdirSync(versionsRoot).filter((name) => name.startsWith('version-')).sort();
  } catch {
    // no cut versions
  }
  return folders.concat(names.map((name) => ({ dir: join(versionsRoot, name), version: name.slice('version-'.length) })));
}

/**
 * Every runbook of the site, current docs first, then each cut version, read through the same
 * parser the site uses (`parseRunbooks`). A parse error throws with file:line, as the build does.
 */
export function discoverRunbooks(siteDir: string): DocRunbook[] {
  return docsVersionFolders(siteDir).flatMap(({ dir, version }) =>
    markdownFiles(dir)
      .sort()
      .flatMap((file) =>
        parseRunbooks(readFileSync(file, 'utf8'), relative(siteDir, file)).map((runbook) => ({ runbook, version })),
      ),
  );
}

/** What a runbook does, ignoring where it is written: two equal runbooks need only one run. */
export function runbookFingerprint(runbook: Runbook): string {
  return JSON.stringify({
    id: runbook.id,
    variables: runbook.variables.map(({ line: _line, ...variable }) => variable),
    steps: runbook.steps.map(({ line: _line, ...step }) => step),
  });
}
