import type { Config } from '@docusaurus/types';
import type * as Preset from '@docusaurus/preset-classic';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { themes as prismThemes } from 'prism-react-renderer';
import { codeHighlightPlugin, rehypeCodeHighlight } from './src/plugins/code-highlight';
import { rehypeDiagrams } from './src/plugins/diagrams';
import { remarkRunbooks } from './src/plugins/remark-runbooks';
import { runbookContractPlugin } from './src/plugins/runbook-contract';

/**
 * Site configuration. Everything is declarative except a few environment variables:
 *
 * - `BASE_URL`      path the site is served under (default `/`; e.g. `/docs/` behind a proxy)
 * - `SITE_URL`      origin used in the sitemap and canonical links (default `http://localhost`)
 * - `DOCS_VERSIONS` comma-separated versions to build, for quick local builds
 *                   (e.g. `current` or `current,1.0`; default: every version)
 * - `FASTER_BUILD`  `false` switches the Rspack-based faster build off (used by `pnpm bench:build`)
 */
const baseUrl = normaliseBaseUrl(process.env.BASE_URL ?? '/');
const onlyIncludeVersions = process.env.DOCS_VERSIONS
  ? process.env.DOCS_VERSIONS.split(',').map((v) => v.trim()).filter(Boolean)
  : undefined;

/** Cut versions, newest first, as `docusaurus docs:version` records them. */
const cutVersions: string[] = JSON.parse(readFileSync(join(__dirname, 'versions.json'), 'utf8'));
const builtVersions = onlyIncludeVersions ?? ['current', ...cutVersions];
/** Readers land on the newest cut version; `current` is the next release, under /docs/next/. */
const lastVersion = cutVersions.find((version) => builtVersions.includes(version)) ?? 'current';

function normaliseBaseUrl(value: string): string {
  const trimmed = value.trim().replace(/^\/*/, '/').replace(/\/*$/, '/');
  return trimmed === '//' ? '/' : trimmed;
}

const config: Config = {
  title: 'SpacetimeDB Self-Hosting Runbooks',
  tagline: 'Operator guides for self-hosted SpacetimeDB that you can follow at 3 a.m. and that CI executes.',
  favicon: 'img/favicon.svg',
  url: process.env.SITE_URL ?? 'http://localhost',
  baseUrl,
  trailingSlash: false,

  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  onDuplicateRoutes: 'throw',

  future: {
    v4: true,
    faster: process.env.FASTER_BUILD !== 'false',
  },

  markdown: {
    // Mermaid diagrams are rendered when the site is built (rehypeDiagrams below), not in the browser.
    hooks: {
      onBrokenMarkdownLinks: 'throw',
      onBrokenMarkdownImages: 'throw',
    },
  },

  i18n: { defaultLocale: 'en', locales: ['en'] },

  presets: [
    [
      'classic',
      {
        docs: {
          routeBasePath: 'docs',
          sidebarPath: './sidebars.ts',
          // Runbook directives → runbook components (see Contributing → Writing runbooks).
          remarkPlugins: [[remarkRunbooks, { siteDir: __dirname }]],
          // ```mermaid → inline SVG from diagrams/ (rendered with Chromium only when missing there), then
          // every other fenced code block highlighted with Prism: readers' browsers run neither.
          rehypePlugins: [[rehypeDiagrams, { siteDir: __dirname }], rehypeCodeHighlight],
          lastVersion,
          onlyIncludeVersions,
          versions: {
            current: {
              label: 'Next (unreleased)',
              path: lastVersion === 'current' ? '' : 'next',
              banner: lastVersion === 'current' ? 'none' : 'unreleased',
            },
            // Older cut versions keep Docusaurus' default "unmaintained" banner.
            ...Object.fromEntries(
              cutVersions
                .filter((version) => builtVersions.includes(version))
                .map((version) => [
                  version,
                  { label: version, banner: version === lastVersion ? 'none' : 'unmaintained' } as const,
                ]),
            ),
          },
        },
        blog: false,
        theme: {
          customCss: './src/css/custom.css',
        },
        sitemap: {
          changefreq: null,
          priority: null,
        },
      } satisfies Preset.Options,
    ],
  ],

  // Browser code that runs before the first render: link prefetching deferred to idle time.
  clientModules: ['./src/client-modules/deferredPrefetch.ts'],

  plugins: [
    // Publishes every runbook as JSON under <baseUrl>runbooks/ (Reference → Runbook contract).
    runbookContractPlugin,
    // Token colours for build-time highlighted code, and no Prism in the browser bundle.
    codeHighlightPlugin,
  ],

  themes: [
    [
      '@easyops-cn/docusaurus-search-local',
      {
        hashed: true,
        indexBlog: false,
        indexPages: false,
        docsRouteBasePath: 'docs',
        language: ['en'],
        searchBarShortcutHint: false,
        highlightSearchTermsOnTargetPage: false,
        explicitSearchResultPath: true,
      },
    ],
  ],

  themeConfig: {
    colorMode: { respectPrefersColorScheme: true },
    navbar: {
      title: 'SpacetimeDB Runbooks',
      logo: { alt: '', src: 'img/favicon.svg', width: 32, height: 32 },
      items: [
        { type: 'docSidebar', sidebarId: 'docs', position: 'left', label: 'Docs' },
        { type: 'docsVersionDropdown', position: 'right' },
      ],
    },
    footer: {
      style: 'light',
      copyright:
        'Independent operator documentation for self-hosted SpacetimeDB. Not affiliated with Clockwork Labs.',
    },
    prism: {
      // Code is highlighted when the site is built (src/plugins/code-highlight), with these colours for
      // the light and dark modes; its grammars (shell and TOML included) never reach the browser.
      theme: prismThemes.vsLight,
      darkTheme: prismThemes.vsDark,
    },
  } satisfies Preset.ThemeConfig,
};

export default config;
