#!/usr/bin/env tsx
/**
 * `pnpm diagrams`: renders every mermaid diagram of the docs (every version) that has no SVG under
 * diagrams/ yet, with Chromium, and deletes the SVGs no diagram uses any more. Commit what it changes.
 * `pnpm diagrams --check`: changes nothing; exits 1 when a diagram has no SVG, an SVG belongs to no
 * diagram, or a diagram lacks its accTitle/accDescr.
 *
 * The site build renders a missing diagram by itself too (src/plugins/diagrams); this command exists so
 * the cache can be brought up to date, and checked, without building.
 *
 * Exit codes: 0 up to date (or brought up to date), 1 --check found a problem, 2 rendering failed.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Code } from 'mdast';
import { visit } from 'unist-util-visit';
import { parseMarkdown } from '../src/runbook/markdown/parse';
import { cacheDirectory, cachedFiles, readCached, writeCached } from '../src/plugins/diagrams/cache';
import { accessibilityProblem, cacheFileName, COLOUR_MODES, diagramKey, mermaidVersion } from '../src/plugins/diagrams/diagram';
import { renderDiagrams } from '../src/plugins/diagrams/render';
import { docsVersionFolders, markdownFiles } from '../tests/doc-tests/discover';

/** A mermaid diagram of the docs: where it is written, its source and its cache key. */
export interface DocDiagram {
  file: string;
  line: number;
  source: string;
  key: string;
}

/** Every ```mermaid block of every docs version, in file order. */
export function collectDiagrams(siteDir: string): DocDiagram[] {
  const version = mermaidVersion();
  return docsVersionFolders(siteDir).flatMap(({ dir }) =>
    markdownFiles(dir)
      .sort()
      .flatMap((path) => {
        const found: DocDiagram[] = [];
        visit(parseMarkdown(readFileSync(path, 'utf8')), 'code', (node: Code) => {
          if (node.lang !== 'mermaid') return;
          const file = relative(siteDir, path).split('\\').join('/');
          found.push({ file, line: node.position?.start.line ?? 0, source: node.value, key: diagramKey(node.value, version) });
        });
        return found;
      }),
  );
}

export interface CacheReport {
  /** Diagrams with no cached SVG (new or changed since the cache was written). */
  missing: DocDiagram[];
  /** Files under diagrams/ that no diagram uses (their diagram changed or was removed). */
  unused: string[];
  /** `file:line: problem` for diagrams without accTitle/accDescr. */
  inaccessible: string[];
}

/** Compares the diagrams of the docs with the cache, without changing anything. */
export function checkCache(siteDir: string, diagrams: readonly DocDiagram[] = collectDiagrams(siteDir)): CacheReport {
  const used = new Set(diagrams.flatMap((diagram) => COLOUR_MODES.map((mode) => cacheFileName(diagram.key, mode))));
  return {
    missing: diagrams.filter((diagram) => readCached(siteDir, diagram.key) === null),
    unused: cachedFiles(siteDir).filter((name) => name.endsWith('.svg') && !used.has(name)),
    inaccessible: diagrams.flatMap((diagram) => {
      const problem = accessibilityProblem(diagram.source);
      return problem ? [`${diagram.file}:${diagram.line}: ${problem}`] : [];
    }),
  };
}

async function main(): Promise<number> {
  const siteDir = fileURLToPath(new URL('..', import.meta.url));
  const check = process.argv.includes('--check');
  const diagrams = collectDiagrams(siteDir);
  const report = checkCache(siteDir, diagrams);
  for (const problem of report.inaccessible) console.error(problem);
  if (check) {
    for (const diagram of report.missing) console.error(`${diagram.file}:${diagram.line}: no rendered SVG (diagrams/${diagram.key}.*.svg): run pnpm diagrams`);
    for (const name of report.unused) console.error(`diagrams/${name}: no diagram uses it any more: run pnpm diagrams`);
    const problems = report.missing.length + report.unused.length + report.inaccessible.length;
    console.log(`diagrams: ${diagrams.length} in the docs, ${problems === 0 ? 'cache up to date' : `${problems} problems`}`);
    return problems === 0 ? 0 : 1;
  }
  if (report.inaccessible.length > 0) return 1;
  const unique = [...new Map(report.missing.map((diagram) => [diagram.key, diagram])).values()];
  try {
    const rendered = await renderDiagrams(unique);
    for (const [key, svgs] of rendered) writeCached(siteDir, key, svgs);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return 2;
  }
  for (const name of report.unused) rmSync(join(cacheDirectory(siteDir), name));
  console.log(`diagrams: ${diagrams.length} in the docs, ${unique.length} rendered, ${report.unused.length} unused SVGs removed`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then((code) => process.exit(code));
}
