import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Element, Root } from 'hast';
import { codeText, type HighlightedCode } from '../../src/code-highlight/format';
import { rehypeCodeHighlight } from '../../src/plugins/code-highlight/rehype';

/** A fenced block as remark-rehype and Docusaurus leave it: `<pre><code class="language-x" metastring="…">`. */
function fenced(language: string | undefined, code: string, metastring?: string): { tree: Root; code: Element } {
  const element: Element = {
    type: 'element',
    tagName: 'code',
    properties: { ...(language ? { className: [`language-${language}`] } : {}), ...(metastring ? { metastring } : {}), live: false },
    children: [{ type: 'text', value: code }],
  };
  const tree: Root = {
    type: 'root',
    children: [{ type: 'element', tagName: 'div', properties: {}, children: [{ type: 'element', tagName: 'pre', properties: {}, children: [element] }] }],
  };
  return { tree, code: element };
}

function highlight(language: string | undefined, code: string, metastring?: string): { props: Element['properties']; result: HighlightedCode } {
  const block = fenced(language, code, metastring);
  rehypeCodeHighlight()(block.tree);
  return { props: block.code.properties, result: JSON.parse(String(block.code.properties.highlighted)) as HighlightedCode };
}

test('a shell block is tokenized with Prism; its text, as copied, is the code unchanged', () => {
  const code = 'export HOST="db 1"\n\nssh $HOST | grep -c ok\n';
  const { result, props } = highlight('bash', code);
  assert.equal(codeText(result.lines), code.trimEnd());
  assert.deepEqual(result.lines[0]?.slice(0, 2), [['builtin class-name', 'export'], ' ']);
  assert.ok(result.lines[2]?.some((token) => Array.isArray(token) && token[0] === 'function' && token[1] === 'grep'));
  assert.deepEqual(result.lines[1], []);
  assert.deepEqual(Object.keys(props).sort(), ['className', 'highlighted']);
});

test('the title, line numbers and highlighted lines travel with the tokens, magic comments removed', () => {
  const { result } = highlight('yaml', 'a: 1\n# highlight-next-line\nb: 2\n', 'title="config.yaml" showLineNumbers');
  assert.equal(result.title, 'config.yaml');
  assert.equal(result.lineNumbersStart, 1);
  assert.deepEqual(result.lineClassNames, { 1: ['theme-code-block-highlighted-line'] });
  assert.equal(codeText(result.lines), 'a: 1\nb: 2');
});

test('a block without a language, or in one Prism does not know, is plain text with a language class', () => {
  const plain = highlight(undefined, 'just <text>\n');
  assert.deepEqual(plain.result.lines, [['just <text>']]);
  assert.deepEqual(plain.props.className, ['language-text']);
  assert.deepEqual(highlight('nosuchlanguage', 'x = 1').result.lines, [['x = 1']]);
});

test('inline code and other elements are left alone', () => {
  const tree: Root = {
    type: 'root',
    children: [{ type: 'element', tagName: 'p', properties: {}, children: [{ type: 'element', tagName: 'code', properties: {}, children: [{ type: 'text', value: 'x' }] }] }],
  };
  const before = JSON.stringify(tree);
  rehypeCodeHighlight()(tree);
  assert.equal(JSON.stringify(tree), before);
});
