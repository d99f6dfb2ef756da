// What the rewriter needs to know about a Docusaurus site, and where it learns it.
//
// Rule: when the site folder has a docusaurus.config.{ts,mts,cts,js,mjs,cjs}, it is loaded with tsx
// (as `docusaurus build` would load it, with DOCS_VERSIONS unset so every version is seen) and the
// docs plugin's options are read from it: the classic preset's `docs` options, or a
// `@docusaurus/plugin-content-docs` plugin with the default id. When there is no config, or it
// cannot be loaded (it needs packages that are not installed, it throws), Docusaurus' defaults are
// used instead and a warning says so. Flags always win over both: --base-url, --route-base-path,
// --version-path NAME=PATH.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultNumberPrefixParser, disabledNumberPrefixParser, type NumberPrefixParser } from './number-prefix';

export const CURRENT_VERSION = 'current';

export interface VersionInfo {
  /** `current` or a name from versions.json. */
  name: string;
  /** Folder of its pages, relative to the site root, with forward slashes. */
  dir: string;
  /** URL segment(s) after the route base path: '' for the last version, `next` for current by default. */
  pathPart: string;
  /** Absolute URL path of the version's root, with a trailing slash, e.g. `/docs/next/`. */
  routePath: string;
}

export interface SiteSettings {
  root: string;
  baseUrl: string;
  routeBasePath: string;
  tagsBasePath: string;
  trailingSlash: boolean | undefined;
  staticDirs: string[];
  numberPrefixParser: NumberPrefixParser;
  versions: VersionInfo[];
  /** Where the settings came from, for the report. */
  source: string;
  warnings: string[];
}

export interface SettingsOverrides {
  baseUrl?: string;
  routeBasePath?: string;
  versionPaths?: Record<string, string>;
  /** Do not load the site's config even when there is one. */
  noConfig?: boolean;
}

interface DocsOptions {
  path?: string;
  routeBasePath?: string;
  tagsBasePath?: string;
  lastVersion?: string;
  includeCurrentVersion?: boolean;
  numberPrefixParser?: boolean | NumberPrefixParser;
  versions?: Record<string, { path?: string }>;
}

interface LoadedConfig {
  baseUrl?: string;
  trailingSlash?: boolean;
  staticDirectories?: string[];
  presets?: unknown[];
  plugins?: unknown[];
}

const CONFIG_FILES = ['docusaurus.config.ts', 'docusaurus.config.mts', 'docusaurus.config.cts', 'docusaurus.config.js', 'docusaurus.config.mjs', 'docusaurus.config.cjs'];

export function normaliseBaseUrl(value: string): string {
  const trimmed = `/${value.trim().replace(/^\/+|\/+$/g, '')}/`;
  return trimmed === '//' ? '/' : trimmed;
}

export function trimSlashes(value: string): string {
  return value.trim().replace(/^\/+|\/+$/g, '');
}

async function loadConfig(file: string): Promise<LoadedConfig> {
  const saved = process.env.DOCS_VERSIONS;
  delete process.env.DOCS_VERSIONS;
  try {
    let loaded: unknown;
    if (/\.m[tj]s$/.test(file)) {
      const { tsImport } = await import('tsx/esm/api');
      loaded = await tsImport(pathToFileURL(file).href, import.meta.url);
    } else {
      const { require: tsxRequire } = await import('tsx/cjs/api');
      loaded = tsxRequire(file, import.meta.url);
    }
    let config = (loaded as { default?: unknown }).default ?? loaded;
    if (config && typeof (config as { default?: unknown }).default === 'object') config = (config as { default: unknown }).default;
    if (typeof config === 'function') config = await (config as () => unknown)();
    if (!config || typeof config !== 'object') throw new Error('it does not export a config object');
    return config as LoadedConfig;
  } finally {
    if (saved !== undefined) process.env.DOCS_VERSIONS = saved;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The default docs plugin's options: the classic preset's `docs`, or the plugin itself. */
function findDocsOptions(config: LoadedConfig): DocsOptions | undefined {
  for (const entry of config.presets ?? []) {
    const options = Array.isArray(entry) ? entry[1] : undefined;
    if (isRecord(options) && isRecord(options.docs)) return options.docs as DocsOptions;
  }
  for (const entry of config.plugins ?? []) {
    if (!Array.isArray(entry)) continue;
    const [name, options] = entry as [unknown, unknown];
    if (typeof name === 'string' && /content-docs/.test(name) && isRecord(options) && (options.id ?? 'default') === 'default') {
      return options as DocsOptions;
    }
  }
  return undefined;
}

function readVersionNames(root: string, warnings: string[]): string[] {
  const file = join(root, 'versions.json');
  const listed: string[] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
  if (!Array.isArray(listed) || listed.some((name) => typeof name !== 'string')) {
    throw new Error('versions.json must be an array of version names');
  }
  const folder = join(root, 'versioned_docs');
  const onDisk = existsSync(folder)
    ? readdirSync(folder, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && entry.name.startsWith('version-'))
        .map((entry) => entry.name.slice('version-'.length))
    : [];
  const extra = onDisk.filter((name) => !listed.includes(name)).sort();
  for (const name of extra) warnings.push(`versioned_docs/version-${name} is not in versions.json; its links are checked with path "${name}"`);
  return [...listed, ...extra];
}

export async function readSiteSettings(root: string, overrides: SettingsOverrides = {}): Promise<SiteSettings> {
  const warnings: string[] = [];
  let config: LoadedConfig = {};
  let source = 'Docusaurus defaults (no docusaurus.config found)';
  const configFile = CONFIG_FILES.map((name) => join(root, name)).find((file) => existsSync(file));
  if (overrides.noConfig) {
    source = 'Docusaurus defaults (--no-config)';
  } else if (configFile) {
    try {
      config = await loadConfig(configFile);
      source = configFile.slice(root.length + 1);
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      warnings.push(`could not load ${configFile.slice(root.length + 1)} (${reason}); using Docusaurus defaults and the flags given`);
      source = 'Docusaurus defaults (config not loadable)';
    }
  }
  const docs: DocsOptions = findDocsOptions(config) ?? {};

  const baseUrl = normaliseBaseUrl(overrides.baseUrl ?? config.baseUrl ?? '/');
  const routeBasePath = trimSlashes(overrides.routeBasePath ?? docs.routeBasePath ?? 'docs');
  const parser =
    typeof docs.numberPrefixParser === 'function'
      ? docs.numberPrefixParser
      : docs.numberPrefixParser === false
        ? disabledNumberPrefixParser
        : defaultNumberPrefixParser;

  const cut = readVersionNames(root, warnings);
  const names = [...(docs.includeCurrentVersion === false ? [] : [CURRENT_VERSION]), ...cut];
  const lastVersion = docs.lastVersion ?? cut[0] ?? CURRENT_VERSION;
  const versions = names.map((name): VersionInfo => {
    const configured = overrides.versionPaths?.[name] ?? docs.versions?.[name]?.path;
    const pathPart = trimSlashes(configured ?? (name === lastVersion ? '' : name === CURRENT_VERSION ? 'next' : name));
    const routePath = `/${[baseUrl, routeBasePath, pathPart].map(trimSlashes).filter(Boolean).join('/')}/`.replace(/^\/\/$/, '/');
    const dir = name === CURRENT_VERSION ? trimSlashes(docs.path ?? 'docs') : `versioned_docs/version-${name}`;
    return { name, dir, pathPart, routePath };
  });

  return {
    root,
    baseUrl,
    routeBasePath,
    tagsBasePath: trimSlashes(docs.tagsBasePath ?? 'tags'),
    trailingSlash: config.trailingSlash,
    staticDirs: config.staticDirectories ?? ['static'],
    numberPrefixParser: parser,
    versions,
    source,
    warnings,
  };
}
