// knip: unused files, exports and dependencies. Part of `pnpm lint`.
import type { KnipConfig } from 'knip';

const config: KnipConfig = {
  entry: [
    // knip's Docusaurus plugin cannot load this config (it reads the build's context), so its
    // entry points are listed here.
    'docusaurus.config.ts',
    'sidebars.ts',
    'scripts/**/*.{ts,mjs}',
    'tests/**/*.{test,spec}.ts',
    'src/theme/**/*.tsx',
    'src/pages/**/*.tsx',
    'src/plugins/*/index.ts',
    // Listed by path in docusaurus.config.ts (clientModules), not imported.
    'src/client-modules/deferredPrefetch.ts',
    // Imported from markdown: the remark plugin injects the Runbook import into every page with a
    // runbook; the automation-contract and fleet-runs pages import their components in MDX.
    'src/components/Runbook/index.ts',
    'src/components/AutomationContract/index.tsx',
    'src/components/PlaybookLink/index.tsx',
  ],
  project: ['src/**/*.{ts,tsx}', 'tooling/**/*.ts', 'scripts/**/*.{ts,mjs}', 'tests/**/*.ts', '*.{ts,mjs}'],
  ignore: ['**/fixtures/**'],
  paths: { '@site/*': ['./*'] },
  docusaurus: false,
  // System programs the tests run, installed from Debian by scripts/system-packages.mjs.
  ignoreBinaries: ['openssl', 'ssh-keygen', 'shellcheck', 'unshare', 'mkfifo', 'ansible-playbook', 'ansible-lint'],
  ignoreDependencies: [
    // Loaded by Docusaurus by name from docusaurus.config.ts (themes: [...]), not imported.
    '@easyops-cn/docusaurus-search-local',
    // Grammars required by a computed name in src/plugins/code-highlight/tokenize.ts.
    'prismjs',
    // Modules Docusaurus provides by alias while it builds the site, not packages.
    /^@docusaurus\/(Link|router|ExecutionEnvironment|use[A-Za-z]+)$/,
    /^@theme(-original)?\//,
    /^@generated\//,
    // Run as programs from node_modules/.bin by the bundle test and the Lighthouse benchmarks.
    'bun',
    'lighthouse',
  ],
  // A type or interface exported beside the function that takes it documents that function's shape.
  ignoreExportsUsedInFile: { interface: true, type: true },
};

export default config;
