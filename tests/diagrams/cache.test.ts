import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { checkCache, collectDiagrams } from '../../scripts/diagrams';
import { cacheDirectory } from '../../src/plugins/diagrams/cache';
import { accessibilityProblem, cacheFileName, COLOUR_MODES, diagramKey, svgId } from '../../src/plugins/diagrams/diagram';

const siteDir = fileURLToPath(new URL('../..', import.meta.url));

describe('the committed diagram SVGs (diagrams/)', () => {
  const diagrams = collectDiagrams(siteDir);
  const report = checkCache(siteDir, diagrams);

  test('the docs have diagrams (the check below is not vacuous)', () => {
    assert.ok(diagrams.length > 0);
  });

  test('every diagram of every docs version has its SVGs (else: pnpm diagrams, and commit diagrams/)', () => {
    assert.deepEqual(
      report.missing.map((diagram) => `${diagram.file}:${diagram.line}`),
      [],
    );
  });

  test('no SVG is left over from a diagram that changed or was removed (pnpm diagrams deletes them)', () => {
    assert.deepEqual(report.unused, []);
  });

  test('every diagram has an accTitle and an accDescr', () => {
    assert.deepEqual(report.inaccessible, []);
  });

  test('each SVG is the diagram in its colour mode, named and described for screen readers', () => {
    for (const diagram of diagrams) {
      for (const mode of COLOUR_MODES) {
        const svg = readFileSync(join(cacheDirectory(siteDir), cacheFileName(diagram.key, mode)), 'utf8');
        assert.match(svg, new RegExp(`^<svg id="${svgId(diagram.key, mode)}"`), `${diagram.file}:${diagram.line} (${mode})`);
        assert.match(svg, /aria-labelledby="[^"]+"[^>]*>\s*<title id="[^"]+">[^<]+<\/title>\s*<desc id="[^"]+">[^<]+<\/desc>/);
        assert.doesNotMatch(svg, /<script/i);
      }
    }
  });
});

describe('diagramKey', () => {
  const source = 'flowchart LR\n  accTitle: T\n  accDescr: D\n  a --> b';

  test('ignores line endings and trailing blank space, as the page and the check read them differently', () => {
    assert.equal(diagramKey(`${source.replace(/\n/g, '\r\n')}\n\n`, '12.3.0'), diagramKey(source, '12.3.0'));
  });

  test('changes when the diagram or the mermaid version changes', () => {
    assert.notEqual(diagramKey(`${source}\n  b --> c`, '12.3.0'), diagramKey(source, '12.3.0'));
    assert.notEqual(diagramKey(source, '12.4.0'), diagramKey(source, '12.3.0'));
  });
});

describe('accessibilityProblem', () => {
  test('accepts a diagram with accTitle and accDescr (one line or a block)', () => {
    assert.equal(accessibilityProblem('flowchart LR\n  accTitle: Flow\n  accDescr: What it shows\n  a --> b'), null);
    assert.equal(accessibilityProblem('flowchart LR\n  accTitle: Flow\n  accDescr {\n    Long\n  }\n  a --> b'), null);
  });

  test('names what is missing and how to add it', () => {
    const problem = accessibilityProblem('flowchart LR\n  accTitle: Flow\n  a --> b');
    assert.match(problem ?? '', /no accDescr: add `accTitle: <a short name>` and `accDescr: /);
    assert.match(accessibilityProblem('flowchart LR\n  a --> b') ?? '', /no accTitle and no accDescr/);
  });
});
