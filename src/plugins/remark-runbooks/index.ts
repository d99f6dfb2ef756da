/**
 * Remark plugin: turns `::::runbook` directives into the runbook components.
 *
 * Registered in `docs.remarkPlugins`, so it runs after Docusaurus' admonitions and sees the directive
 * nodes that are left. It reads them with the same extraction as `parseRunbooks` (one model, one set of
 * checks; a mistake fails the build with `file:line: message`) and replaces them with:
 *
 *   <Runbook model="{...runbook as JSON...}">          prose, then
 *     <RunbookStep stepId="copy">                      the step's prose, and where the command was:
 *       <RunbookCommand stepId="copy" />
 *
 * Variables are rendered by <Runbook> from the model; hidden setup steps are dropped from the page.
 * The components are imported into each page that has a runbook (an `import` added to the MDX), so
 * only those pages load their JavaScript.
 *
 * Editing this file does not invalidate Docusaurus' cache: run `pnpm clear` before building.
 */
import { relative, sep } from 'node:path';
import type { Root, RootContent } from 'mdast';
import { RunbookError } from '../../runbook/errors';
import { extractRunbooks, type ExtractedRunbook } from '../../runbook/markdown/extract';

export interface RemarkRunbooksOptions {
  /** Paths in error messages and in the model are relative to this directory (the site directory). */
  siteDir?: string;
  /** Module the components are imported from. */
  componentsModule?: string;
}

export const COMPONENT_NAMES = ['Runbook', 'RunbookStep', 'RunbookCommand'] as const;
const DEFAULT_MODULE = '@site/src/components/Runbook';

interface MdxJsxAttribute {
  type: 'mdxJsxAttribute';
  name: string;
  value: string;
}

interface MdxJsxFlowElement {
  type: 'mdxJsxFlowElement';
  name: string;
  attributes: MdxJsxAttribute[];
  children: unknown[];
  position?: unknown;
}

interface UnknownParent {
  type: string;
  children?: UnknownParent[];
  data?: { directiveLabel?: boolean };
  position?: unknown;
}

/** A file's path for messages: relative to the site, with forward slashes. */
export function displayPath(path: string | undefined, siteDir: string): string {
  if (!path) return '<unknown file>';
  const relativePath = relative(siteDir, path);
  return (relativePath.startsWith('..') ? path : relativePath).split(sep).join('/');
}

export function remarkRunbooks(options: RemarkRunbooksOptions = {}) {
  const siteDir = options.siteDir ?? process.cwd();
  const componentsModule = options.componentsModule ?? DEFAULT_MODULE;
  return (tree: Root, file: { path?: string }): void => {
    const { runbooks, problems } = extractRunbooks(tree, displayPath(file.path, siteDir));
    if (problems.length > 0) throw new RunbookError(problems);
    if (runbooks.length === 0) return;
    for (const extracted of runbooks) replaceRunbook(tree as unknown as UnknownParent, extracted);
    tree.children.unshift(importNode(componentsModule) as unknown as RootContent);
  };
}

// Docusaurus' config takes the default export; ES modules that import this CommonJS file use the named one.

function element(name: string, attributes: Record<string, string>, children: unknown[], position?: unknown): MdxJsxFlowElement {
  return {
    type: 'mdxJsxFlowElement',
    name,
    attributes: Object.entries(attributes).map(([key, value]) => ({ type: 'mdxJsxAttribute', name: key, value })),
    children,
    ...(position ? { position } : {}),
  };
}

function replaceRunbook(tree: UnknownParent, extracted: ExtractedRunbook): void {
  const { runbook, node } = extracted;
  const stepsByNode = new Map(extracted.steps.map((step) => [step.node as unknown, step]));
  const variableNodes = new Set<unknown>(extracted.variableNodes);
  const children: unknown[] = [];
  for (const child of (node.children ?? []) as UnknownParent[]) {
    if (child.data?.directiveLabel || variableNodes.has(child)) continue;
    const step = stepsByNode.get(child);
    if (!step) {
      children.push(child);
      continue;
    }
    if (step.step.setup) continue;
    const stepChildren = ((step.node.children ?? []) as UnknownParent[])
      .filter((stepChild) => !stepChild.data?.directiveLabel)
      .map((stepChild) =>
        stepChild === (step.code as unknown) ? element('RunbookCommand', { stepId: step.step.id }, [], stepChild.position) : stepChild,
      );
    children.push(element('RunbookStep', { stepId: step.step.id }, stepChildren, child.position));
  }
  const replacement = element('Runbook', { model: JSON.stringify(runbook) }, children, node.position);
  replaceNode(tree, node as unknown as UnknownParent, replacement as unknown as UnknownParent);
}

function replaceNode(parent: UnknownParent, target: UnknownParent, replacement: UnknownParent): boolean {
  const children = parent.children ?? [];
  const index = children.indexOf(target);
  if (index >= 0) {
    children[index] = replacement;
    return true;
  }
  return children.some((child) => replaceNode(child, target, replacement));
}

/** `import {Runbook, RunbookStep, RunbookCommand} from '...'`, with the ESTree MDX compiles from. */
function importNode(source: string): unknown {
  const names = [...COMPONENT_NAMES];
  return {
    type: 'mdxjsEsm',
    value: `import {${names.join(', ')}} from ${JSON.stringify(source)};`,
    data: {
      estree: {
        type: 'Program',
        sourceType: 'module',
        comments: [],
        body: [
          {
            type: 'ImportDeclaration',
            specifiers: names.map((name) => ({
              type: 'ImportSpecifier',
              imported: { type: 'Identifier', name },
              local: { type: 'Identifier', name },
            })),
            source: { type: 'Literal', value: source, raw: JSON.stringify(source) },
            attributes: [],
          },
        ],
      },
    },
  };
}
