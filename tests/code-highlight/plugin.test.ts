import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type { LoadContext } from '@docusaurus/types';
import { themes } from 'prism-react-renderer';
import { codeHighlightPlugin, PRISM_CLIENT_MODULE } from '../../src/plugins/code-highlight';

test("the module kept out of the browser is theme-classic's Prism client module, as installed", () => {
  const preset = createRequire(import.meta.url).resolve('@docusaurus/preset-classic');
  const clientModule = createRequire(preset).resolve('@docusaurus/theme-classic/lib/prism-include-languages');
  assert.match(clientModule, PRISM_CLIENT_MODULE);
  // The path Docusaurus writes into its generated client-modules.js has no extension.
  assert.match(clientModule.replace(/\.js$/, ''), PRISM_CLIENT_MODULE);
  assert.doesNotMatch(clientModule.replace('prism-include-languages', 'nprogress'), PRISM_CLIENT_MODULE);
});

test("every page's head gets the token colours of themeConfig.prism", () => {
  const context = { siteConfig: { themeConfig: { prism: { theme: themes.vsLight, darkTheme: themes.vsDark } } } } as unknown as LoadContext;
  const tags = codeHighlightPlugin(context).injectHtmlTags!({ content: undefined }) as { headTags: { tagName: string; innerHTML: string }[] };
  assert.equal(tags.headTags[0]?.tagName, 'style');
  assert.match(tags.headTags[0]?.innerHTML ?? '', /html\[data-theme='dark'\] \.theme-code-block \.token\.keyword[^{]*\{color:rgb\(86, 156, 214\)\}/);
});
