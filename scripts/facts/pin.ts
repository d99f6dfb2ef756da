/**
 * The one SpacetimeDB release this project documents, read from facts/spacetimedb.json, and the
 * GitHub permalinks built from it. Every citation and every fact file refers to this pin.
 */
import { readFactsJson } from './read-json';

export interface Pin {
  /** `owner/name` on GitHub. */
  repository: string;
  /** The release tag, e.g. `v2.8.3`. */
  tag: string;
  /** The commit the tag points to (40 hex digits). */
  commit: string;
}

export const PIN_FILE = 'facts/spacetimedb.json';

/** A `source` reference in the fact files: a path under crates/ and a line or line range. */
export const SOURCE_REFERENCE = /^(crates\/[^#\s]+)#L(\d+)(?:-L(\d+))?$/;

export function readPin(siteDir: string): Pin {
  const data = readFactsJson(siteDir, PIN_FILE, 'the pinned release');
  const pin = data as Partial<Pin>;
  if (typeof pin.repository !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(pin.repository)) {
    throw new Error(`${PIN_FILE}: "repository" must be owner/name, e.g. "clockworklabs/SpacetimeDB"`);
  }
  if (typeof pin.tag !== 'string' || pin.tag === '') throw new Error(`${PIN_FILE}: "tag" must name the release tag, e.g. "v2.8.3"`);
  if (typeof pin.commit !== 'string' || !/^[0-9a-f]{40}$/.test(pin.commit)) {
    throw new Error(`${PIN_FILE}: "commit" must be the tag's commit, 40 lower-case hex digits (git rev-parse ${pin.tag}^{commit})`);
  }
  return { repository: pin.repository, tag: pin.tag, commit: pin.commit };
}

/** The permalink prefix every citation of the pinned source starts with. */
export function blobPrefix(pin: Pin): string {
  return `https://github.com/${pin.repository}/blob/${pin.tag}/`;
}

/** `crates/cli/src/main.rs#L59-L77` → the GitHub permalink at the pinned tag. */
export function permalink(pin: Pin, source: string): string {
  return blobPrefix(pin) + source;
}
