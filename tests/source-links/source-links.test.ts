// SpacetimeDB source links in the docs: each cites the pinned tag, a line range, and a file under
// crates/ (facts/spacetimedb.json holds the pin). The real pages of every docs version, and a fixture
// page with one link of each wrong kind.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readPin } from '../../scripts/facts/pin';
import { checkSourceLinks } from '../../scripts/facts/source-links';
import { docsVersionFolders, markdownFiles } from '../doc-tests/discover';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const pin = readPin(repoRoot);

test('every SpacetimeDB link in every docs version cites the pinned tag, a line range and crates/', () => {
  const pages = docsVersionFolders(repoRoot).flatMap(({ dir }) => markdownFiles(dir));
  assert.ok(pages.length > 10, 'the docs pages were found');
  const problems = pages.flatMap((file) =>
    checkSourceLinks(readFileSync(file, 'utf8'), pin).map((problem) => `${relative(repoRoot, file)}:${problem.line}: ${problem.url}\n  ${problem.message}`),
  );
  assert.equal(problems.length, 0, `Fix these source links:\n${problems.join('\n')}`);
});

test('a wrong tag, a commit, a missing line range, a path outside crates/ and a bare repository link are refused with the fix', () => {
  const page = readFileSync(new URL('fixtures/links.md', import.meta.url), 'utf8');
  const problems = checkSourceLinks(page, pin);
  assert.deepEqual(
    problems.map((problem) => problem.line),
    [7, 8, 9, 10, 11, 12],
    'the two good citations (lines 5 and 6) and the other repository (line 13) pass',
  );
  const byLine = new Map(problems.map((problem) => [problem.line, problem.message]));
  assert.match(byLine.get(7)!, /cites ref v1\.12\.0, but the docs pin v2\.8\.3 .*use https:\/\/github\.com\/clockworklabs\/SpacetimeDB\/blob\/v2\.8\.3\/crates\/cli\/src\/main\.rs#L66/);
  assert.match(byLine.get(8)!, /cites commit 8e410d2842147bd8e5a32a9589cc00c19f7478e2, but the docs pin v2\.8\.3/);
  assert.match(byLine.get(9)!, /has no line range/);
  assert.match(byLine.get(10)!, /points outside crates\//);
  assert.match(byLine.get(11)!, /not a citation of a source file/);
  assert.match(byLine.get(12)!, /runs backwards: write #L59-L77/);
});
