/**
 * What identifies a rendered diagram: its source, the renderer and the way it is rendered.
 *
 * Diagrams are rendered once, on a machine with Chromium, and the SVGs are committed under `diagrams/`,
 * named by a key that hashes everything that changes the picture. A build finds the SVG by key and needs
 * no browser; changing a diagram, upgrading mermaid or changing the settings below changes the key, so a
 * stale picture can never be served (the build renders the new one, and `pnpm diagrams --check` and the
 * unit tests report the missing and the unused files).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Where the rendered SVGs live, relative to the site directory. */
export const CACHE_DIRECTORY = 'diagrams';

/**
 * The two colour modes of the site and the mermaid theme each is drawn with (as the site showed them when
 * mermaid ran in the browser: `neutral` on light pages, `dark` on dark ones).
 */
export const DIAGRAM_THEMES = { light: 'neutral', dark: 'dark' } as const;
export type ColourMode = keyof typeof DIAGRAM_THEMES;
export const COLOUR_MODES = Object.keys(DIAGRAM_THEMES) as ColourMode[];

/** Bumped whenever the way an SVG is produced from mermaid's output changes. */
const OUTPUT_FORMAT = 1;

/** The installed mermaid's version: part of every key, so upgrading mermaid re-renders every diagram. */
export function mermaidVersion(): string {
  const manifest = require.resolve('mermaid/package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** A diagram's source as it is hashed and rendered: LF line endings, no trailing blank space. */
export function normaliseSource(source: string): string {
  return source.replace(/\r\n?/g, '\n').trimEnd();
}

/** The cache key of a diagram: 16 hex digits of a SHA-256 over the source, mermaid's version and the settings. */
export function diagramKey(source: string, version: string = mermaidVersion()): string {
  const identity = JSON.stringify({ source: normaliseSource(source), mermaid: version, themes: DIAGRAM_THEMES, format: OUTPUT_FORMAT });
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}

/** The id of a diagram's SVG in one colour mode; unique per diagram and mode, so both fit on one page. */
export function svgId(key: string, mode: ColourMode): string {
  return `diagram-${key}-${mode}`;
}

/** File names of a diagram's SVGs under the cache directory. */
export function cacheFileName(key: string, mode: ColourMode): string {
  return `${key}.${mode}.svg`;
}

/**
 * What is wrong with a diagram's source for readers of assistive technology, or null. Mermaid turns
 * `accTitle:` and `accDescr:` into the SVG's <title> and <desc>, which name and describe it.
 */
export function accessibilityProblem(source: string): string | null {
  const missing = [
    /^\s*accTitle\s*:\s*\S/m.test(source) ? null : 'accTitle',
    /^\s*accDescr\s*(:\s*\S|\{)/m.test(source) ? null : 'accDescr',
  ].filter((name): name is string => name !== null);
  if (missing.length === 0) return null;
  return (
    `the mermaid diagram has no ${missing.join(' and no ')}: add \`accTitle: <a short name>\` and ` +
    '`accDescr: <one sentence saying what it shows>` on their own lines after the diagram type ' +
    '(screen readers announce them; the picture alone says nothing to them)'
  );
}
