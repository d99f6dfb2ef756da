import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idleQueue, type IdleDeadlineLike } from '../../src/client-modules/idleQueue';

/** A fake idle scheduler: slices wait until `runSlice` is called, each with the given time left. */
function fakeIdle() {
  const pending: ((deadline: IdleDeadlineLike) => void)[] = [];
  return {
    schedule: (work: (deadline: IdleDeadlineLike) => void) => void pending.push(work),
    pendingSlices: () => pending.length,
    runSlice: (timeLeft: () => number) => pending.shift()!({ timeRemaining: timeLeft }),
  };
}

test('queued calls wait for an idle slice and then run in order', () => {
  const ran: string[] = [];
  const idle = fakeIdle();
  const queue = idleQueue((path: string) => void ran.push(path), idle.schedule);
  queue('/a');
  queue('/b');
  assert.deepEqual(ran, [], 'nothing runs in the caller’s task');
  assert.equal(idle.pendingSlices(), 1, 'one slice is asked for, not one per call');
  idle.runSlice(() => 40);
  assert.deepEqual(ran, ['/a', '/b']);
  assert.equal(idle.pendingSlices(), 0);
});

test('a slice stops when its time runs low and the rest waits for the next slice', () => {
  const ran: number[] = [];
  const idle = fakeIdle();
  const queue = idleQueue((n: number) => void ran.push(n), idle.schedule, 5);
  for (let n = 1; n <= 4; n++) queue(n);
  let left = 7;
  idle.runSlice(() => (left -= 2)); // 5 left after the first call: stop
  assert.deepEqual(ran, [1]);
  assert.equal(idle.pendingSlices(), 1);
  idle.runSlice(() => 0); // no time at all: still one call, so the queue always moves
  assert.deepEqual(ran, [1, 2]);
  idle.runSlice(() => 50);
  assert.deepEqual(ran, [1, 2, 3, 4]);
  queue(5);
  assert.equal(idle.pendingSlices(), 1, 'a call after the queue emptied asks for a new slice');
});
