// Runs one rewrite-links fixture: `fixtures/<case>/input/` is a site folder, `expected/` is the
// same folder after `--write`, `report.txt` is what the dry run prints (stdout, then `exit: N`),
// and the optional `args.txt` holds extra flags. Each case also checks that the dry run and
// --check write nothing and that a second --write changes nothing.
//
// UPDATE_FIXTURES=1 rewrites expected/ and report.txt from the current behaviour (review the diff).

import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../scripts/rewrite-links/cli';
import { updatingFixtures } from '../support/update-fixtures';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Every file under dir, keyed by its relative path, with its bytes as a latin1 string. */
function readTree(dir: string): Record<string, string> {
  const tree: Record<string, string> = {};
  const visit = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) visit(path);
      else tree[relative(dir, path).split('\\').join('/')] = readFileSync(path, 'latin1');
    }
  };
  visit(dir);
  return tree;
}

async function runCli(args: string[]): Promise<{ code: number; out: string[] }> {
  const out: string[] = [];
  const code = await run(args, { out: (line) => out.push(line), err: () => {} });
  return { code, out };
}

export async function checkFixture(name: string): Promise<void> {
  const caseDir = join(fixtures, name);
  const argsFile = join(caseDir, 'args.txt');
  const extra = existsSync(argsFile) ? readFileSync(argsFile, 'utf8').trim().split(/\s+/).filter(Boolean) : [];
  const work = mkdtempSync(join(tmpdir(), `rewrite-links-${name}-`));
  try {
    cpSync(join(caseDir, 'input'), work, { recursive: true });
    const input = readTree(work);

    const dry = await runCli([...extra, '--root', work]);
    const report = `${[...dry.out, `exit: ${dry.code}`].join('\n')}\n`;
    assert.deepEqual(readTree(work), input, 'the dry run wrote something');

    const write = await runCli([...extra, '--root', work, '--write']);
    assert.equal(write.code, dry.code, 'write and dry run disagree on the exit code');
    const written = readTree(work);

    if (updatingFixtures) {
      writeFileSync(join(caseDir, 'report.txt'), report);
      rmSync(join(caseDir, 'expected'), { recursive: true, force: true });
      cpSync(work, join(caseDir, 'expected'), { recursive: true });
    }
    assert.equal(report, readFileSync(join(caseDir, 'report.txt'), 'utf8'), 'dry-run report');
    assert.deepEqual(written, readTree(join(caseDir, 'expected')), 'tree after --write');

    const again = await runCli([...extra, '--root', work, '--write']);
    assert.match(again.out.at(-1) ?? '', / 0 links rewritten in 0 files,/, 'a second --write changed something');
    assert.deepEqual(readTree(work), written, 'a second --write changed a file');

    const check = await runCli([...extra, '--root', work, '--check']);
    const unresolved = /, (\d+) unresolved/.exec(check.out.at(-1) ?? '')?.[1];
    assert.equal(check.code, unresolved === '0' ? 0 : 1, '--check exit code after --write');
    assert.deepEqual(readTree(work), written, '--check wrote something');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
