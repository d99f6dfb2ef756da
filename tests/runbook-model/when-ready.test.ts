// A runbook control used before the stored values and progress are loaded does nothing and says so.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STILL_LOADING, whenReady } from '../../src/components/Runbook/whenReady';

test('before the stored values are in, a control only announces that they are loading', () => {
  const ran: string[] = [];
  const said: string[] = [];
  const copy = whenReady(false, (message) => said.push(message), (step: string) => void ran.push(step));
  copy('publish');
  assert.deepEqual(ran, [], 'the action (a copy of the default values) did not run');
  assert.deepEqual(said, [STILL_LOADING]);
  assert.match(STILL_LOADING, /still loading, so nothing was done/);
});

test('once they are in, the action runs with its arguments and nothing is announced', () => {
  const ran: string[] = [];
  const said: string[] = [];
  whenReady(true, (message) => said.push(message), (step: string) => void ran.push(step))('publish');
  assert.deepEqual(ran, ['publish']);
  assert.deepEqual(said, []);
});
