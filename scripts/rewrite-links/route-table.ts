// The route table: every page of every docs version, and the URL Docusaurus gives it.
//
// Mirrors @docusaurus/plugin-content-docs (docs.js, slug.js): the id is the folder path and the
// front-matter `id` (or file name), number prefixes stripped; the slug is the front-matter `slug`
// (absolute, or relative to the folder), else the folder for an index page (`index`, `README`, or a
// file named like its folder), else the folder plus the id's last part. A `_category_.json` whose
// link is a generated index adds that index's route. Files and folders starting with `_` are
// partials: they are scanned for links but have no route.

import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { readFrontMatter } from './front-matter';
import { stripPathNumberPrefixes } from './number-prefix';
import type { SiteSettings, VersionInfo } from './site-config';

export interface Page {
  /** Path relative to the site root, with forward slashes. */
  file: string;
  /** Path relative to its version's folder. */
  source: string;
  text: string;
  version: VersionRoutes;
  /** Set for pages that are docs (not partials). */
  slug?: string;
}

export type RouteTarget =
  | { kind: 'doc'; page: Page }
  | { kind: 'generated-index'; slug: string; categoryFile: string };

export interface VersionRoutes {
  info: VersionInfo;
  /** Route key (slug without trailing slash, `/` for the root) to target. */
  routes: Map<string, RouteTarget>;
  /** Pages by their path relative to the version folder. */
  pagesBySource: Map<string, Page>;
}

export interface RouteTable {
  settings: SiteSettings;
  versions: VersionRoutes[];
  pages: Page[];
}

const MARKDOWN = /\.mdx?$/i;

/** Files Docusaurus leaves out of the docs (its GlobExcludeDefault): partials, tests. */
function isExcludedFromDocs(source: string): boolean {
  const parts = source.split('/');
  const name = parts[parts.length - 1]!;
  if (parts.slice(0, -1).some((dir) => dir.startsWith('_') || dir === '__tests__')) return true;
  return name.startsWith('_') || /\.test\.[jt]sx?$/.test(name);
}

export function routeKey(slug: string): string {
  const trimmed = slug.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** resolve-pathname semantics: `to` against the folder URL `from` (which ends with `/`). */
function resolvePathname(to: string, from: string): string {
  if (to.startsWith('/')) return to;
  const joined = posix.normalize(posix.join(from, to));
  const trailing = to.endsWith('/') || /(^|\/)\.\.?$/.test(to);
  return trailing && !joined.endsWith('/') ? `${joined}/` : joined;
}

function isCategoryIndex(source: string): boolean {
  const { name, dir } = posix.parse(source);
  const parent = dir.split('/').pop()?.toLowerCase();
  const lower = name.toLowerCase();
  return lower === 'index' || lower === 'readme' || (dir !== '' && lower === parent);
}

export function computeSlug(source: string, frontMatter: Map<string, string>, settings: SiteSettings): string {
  const parseNumberPrefixes = frontMatter.get('parse_number_prefixes') !== 'false';
  const parser = settings.numberPrefixParser;
  const { name, dir } = posix.parse(source);
  const sourceDirName = dir === '' ? '.' : dir;
  const baseId = frontMatter.get('id') ?? (parseNumberPrefixes ? parser(name).filename : name);
  const frontMatterSlug = frontMatter.get('slug');
  const dirName = parseNumberPrefixes ? stripPathNumberPrefixes(sourceDirName, parser) : sourceDirName;
  const dirNameSlug = sourceDirName === '.' ? '/' : `/${dirName.replace(/^\/+|\/+$/g, '')}/`;
  if (frontMatterSlug?.startsWith('/')) return frontMatterSlug;
  if (frontMatterSlug === undefined && isCategoryIndex(source)) return dirNameSlug;
  return resolvePathname(frontMatterSlug ?? baseId, dirNameSlug);
}

/** github-slugger's rule, as Docusaurus uses it for a generated index's default slug. */
function slugifyLabel(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

function walk(dir: string, prefix: string, into: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) walk(join(dir, entry.name), relative, into);
    else into.push(relative);
  }
}

export function buildRouteTable(settings: SiteSettings): RouteTable {
  const pages: Page[] = [];
  const versions = settings.versions.map((info): VersionRoutes => {
    const version: VersionRoutes = { info, routes: new Map(), pagesBySource: new Map() };
    const files: string[] = [];
    walk(join(settings.root, info.dir), '', files);
    files.sort();
    const categories: string[] = [];
    for (const source of files) {
      if (/(^|\/)_category_\.json$/.test(source)) categories.push(source);
      if (!MARKDOWN.test(source)) continue;
      const file = `${info.dir}/${source}`;
      const text = readFileSync(join(settings.root, file), 'utf8');
      const page: Page = { file, source, text, version };
      if (!isExcludedFromDocs(source)) {
        page.slug = computeSlug(source, readFrontMatter(text).values, settings);
        const key = routeKey(page.slug);
        if (!version.routes.has(key)) version.routes.set(key, { kind: 'doc', page });
      }
      version.pagesBySource.set(source, page);
      pages.push(page);
    }
    for (const categoryFile of categories) {
      let category: { label?: unknown; link?: { type?: unknown; slug?: unknown } | null };
      try {
        category = JSON.parse(readFileSync(join(settings.root, info.dir, categoryFile), 'utf8'));
      } catch {
        continue;
      }
      if (category.link?.type !== 'generated-index') continue;
      const dir = posix.dirname(categoryFile);
      const label = typeof category.label === 'string' ? category.label : settings.numberPrefixParser(posix.basename(dir)).filename;
      const slug = typeof category.link.slug === 'string' ? category.link.slug : `/category/${slugifyLabel(label)}`;
      const key = routeKey(slug.startsWith('/') ? slug : `/${slug}`);
      if (!version.routes.has(key)) version.routes.set(key, { kind: 'generated-index', slug: key, categoryFile: `${info.dir}/${categoryFile}` });
    }
    return version;
  });
  return { settings, versions, pages };
}
