// Browser code never pulls in Node or the markdown parser: the page bundle would break (Node APIs do
// not exist there) or grow by the whole of unified/remark. Checked through every local import, so a
// browser module that imports a helper that imports `node:fs` fails too.
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { test } from 'node:test';
import { reachableImports, sourceFiles, type ImportEdge } from './imports';

const BROWSER_FOLDERS = ['src/components', 'src/theme', 'src/pages', 'src/client-modules'];
/** The browser half of the runbook model: everything in src/runbook except the markdown folder. */
const browserModel = sourceFiles('src/runbook').filter((file) => !file.startsWith('src/runbook/markdown/'));

const NODE_BUILTINS = new Set(builtinModules);

/** Why an import may not appear in browser code, or undefined when it may. */
export function forbiddenInBrowser(edge: ImportEdge): string | undefined {
  const { specifier, target } = edge;
  if (specifier.startsWith('node:') || NODE_BUILTINS.has(specifier.split('/')[0]!)) return 'a Node built-in';
  if (specifier === 'unified' || /^(remark|rehype|mdast|micromark|unist)(-|$)/.test(specifier)) return 'the markdown toolchain';
  if (target?.startsWith('src/runbook/markdown/')) return 'the build-time markdown side of the runbook model';
  if (target?.startsWith('tooling/') || target?.startsWith('scripts/') || target?.startsWith('src/plugins/')) return 'Node-side code';
  return undefined;
}

test('browser code (components, theme, pages, the runbook model) imports no Node module and no markdown parser', () => {
  const starts = [...BROWSER_FOLDERS.flatMap(sourceFiles), ...browserModel];
  assert.ok(starts.length > 10, `only ${starts.length} browser files found`);
  const problems = reachableImports(starts)
    .map((edge) => ({ edge, why: forbiddenInBrowser(edge) }))
    .filter((found) => found.why)
    .map(({ edge, why }) => `${edge.file}:${edge.line}: imports '${edge.specifier}', ${why}; move the code that needs it to build time (src/plugins, src/runbook/markdown)`);
  assert.deepEqual(problems, []);
});

test('the boundary check catches a Node import, the markdown parser and the markdown folder', () => {
  const edge = (specifier: string, target?: string): ImportEdge => ({ file: 'src/components/X.tsx', line: 1, specifier, target });
  assert.equal(forbiddenInBrowser(edge('node:fs')), 'a Node built-in');
  assert.equal(forbiddenInBrowser(edge('path')), 'a Node built-in');
  assert.equal(forbiddenInBrowser(edge('remark-directive')), 'the markdown toolchain');
  assert.equal(forbiddenInBrowser(edge('unified')), 'the markdown toolchain');
  assert.equal(forbiddenInBrowser(edge('../../runbook/markdown/parse', 'src/runbook/markdown/parse.ts')), 'the build-time markdown side of the runbook model');
  assert.equal(forbiddenInBrowser(edge('react')), undefined);
  assert.equal(forbiddenInBrowser(edge('../../runbook/values', 'src/runbook/values.ts')), undefined);
});
