import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRunbookError } from '../../src/runbook/errors';
import { parseRunbooks } from '../../src/runbook/markdown/parse';
import { fixtures, record } from './fixtures';
import { updatingFixtures } from '../support/update-fixtures';

/** `parseRunbooks` on every fixture: the expected runbooks, or the expected error, exactly. */
for (const fixture of fixtures()) {
  test(`parseRunbooks: ${fixture.name}`, () => {
    let result: { runbooks: unknown } | { error: string };
    try {
      result = { runbooks: parseRunbooks(fixture.input, 'input.md') };
    } catch (error) {
      assert.ok(isRunbookError(error), `unexpected ${String(error)}`);
      result = { error: error.message };
    }
    if (updatingFixtures || !fixture.expected) {
      record(fixture, result);
      if (!updatingFixtures) assert.fail(`${fixture.name} had no expected file; one was written from this run: review it`);
      return;
    }
    if (fixture.expected.kind === 'error') {
      assert.ok('error' in result, `${fixture.name} parsed without the expected error`);
      assert.equal(result.error, fixture.expected.message);
    } else {
      assert.ok('runbooks' in result, `${fixture.name} failed: ${'error' in result ? result.error : ''}`);
      assert.deepEqual(result.runbooks, JSON.parse(fixture.expected.json));
    }
  });
}
