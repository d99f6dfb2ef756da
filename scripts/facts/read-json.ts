import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Parses one of the facts/ files; an unreadable or malformed file is an error naming it. */
export function readFactsJson(siteDir: string, file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(join(siteDir, file), 'utf8'));
  } catch (error) {
    throw new Error(`${file}: cannot read ${what} (${(error as Error).message})`, { cause: error });
  }
}
