// Building blocks of a check result.
import type { Check } from '../core/types';

export function pass(name: string, message: string): Check {
  return { name, ok: true, message };
}

export function fail(name: string, message: string): Check {
  return { name, ok: false, message };
}

/** A check that could not run because something it needs failed (reported as failed). */
export function blocked(name: string, why: string): Check {
  return { name, ok: false, skipped: true, message: `not checked: ${why}` };
}

/** A check that does not apply here (reported as passed). */
export function skipped(name: string, why: string): Check {
  return { name, ok: true, skipped: true, message: why };
}
