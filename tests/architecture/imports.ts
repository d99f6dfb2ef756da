// Reads the import graph of the project's own TypeScript: which modules a file imports, followed
// through relative imports. Text-based on purpose (no compiler): every import in this codebase is a
// static `import ... from '...'`, `export ... from '...'` or `import('...')` with a literal string.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '../..');

const SPECIFIER = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^import\s*['"]([^'"]+)['"]/gm;
const EXTENSIONS = ['', '.ts', '.tsx', '/index.ts', '/index.tsx'];

export interface ImportEdge {
  /** Repository-relative path of the importing file. */
  file: string;
  line: number;
  specifier: string;
  /** Repository-relative path of the imported file, for relative and `@site/` imports. */
  target?: string;
}

/** Every .ts/.tsx file under a repository-relative folder (fixtures excluded). */
export function sourceFiles(folder: string): string[] {
  const dir = join(repoRoot, folder);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(folder, name);
    if (name === 'fixtures' || name === 'node_modules') return [];
    if (statSync(join(repoRoot, path)).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveLocal(file: string, specifier: string): string | undefined {
  const base = specifier.startsWith('@site/') ? join(repoRoot, specifier.slice('@site/'.length)) : resolve(repoRoot, dirname(file), specifier);
  for (const extension of EXTENSIONS) {
    const candidate = base + extension;
    if (existsSync(candidate) && statSync(candidate).isFile()) return relative(repoRoot, candidate);
  }
  return undefined;
}

/** The imports written in one file, with local targets resolved. */
export function importsOf(file: string): ImportEdge[] {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  const edges: ImportEdge[] = [];
  for (const match of text.matchAll(SPECIFIER)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (!specifier) continue;
    const line = text.slice(0, match.index).split('\n').length + (match[0].startsWith('\n') ? 1 : 0);
    const local = specifier.startsWith('.') || specifier.startsWith('@site/');
    edges.push({ file, line, specifier, target: local ? resolveLocal(file, specifier) : undefined });
  }
  return edges;
}

/** Every import reachable from the given files through local imports, each edge once. */
export function reachableImports(starts: readonly string[]): ImportEdge[] {
  const seen = new Set<string>();
  const queue = [...starts];
  const edges: ImportEdge[] = [];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const edge of importsOf(file)) {
      edges.push(edge);
      if (edge.target && /\.tsx?$/.test(edge.target)) queue.push(edge.target);
    }
  }
  return edges;
}
