import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseRunbooks, type Runbook } from '../../src/runbook/index';

/** A runbook as the doc tests see it: the parsed model plus which docs version it belongs to. */
export interface DocRunbook {
  runbook: Runbook;
  /** `current` for docs/, else the version name of versioned_docs/version-<name>/. */
  version: string;
}

function markdownFiles(dir: string): string[] {
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

/**
 * Every runbook of the site, current docs first, then each cut version, read through the same
 * parser the site uses (`parseRunbooks`). A parse error throws with file:line, as the build does.
 */
export function discoverRunbooks(siteDir: string): DocRunbook[] {
  const roots: { dir: string; version: string }[] = [{ dir: join(siteDir, 'docs'), version: 'current' }];
  const versionsRoot = join(siteDir, 'versioned_docs');
  let versionDirs: string[] = [];
  try {
    versionDirs = readdirSync(versionsRoot).filter((name) => name.startsWith('version-')).sort();
  } catch {
    // no cut versions
  }
  for (const name of versionDirs) roots.push({ dir: join(versionsRoot, name), version: name.slice('version-'.length) });

  return roots.flatMap(({ dir, version }) =>
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
