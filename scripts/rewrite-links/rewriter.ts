// Decides, link by link, what an absolute link becomes, and applies the edits to a page's text.
//
// A link is resolved within the version of the page it is on: `/docs/next/self-hosting` written in
// versioned_docs/version-1.0 means version 1.0's `/self-hosting` page, whichever version prefix
// (a version's path, its name, or the current version's path) the link carries.
//
// - Markdown links and reference definitions to a doc become a relative file path
//   (`../00200-self-hosting/00100-overview.md#keys`), which Docusaurus resolves per version.
// - JSX `<Link to>` / `<a href>` become a relative URL (`./self-hosting#keys`): Docusaurus resolves
//   file paths only in Markdown links, so a file path there would be a broken link.
// - Links to a category's generated index become a relative URL too (there is no file to point at).
// - `@site/docs/...` and `/docs/...md` file links (also images) that point into another version's
//   folder become a relative path to the same file of the page's own version.
// - Untouched: relative links, `#fragment`-only links, URLs with a scheme (https:, mailto:, ...),
//   protocol-relative URLs, static assets, and routes outside the docs (not under routeBasePath,
//   or tag pages).

import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { FoundLink } from './link-scanner';
import { findLinks } from './link-scanner';
import { routeKey, type Page, type RouteTable, type RouteTarget, type VersionRoutes } from './route-table';
import { CURRENT_VERSION, trimSlashes } from './site-config';

export interface Change {
  file: string;
  line: number;
  from: string;
  to: string;
}

export interface Unresolved {
  file: string;
  line: number;
  link: string;
  reason: string;
}

export interface PageResult {
  page: Page;
  changes: Change[];
  unresolved: Unresolved[];
  /** The page's new text, when something changed. */
  text?: string;
}

type Decision = { action: 'keep' } | { action: 'rewrite'; to: string } | { action: 'unresolved'; reason: string };

const KEEP: Decision = { action: 'keep' };
const MARKDOWN = /\.mdx?$/i;
const ASSET = /\.(?:png|jpe?g|gif|svg|webp|avif|ico|pdf|zip|gz|tgz|tar|txt|json|ya?ml|toml|csv|xml|sh|js|mjs|css|woff2?|mp4|webm|mp3|wasm)$/i;

function splitUrl(url: string): { path: string; suffix: string } {
  const cut = url.search(/[?#]/);
  return cut === -1 ? { path: url, suffix: '' } : { path: url.slice(0, cut), suffix: url.slice(cut) };
}

function safeDecode(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

/** Characters a Markdown destination or an attribute cannot hold as they are. */
function encodePath(path: string): string {
  return path.replace(/[ ()<>"']/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function relativeFile(fromFile: string, toFile: string): string {
  const relative = posix.relative(posix.dirname(fromFile), toFile);
  return encodePath(relative.startsWith('../') ? relative : `./${relative}`);
}

export class LinkResolver {
  private readonly docsRoot: string;
  private readonly prefixes: string[];

  constructor(private readonly table: RouteTable) {
    const { settings } = table;
    this.docsRoot = `/${[settings.baseUrl, settings.routeBasePath].map(trimSlashes).filter(Boolean).join('/')}/`.replace(/^\/\/$/, '/');
    const prefixes = new Set<string>();
    for (const version of settings.versions) {
      if (version.pathPart) prefixes.add(version.pathPart);
      if (version.name !== CURRENT_VERSION) prefixes.add(version.name);
    }
    // Longest first, so that `1.0/beta` wins over `1.0`.
    this.prefixes = [...prefixes].sort((a, b) => b.length - a.length);
  }

  decide(page: Page, link: FoundLink): Decision {
    const { url } = link;
    const { path, suffix } = splitUrl(url.trim());
    if (path === '' || url !== url.trim()) return KEEP;
    if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('//')) return KEEP;
    const fileLink = link.kind !== 'jsx';
    if (path.startsWith('@site/')) return fileLink ? this.siteFile(page, safeDecode(path.slice('@site/'.length)), suffix) : KEEP;
    if (!path.startsWith('/')) return KEEP;
    if (fileLink && MARKDOWN.test(path)) return this.absoluteFile(page, safeDecode(path), suffix);
    return this.route(page, link, safeDecode(path), suffix);
  }

  /** `@site/<path>`: rewritten only when it points into a docs folder (of any version). */
  private siteFile(page: Page, sitePath: string, suffix: string): Decision {
    for (const version of this.table.versions) {
      const prefix = `${version.info.dir}/`;
      if (!sitePath.startsWith(prefix)) continue;
      return this.ownVersionFile(page, sitePath.slice(prefix.length), suffix);
    }
    return KEEP;
  }

  /** `/x.md`: Docusaurus looks in the version's folder first, then in the site folder. */
  private absoluteFile(page: Page, path: string, suffix: string): Decision {
    const { root } = this.table.settings;
    if (existsSync(join(root, page.version.info.dir, path))) return KEEP;
    const sitePath = path.slice(1);
    const inDocs = this.siteFile(page, sitePath, suffix);
    if (inDocs !== KEEP) return inDocs;
    return { action: 'unresolved', reason: `no file ${path} in ${page.version.info.dir} or the site folder` };
  }

  private ownVersionFile(page: Page, inner: string, suffix: string): Decision {
    const version = page.version.info;
    const target = `${version.dir}/${inner}`;
    if (!existsSync(join(this.table.settings.root, target))) {
      return { action: 'unresolved', reason: `no ${inner} in ${version.dir}` };
    }
    return { action: 'rewrite', to: relativeFile(page.file, target) + suffix };
  }

  private route(page: Page, link: FoundLink, path: string, suffix: string): Decision {
    const { settings } = this.table;
    // What Docusaurus' <Link> does: a path that does not start with the base URL gets it prepended.
    const full = path.startsWith(settings.baseUrl) || `${path}/` === settings.baseUrl ? path : settings.baseUrl + path.slice(1);
    if (this.isStaticFile(full)) return KEEP;
    const docsRootBare = this.docsRoot.replace(/\/$/, '');
    if (full !== docsRootBare && !full.startsWith(this.docsRoot)) return KEEP;
    const rest = full.slice(this.docsRoot.length).replace(/\/+$/, '');
    const version = page.version;

    let prefixedSlug: string | undefined;
    for (const prefix of this.prefixes) {
      if (rest !== prefix && !rest.startsWith(`${prefix}/`)) continue;
      const slug = `/${rest.slice(prefix.length + 1)}`;
      prefixedSlug ??= slug;
      const target = version.routes.get(routeKey(slug));
      if (target) return this.toTarget(page, link, target, suffix);
    }
    const slug = `/${rest}`;
    const target = version.routes.get(routeKey(slug));
    if (target) return this.toTarget(page, link, target, suffix);

    const tags = settings.tagsBasePath;
    const unprefixed = prefixedSlug ?? slug;
    if (unprefixed === `/${tags}` || unprefixed.startsWith(`/${tags}/`)) return KEEP;
    if (ASSET.test(rest)) return KEEP;
    if (settings.routeBasePath === '' && prefixedSlug === undefined) return KEEP;
    return { action: 'unresolved', reason: `no page at ${unprefixed} in version ${version.info.name}` };
  }

  private readonly staticFiles = new Map<string, boolean>();

  private isStaticFile(full: string): boolean {
    const { settings } = this.table;
    const path = full.startsWith(settings.baseUrl) ? full.slice(settings.baseUrl.length) : full.slice(1);
    if (path === '' || path.endsWith('/')) return false;
    let known = this.staticFiles.get(path);
    if (known === undefined) {
      known = settings.staticDirs.some((dir) => existsSync(join(settings.root, dir, path)));
      this.staticFiles.set(path, known);
    }
    return known;
  }

  private toTarget(page: Page, link: FoundLink, target: RouteTarget, suffix: string): Decision {
    if (link.kind === 'image') {
      return { action: 'unresolved', reason: 'an image cannot show a page; point it at an image file' };
    }
    if (target.kind === 'doc' && link.kind !== 'jsx') {
      return { action: 'rewrite', to: relativeFile(page.file, target.page.file) + suffix };
    }
    const slug = target.kind === 'doc' ? target.page.slug! : target.slug;
    const relative = this.relativeUrl(page, slug);
    if (typeof relative !== 'string') return relative;
    return { action: 'rewrite', to: relative + suffix };
  }

  /** A URL relative to the page's own URL, for JSX links and generated indexes. */
  private relativeUrl(page: Page, targetSlug: string): string | Decision {
    if (page.slug === undefined) {
      return { action: 'unresolved', reason: 'a partial has no URL of its own to be relative to; use a Markdown link to the file' };
    }
    const { trailingSlash } = this.table.settings;
    const versionRoot = page.version.info.routePath;
    const withSlash = (path: string) => (path.endsWith('/') ? path : `${path}/`);
    const withoutSlash = (path: string) => (path.length > 1 ? path.replace(/\/+$/, '') : path);
    let pageUrl = versionRoot + page.slug.replace(/^\/+/, '');
    if (trailingSlash === true) pageUrl = withSlash(pageUrl);
    if (trailingSlash === false) pageUrl = withoutSlash(pageUrl);
    const base = pageUrl.slice(0, pageUrl.lastIndexOf('/') + 1);
    if (!base.startsWith(versionRoot)) {
      return {
        action: 'unresolved',
        reason: "this page is its version's home, so a relative URL would leave the version; use a Markdown link to the file",
      };
    }
    let targetUrl = versionRoot + targetSlug.replace(/^\/+/, '');
    if (trailingSlash === true) targetUrl = withSlash(targetUrl);
    if (trailingSlash === false) targetUrl = withoutSlash(targetUrl);
    let relative = posix.relative(base, targetUrl) || '.';
    if (!relative.startsWith('.')) relative = `./${relative}`;
    if (targetUrl.endsWith('/') && !relative.endsWith('/')) relative += '/';
    return encodePath(relative);
  }
}

/** Every change and unresolved link of one page, and its new text when it changes. */
export function rewritePage(page: Page, resolver: LinkResolver): PageResult {
  const result: PageResult = { page, changes: [], unresolved: [] };
  const { text } = page;
  // Quick exit: no absolute link, no @site link, nothing to do.
  if (!/[(:"'<]\s*[/@]/.test(text)) return result;
  const edits: Array<{ start: number; end: number; to: string }> = [];
  for (const link of findLinks(text)) {
    const decision = resolver.decide(page, link);
    if (decision.action === 'keep') continue;
    if (decision.action === 'unresolved') {
      result.unresolved.push({ file: page.file, line: link.line, link: link.url, reason: decision.reason });
      continue;
    }
    if (decision.to === link.url) continue;
    edits.push({ start: link.start, end: link.end, to: decision.to });
    result.changes.push({ file: page.file, line: link.line, from: link.url, to: decision.to });
  }
  if (edits.length > 0) {
    let out = '';
    let position = 0;
    for (const edit of edits) {
      if (edit.start < position) continue;
      out += text.slice(position, edit.start) + edit.to;
      position = edit.end;
    }
    result.text = out + text.slice(position);
  }
  return result;
}

export type { VersionRoutes };
