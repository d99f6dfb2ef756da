import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Element, Root } from 'hast';
import { rehypeDiagrams } from '../../src/plugins/diagrams';
import { cacheDirectory } from '../../src/plugins/diagrams/cache';
import { diagramKey, svgId } from '../../src/plugins/diagrams/diagram';
import type { DiagramToRender } from '../../src/plugins/diagrams/render';

const site = mkdtempSync(join(tmpdir(), 'diagrams-'));
after(() => rmSync(site, { recursive: true, force: true }));

const SOURCE = 'flowchart LR\n  accTitle: Two boxes\n  accDescr: A leads to B.\n  a --> b\n';

/** A page as remark-rehype leaves it: a paragraph, then the fenced block `<pre><code class="language-mermaid">`. */
function page(source: string): Root {
  const code: Element = { type: 'element', tagName: 'code', properties: { className: ['language-mermaid'] }, children: [{ type: 'text', value: source }] };
  return {
    type: 'root',
    children: [
      { type: 'element', tagName: 'p', properties: {}, children: [{ type: 'text', value: 'Before.' }] },
      { type: 'element', tagName: 'pre', properties: {}, children: [code], position: { start: { line: 7, column: 1 }, end: { line: 12, column: 4 } } },
    ],
  };
}

/** Stands in for Chromium: an SVG per mode that says which diagram and mode it is. */
function fakeRenderer(calls: DiagramToRender[][]) {
  return async (diagrams: readonly DiagramToRender[]) => {
    calls.push([...diagrams]);
    return new Map(diagrams.map(({ key }) => [key, { light: `<svg id="${svgId(key, 'light')}"></svg>`, dark: `<svg id="${svgId(key, 'dark')}"></svg>` }]));
  };
}

interface JsxNode {
  type: string;
  name: string;
  attributes: { name: string; value: string | { value: string } }[];
}

async function run(tree: Root, calls: DiagramToRender[][]): Promise<JsxNode> {
  await rehypeDiagrams({ siteDir: site, render: fakeRenderer(calls) })(tree, { path: join(site, 'docs/page.md') });
  return tree.children[1] as unknown as JsxNode;
}

test('a diagram missing from the cache is rendered once, cached, and put into the page with both colour modes', async () => {
  const calls: DiagramToRender[][] = [];
  const node = await run(page(SOURCE), calls);
  const key = diagramKey(SOURCE);
  assert.equal(calls.length, 1);
  assert.ok(existsSync(join(cacheDirectory(site), `${key}.light.svg`)));
  assert.ok(existsSync(join(cacheDirectory(site), `${key}.dark.svg`)));
  assert.equal(node.type, 'mdxJsxFlowElement');
  assert.equal(node.name, 'div');
  const html = node.attributes.find((attribute) => attribute.name === 'dangerouslySetInnerHTML')?.value;
  assert.equal(typeof html === 'object' && html.value, `{__html: ${JSON.stringify(`<svg id="${svgId(key, 'light')}"></svg><svg id="${svgId(key, 'dark')}"></svg>`)}}`);
  assert.deepEqual(node.attributes.find((attribute) => attribute.name === 'className')?.value, 'diagram');
});

test('a cached diagram needs no renderer (no browser)', async () => {
  const calls: DiagramToRender[][] = [];
  const node = await run(page(SOURCE), calls);
  assert.equal(calls.length, 0);
  assert.equal(node.type, 'mdxJsxFlowElement');
});

test('a diagram without accTitle/accDescr fails the build with its file and line', async () => {
  await assert.rejects(run(page('flowchart LR\n  a --> b\n'), []), /^Error: docs\/page\.md:7: the mermaid diagram has no accTitle and no accDescr/);
});

test('a rendering error names the diagram', async () => {
  const failing = async () => {
    throw new Error('Parse error on line 4');
  };
  const tree = page(SOURCE.replace('a --> b', 'a --> b --> c'));
  await assert.rejects(
    rehypeDiagrams({ siteDir: site, render: failing })(tree, { path: join(site, 'docs/page.md') }),
    /docs\/page\.md:7: the mermaid diagram could not be rendered: Parse error on line 4/,
  );
});
