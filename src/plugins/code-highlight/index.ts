/**
 * Docusaurus plugin: the browser side of build-time highlighting (rehype.ts does the highlighting).
 *
 * - Adds the token colours of `themeConfig.prism.theme`/`darkTheme` to every page's <head> as a small
 *   stylesheet (theme-css.ts), so both colour modes are styled without JavaScript.
 * - Keeps Prism out of the browser: Docusaurus' classic theme registers a client module,
 *   `prism-include-languages`, that imports prism-react-renderer (Prism and its bundled grammars) into
 *   every page's main bundle even with no additional language. With every code block highlighted at
 *   build time nothing in the browser uses it, so it is replaced by an empty module; the swizzled
 *   `CodeBlock/Content` (src/theme) was the only other importer.
 */
import { join } from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';
import type { PrismTheme } from 'prism-react-renderer';
import { themeCss } from './theme-css';

export { rehypeCodeHighlight } from './rehype';

/** Matches theme-classic's client module, wherever the package manager put it. */
export const PRISM_CLIENT_MODULE = /[\\/]@docusaurus[\\/]theme-classic[\\/]lib[\\/]prism-include-languages(\.js)?$/;

export function codeHighlightPlugin(context: LoadContext): Plugin {
  const prism = (context.siteConfig.themeConfig as { prism?: { theme?: PrismTheme; darkTheme?: PrismTheme } }).prism;
  return {
    name: 'code-highlight',
    injectHtmlTags() {
      if (!prism?.theme) return {};
      return { headTags: [{ tagName: 'style', attributes: { 'data-code-colours': '' }, innerHTML: themeCss({ theme: prism.theme, darkTheme: prism.darkTheme }) }] };
    },
    configureWebpack(_config, _isServer, { currentBundler }) {
      return {
        plugins: [new currentBundler.instance.NormalModuleReplacementPlugin(PRISM_CLIENT_MODULE, join(__dirname, 'no-prism.js'))],
      };
    },
  };
}

// Docusaurus' config takes the default export; ES modules that import this CommonJS file use the named one.
