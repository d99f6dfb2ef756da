// The tool's layers, bottom to top: core → fs → keys, token → store, checks → engine → modes → cli.
// A lower layer never imports a higher one, and no mode imports another mode.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importsOf, sourceFiles } from './imports';

const LAYERS = ['core', 'fs', 'keys', 'token', 'store', 'checks', 'engine', 'modes', 'cli'] as const;
type Layer = (typeof LAYERS)[number];
/** The layers each layer may import besides itself. `options.ts` (plain data) is importable by all. */
const ALLOWED: Record<Layer, readonly Layer[]> = {
  core: [],
  fs: ['core'],
  keys: ['core', 'fs'],
  token: ['core', 'fs'],
  store: ['core', 'fs', 'keys'],
  checks: ['core', 'fs', 'keys', 'token', 'store'],
  engine: ['core', 'fs', 'keys', 'token', 'store', 'checks', 'cli'],
  modes: ['core', 'fs', 'keys', 'token', 'store', 'checks', 'engine', 'cli'],
  cli: ['core', 'fs', 'keys', 'token', 'store', 'checks', 'engine', 'modes'],
};

function layerOf(file: string): Layer | undefined {
  const folder = file.split('/')[1];
  return LAYERS.find((layer) => layer === folder);
}

test("the tool's layers import only downwards, and modes never import each other", () => {
  const files = sourceFiles('tooling');
  assert.ok(files.length > 25, `only ${files.length} tool files found`);
  const problems: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    if (!from) continue;
    for (const edge of importsOf(file)) {
      const to = edge.target ? layerOf(edge.target) : undefined;
      if (!to || to === from) {
        if (from === 'modes' && to === 'modes' && edge.target !== file) {
          problems.push(`${file}:${edge.line}: mode imports another mode (${edge.target}); move the shared part to tooling/engine/`);
        }
        continue;
      }
      if (!ALLOWED[from].includes(to)) {
        problems.push(`${file}:${edge.line}: ${from}/ imports ${edge.target} (${to}/); a ${from} module may import only ${ALLOWED[from].join(', ') || 'nothing'}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});
