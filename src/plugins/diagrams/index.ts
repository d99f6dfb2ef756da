/**
 * Rehype plugin: every ```mermaid code block becomes the diagram itself, as inline SVG, when the site is
 * built. Readers' browsers load no mermaid and no diagram code at all.
 *
 * Each diagram is drawn twice, with the mermaid theme of each colour mode (see diagram.ts), and both
 * SVGs go into the page; src/css/custom.css shows the one matching Docusaurus' `data-theme`. Their
 * `accTitle`/`accDescr` (required: the build fails without them) become the SVG's <title> and <desc>.
 *
 * The SVGs come from the committed cache under `diagrams/`; only a diagram missing there is rendered,
 * with Chromium (render.ts), and written to the cache for you to commit. `pnpm diagrams --check` and
 * the unit tests fail while a diagram has no cached SVG or a cached SVG belongs to no diagram.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';
import { displayPath } from '../remark-runbooks';
import { readCached, writeCached } from './cache';
import { accessibilityProblem, diagramKey, mermaidVersion } from './diagram';
import { renderDiagrams, type RenderedDiagram } from './render';

export interface RehypeDiagramsOptions {
  /** The site directory: the cache lives in its `diagrams/` folder, and messages name files relative to it. */
  siteDir: string;
  /** Renders diagrams missing from the cache (tests pass their own). */
  render?: typeof renderDiagrams;
}

interface FoundDiagram {
  parent: Root | Element;
  pre: Element;
  source: string;
  line: number;
  key: string;
}

type Parent = Root | Element;

/** The text of a hast subtree. */
function textOf(node: ElementContent | RootContent): string {
  if (node.type === 'text') return node.value;
  return 'children' in node ? node.children.map((child) => textOf(child as ElementContent)).join('') : '';
}

/** The `code` element of a fenced code block (`<pre><code class="language-mermaid">`), or undefined. */
function mermaidCode(node: RootContent | ElementContent): Element | undefined {
  if (node.type !== 'element' || node.tagName !== 'pre') return undefined;
  const code = node.children.find((child): child is Element => child.type === 'element' && child.tagName === 'code');
  const classes = code?.properties.className;
  return Array.isArray(classes) && classes.includes('language-mermaid') ? code : undefined;
}

function findDiagrams(parent: Parent, version: string, found: FoundDiagram[] = []): FoundDiagram[] {
  for (const child of parent.children) {
    const code = mermaidCode(child as RootContent);
    if (code) {
      const source = textOf(code);
      const pre = child as Element;
      found.push({ parent, pre, source, line: pre.position?.start.line ?? 0, key: diagramKey(source, version) });
    } else if ('children' in child && Array.isArray(child.children)) {
      findDiagrams(child as Parent, version, found);
    }
  }
  return found;
}

/**
 * `<div className="diagram" dangerouslySetInnerHTML={{__html: "<svg…light/><svg…dark/>"}} />` as an MDX JSX
 * node: the SVGs travel as one string, which is smaller in the page's JavaScript than one JSX call per SVG
 * element, and React leaves the markup it did not build alone.
 */
function diagramElement(svgs: RenderedDiagram, key: string, position: Element['position']): RootContent {
  const html = `${svgs.light.trim()}${svgs.dark.trim()}`;
  const expression = {
    type: 'ObjectExpression',
    properties: [
      {
        type: 'Property',
        key: { type: 'Identifier', name: '__html' },
        value: { type: 'Literal', value: html, raw: JSON.stringify(html) },
        kind: 'init',
        method: false,
        shorthand: false,
        computed: false,
      },
    ],
  };
  return {
    type: 'mdxJsxFlowElement',
    name: 'div',
    attributes: [
      { type: 'mdxJsxAttribute', name: 'className', value: 'diagram' },
      { type: 'mdxJsxAttribute', name: 'data-diagram', value: key },
      {
        type: 'mdxJsxAttribute',
        name: 'dangerouslySetInnerHTML',
        value: {
          type: 'mdxJsxAttributeValueExpression',
          value: `{__html: ${JSON.stringify(html)}}`,
          data: { estree: { type: 'Program', sourceType: 'module', comments: [], body: [{ type: 'ExpressionStatement', expression }] } },
        },
      },
    ],
    children: [],
    ...(position ? { position } : {}),
  } as unknown as RootContent;
}

export function rehypeDiagrams(options: RehypeDiagramsOptions) {
  const { siteDir } = options;
  const render = options.render ?? renderDiagrams;
  return async (tree: Root, file: { path?: string }): Promise<void> => {
    const diagrams = findDiagrams(tree, mermaidVersion());
    if (diagrams.length === 0) return;
    const where = (diagram: FoundDiagram): string => `${displayPath(file.path, siteDir)}:${diagram.line}`;
    const problems = diagrams.flatMap((diagram) => {
      const problem = accessibilityProblem(diagram.source);
      return problem ? [`${where(diagram)}: ${problem}`] : [];
    });
    if (problems.length > 0) throw new Error(problems.join('\n'));

    const svgs = new Map<string, RenderedDiagram>();
    const missing = diagrams.filter((diagram) => {
      const cached = readCached(siteDir, diagram.key);
      if (cached) svgs.set(diagram.key, cached);
      return !cached;
    });
    if (missing.length > 0) {
      let rendered: Map<string, RenderedDiagram>;
      try {
        rendered = await render(missing.map(({ key, source }) => ({ key, source })));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`${missing.map(where).join(', ')}: the mermaid diagram could not be rendered: ${message}`, { cause: error });
      }
      for (const [key, pair] of rendered) {
        writeCached(siteDir, key, pair);
        svgs.set(key, pair);
      }
    }

    for (const diagram of diagrams) {
      const index = diagram.parent.children.indexOf(diagram.pre as never);
      diagram.parent.children[index] = diagramElement(svgs.get(diagram.key)!, diagram.key, diagram.pre.position) as never;
    }
  };
}

// Docusaurus' config takes the default export; ES modules that import this CommonJS file use the named one.
