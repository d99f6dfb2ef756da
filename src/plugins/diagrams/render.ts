/**
 * Renders mermaid diagrams to SVG in headless Chromium, once per colour mode.
 *
 * Why Chromium, and why this module rather than a package around it: mermaid lays a diagram out by
 * measuring text in a real browser, so every faithful renderer drives one. `@mermaid-js/mermaid-cli`
 * drives Puppeteer, whose install downloads its own Chrome (not possible on every machine, and a
 * second browser next to the one the browser tests use). `rehype-mermaid`/`mermaid-isomorphic` use
 * Playwright like we do, but pin mermaid 11 (the site used 12) and add KaTeX and Font Awesome. The
 * few lines below load the mermaid this site pins into the Chromium Playwright already drives for the
 * browser tests, and run only when a diagram is not in the cache (see diagram.ts), so neither a
 * production build nor `pnpm start` needs a browser while the committed SVGs are current.
 *
 * Chromium: Debian's /usr/bin/chromium when present, else Playwright's own (`pnpm exec playwright
 * install chromium`), or the path in CHROME_PATH.
 */
import { existsSync } from 'node:fs';
import { DIAGRAM_THEMES, COLOUR_MODES, normaliseSource, svgId, type ColourMode } from './diagram';

export type RenderedDiagram = Record<ColourMode, string>;

export interface DiagramToRender {
  key: string;
  source: string;
}

/** The browser a render uses: CHROME_PATH, else Debian's Chromium, else Playwright's default. */
function executablePath(): string | undefined {
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

const NO_BROWSER =
  'Rendering a mermaid diagram needs Chromium, and none could be started. Install Debian\'s `chromium` ' +
  'package or run `pnpm exec playwright install chromium`, then build again or run `pnpm diagrams` ' +
  '(the SVGs it writes under diagrams/ are committed, so other machines build without a browser).';

/** Renders each diagram in every colour mode in one browser. Throws with the diagram's message on a syntax error. */
export async function renderDiagrams(diagrams: readonly DiagramToRender[]): Promise<Map<string, RenderedDiagram>> {
  const rendered = new Map<string, RenderedDiagram>();
  if (diagrams.length === 0) return rendered;
  // Loaded here, not at the top: builds that find every diagram in the cache never load Playwright.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load; this file runs as CommonJS
  const { chromium } = require('@playwright/test') as typeof import('@playwright/test');
  const path = executablePath();
  let browser;
  try {
    browser = await chromium.launch(path ? { executablePath: path } : {});
  } catch (error) {
    throw new Error(`${NO_BROWSER}\n${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, { cause: error });
  }
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ path: require.resolve('mermaid/dist/mermaid.min.js') });
    for (const diagram of diagrams) {
      const svgs = {} as RenderedDiagram;
      for (const mode of COLOUR_MODES) {
        svgs[mode] = await page.evaluate(
          async ({ id, source, theme }) => {
            const mermaid = (globalThis as unknown as { mermaid: MermaidGlobal }).mermaid;
            mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme });
            return (await mermaid.render(id, source)).svg;
          },
          { id: svgId(diagram.key, mode), source: normaliseSource(diagram.source), theme: DIAGRAM_THEMES[mode] },
        );
      }
      rendered.set(diagram.key, svgs);
    }
  } finally {
    await browser.close();
  }
  return rendered;
}

/** The part of mermaid's browser API used above. */
interface MermaidGlobal {
  initialize(config: { startOnLoad: boolean; securityLevel: string; theme: string }): void;
  render(id: string, source: string): Promise<{ svg: string }>;
}
