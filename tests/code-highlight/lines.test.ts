import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCodeBlock, parseRange } from '../../src/plugins/code-highlight/lines';

const HIGHLIGHTED = 'theme-code-block-highlighted-line';

describe('parseCodeBlock: the meta string', () => {
  test('reads the title, the highlighted line range and line numbers, and drops the final line break', () => {
    const parsed = parseCodeBlock('a\nb\nc\nd\n', 'bash', 'title="deploy.sh" {1,3-4} showLineNumbers');
    assert.equal(parsed.code, 'a\nb\nc\nd');
    assert.equal(parsed.title, 'deploy.sh');
    assert.equal(parsed.lineNumbersStart, 1);
    assert.deepEqual(parsed.lineClassNames, { 0: [HIGHLIGHTED], 2: [HIGHLIGHTED], 3: [HIGHLIGHTED] });
  });

  test('showLineNumbers=N starts counting at N; no meta string means none of it', () => {
    assert.equal(parseCodeBlock('a', 'text', 'showLineNumbers=7').lineNumbersStart, 7);
    assert.deepEqual(parseCodeBlock('a', 'text', undefined), { code: 'a', title: undefined, lineNumbersStart: undefined, lineClassNames: {} });
  });

  test('a range in the meta string wins: magic comments are then left in the code', () => {
    const parsed = parseCodeBlock('# highlight-next-line\necho a', 'bash', '{2}');
    assert.equal(parsed.code, '# highlight-next-line\necho a');
    assert.deepEqual(parsed.lineClassNames, { 1: [HIGHLIGHTED] });
  });
});

describe('parseCodeBlock: magic comments', () => {
  test('highlight-next-line highlights the next line and disappears from the code', () => {
    const parsed = parseCodeBlock('echo a\n# highlight-next-line\necho b\necho c', 'bash', undefined);
    assert.equal(parsed.code, 'echo a\necho b\necho c');
    assert.deepEqual(parsed.lineClassNames, { 1: [HIGHLIGHTED] });
  });

  test('highlight-start … highlight-end highlights the lines between, in the comment syntax of the language', () => {
    const parsed = parseCodeBlock('const a = 1;\n// highlight-start\nconst b = 2;\nconst c = 3;\n// highlight-end\nconst d = 4;', 'js', undefined);
    assert.equal(parsed.code, 'const a = 1;\nconst b = 2;\nconst c = 3;\nconst d = 4;');
    assert.deepEqual(parsed.lineClassNames, { 1: [HIGHLIGHTED], 2: [HIGHLIGHTED] });
  });

  test('a comment syntax the language does not use is code, not a directive', () => {
    const parsed = parseCodeBlock('// highlight-next-line\necho a', 'bash', undefined);
    assert.equal(parsed.code, '// highlight-next-line\necho a');
    assert.deepEqual(parsed.lineClassNames, {});
  });
});

test('parseRange', () => {
  assert.deepEqual(parseRange('1,3-5, 8'), [1, 3, 4, 5, 8]);
});
