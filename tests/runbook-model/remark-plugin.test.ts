import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Root } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { remarkRunbooks } from '../../src/plugins/remark-runbooks';
import { blankFrontMatter } from '../../src/runbook/markdown/parse';
import { fixtures } from './fixtures';

/**
 * The remark plugin on every fixture, parsed the way Docusaurus parses (remark-parse + remark-directive
 * 3): it must produce the same runbooks as parseRunbooks, or fail with the same message.
 */
interface Node {
  type: string;
  name?: string;
  value?: string;
  attributes?: { name: string; value: string }[];
  children?: Node[];
}

function transform(input: string, dir: string, siteDir = dir): Root {
  const processor = unified().use(remarkParse).use(remarkDirective).use(remarkRunbooks, { siteDir });
  const tree = processor.parse(blankFrontMatter(input));
  return processor.runSync(tree, { path: join(dir, 'input.md'), value: input }) as Root;
}

function all(node: Node, found: Node[] = []): Node[] {
  found.push(node);
  for (const child of node.children ?? []) all(child, found);
  return found;
}

const attribute = (node: Node, name: string): string | undefined =>
  node.attributes?.find((candidate) => candidate.name === name)?.value;

for (const fixture of fixtures()) {
  test(`remark plugin: ${fixture.name}`, () => {
    if (fixture.expected?.kind === 'error') {
      assert.throws(() => transform(fixture.input, fixture.dir), { name: 'RunbookError', message: fixture.expected.message });
      return;
    }
    const tree = transform(fixture.input, fixture.dir) as unknown as Node;
    const nodes = all(tree);
    const runbooks = nodes.filter((node) => node.type === 'mdxJsxFlowElement' && node.name === 'Runbook');
    const models = runbooks.map((node) => JSON.parse(attribute(node, 'model') ?? 'null'));
    assert.deepEqual(models, JSON.parse(fixture.expected?.json ?? '[]'));

    // No runbook directive survives; every visible step has its element and its command.
    const leftovers = nodes.filter((node) => node.type.endsWith('Directive') && ['runbook', 'step', 'var'].includes(node.name ?? ''));
    assert.deepEqual(leftovers, []);
    const steps = models.flatMap((model: { steps: { id: string; setup: boolean }[] }) => model.steps.filter((step) => !step.setup));
    const stepElements = nodes.filter((node) => node.name === 'RunbookStep');
    assert.deepEqual(stepElements.map((node) => attribute(node, 'stepId')), steps.map((step) => step.id));
    for (const element of stepElements) {
      const commands = all(element).filter((node) => node.name === 'RunbookCommand');
      assert.equal(commands.length, 1);
      assert.equal(attribute(commands[0]!, 'stepId'), attribute(element, 'stepId'));
    }

    // Pages with runbooks import the components; pages without are left untouched.
    const imports = (tree.children ?? []).filter((node) => node.type === 'mdxjsEsm');
    assert.equal(imports.length, runbooks.length > 0 ? 1 : 0);
    if (imports[0]) assert.match(imports[0].value ?? '', /^import \{Runbook, RunbookStep, RunbookCommand\} from "@site\/src\/components\/Runbook";$/);
  });
}

test('remark plugin: prose stays in place, labels and variables leave the tree, output blocks stay prose', () => {
  const fixture = fixtures().find((candidate) => candidate.name === 'basic')!;
  const tree = transform(fixture.input, fixture.dir) as unknown as Node;
  const runbook = all(tree).find((node) => node.name === 'Runbook')!;
  assert.deepEqual(
    runbook.children!.map((node) => node.name ?? node.type),
    ['paragraph', 'RunbookStep'],
  );
  const step = runbook.children![1]!;
  assert.deepEqual(
    step.children!.map((node) => node.name ?? node.type),
    ['paragraph', 'RunbookCommand', 'code'],
  );
  // The plain code block before the runbook keeps its text, placeholder and all.
  assert.ok(all(tree).some((node) => node.type === 'code' && node.value === 'echo {{NOT_A_VARIABLE}}'));
});

test('remark plugin: admonitions inside a step stay inside it', () => {
  const fixture = fixtures().find((candidate) => candidate.name === 'admonition-inside-step')!;
  const tree = transform(fixture.input, fixture.dir) as unknown as Node;
  const step = all(tree).find((node) => node.name === 'RunbookStep')!;
  assert.deepEqual(
    step.children!.map((node) => node.name ?? node.type),
    ['warning', 'RunbookCommand'],
  );
});

test('remark plugin: error messages name the file relative to the site directory', () => {
  const fixture = fixtures().find((candidate) => candidate.name === 'error-unused-variable')!;
  assert.throws(() => transform(fixture.input, fixture.dir, join(fixture.dir, '..')), { message: /^Runbook syntax: a mistake\nerror-unused-variable\/input\.md:3: / });
});
