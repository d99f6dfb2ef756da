/**
 * Fixture cases shared by the parser and remark plugin tests: `fixtures/<case>/input.md` next to
 * `expected.json` (the runbooks, as `parseRunbooks` returns them) or `expected-error.txt` (the
 * RunbookError message). A new case is a new folder; no test code changes.
 *
 *   UPDATE_FIXTURES=1 pnpm test:unit tests/runbook-model    writes the expected files from the current output
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const fixturesDir = join(import.meta.dirname, 'fixtures');


export interface Fixture {
  name: string;
  dir: string;
  input: string;
  /** What the case expects: runbooks as JSON text, or an error message. */
  expected: { kind: 'runbooks'; json: string } | { kind: 'error'; message: string } | null;
}

export function fixtures(): Fixture[] {
  return readdirSync(fixturesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const dir = join(fixturesDir, name);
      const jsonFile = join(dir, 'expected.json');
      const errorFile = join(dir, 'expected-error.txt');
      const expected = existsSync(errorFile)
        ? ({ kind: 'error', message: readFileSync(errorFile, 'utf8').trimEnd() } as const)
        : existsSync(jsonFile)
          ? ({ kind: 'runbooks', json: readFileSync(jsonFile, 'utf8') } as const)
          : null;
      return { name, dir, input: readFileSync(join(dir, 'input.md'), 'utf8'), expected };
    });
}

/** Writes a case's expected file from the current output (only with UPDATE_FIXTURES=1). */
export function record(fixture: Fixture, result: { runbooks: unknown } | { error: string }): void {
  if ('error' in result) writeFileSync(join(fixture.dir, 'expected-error.txt'), `${result.error}\n`);
  else writeFileSync(join(fixture.dir, 'expected.json'), `${JSON.stringify(result.runbooks, null, 2)}\n`);
}
