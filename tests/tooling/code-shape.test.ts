// The tool's code stays in the shape its layout promises: functions of at most 100 lines, and the
// layering rule (the bottom folders never import the command line or the modes; modes never import
// each other). Read with the TypeScript compiler's parser, not with regular expressions.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import ts from 'typescript';

const TOOLING = fileURLToPath(new URL('../../tooling/', import.meta.url));
const MAX_FUNCTION_LINES = 100;
const BOTTOM = ['core', 'fs', 'keys', 'token', 'store', 'checks'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

function parse(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
}

test('every function in tooling/ is at most 100 lines', () => {
  const long: string[] = [];
  for (const path of sources(TOOLING)) {
    const file = parse(path);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const first = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
        const last = file.getLineAndCharacterOfPosition(node.getEnd()).line;
        if (last - first + 1 > MAX_FUNCTION_LINES) long.push(`${relative(TOOLING, path)}:${first + 1} (${last - first + 1} lines)`);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  assert.deepEqual(long, []);
});

test('layering: core, fs, keys, token, store and checks never import cli/ or modes/; modes never import each other', () => {
  const broken: string[] = [];
  for (const path of sources(TOOLING)) {
    const folder = relative(TOOLING, dirname(path)).split('/')[0] ?? '';
    for (const statement of parse(path).statements) {
      if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
      const specifier = statement.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
      const target = relative(TOOLING, resolve(dirname(path), specifier.text)).split('/')[0] ?? '';
      const shown = `${relative(TOOLING, path)} imports ${specifier.text}`;
      if (BOTTOM.includes(folder) && (target === 'cli' || target === 'modes')) broken.push(shown);
      if (folder === 'modes' && target === 'modes') broken.push(shown);
    }
  }
  assert.deepEqual(broken, []);
});
