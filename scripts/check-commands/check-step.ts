/**
 * One runbook step, judged statically: every command it runs is checked, and the step is
 * `checked` when each SpacetimeDB-facing command was validated against facts/ and everything else is
 * a recognised general-purpose tool; `unchecked` when it runs something the checker cannot judge
 * (docker, systemctl, az, an unknown program) or nothing SpacetimeDB-specific; `failed` when a
 * command is wrong. The doc tests count not-executed steps with this; `pnpm check:commands` reports it.
 */
import { testValues, type Runbook, type Step } from '../../src/runbook/model';
import { checkScript, type Facts, type Finding } from './check-command';

export type StaticStatus = 'checked' | 'unchecked' | 'failed';

export interface StepCheck {
  status: StaticStatus;
  /** Wrong commands, in the step or in a file it writes. */
  errors: Finding[];
  /** Why the step is not `checked` (empty when it is). */
  reasons: string[];
  /** What was validated, e.g. `spacetime publish`, `GET /v1/identity/public-key`, `spacetimedb-tooling`. */
  validated: string[];
}

export const NOTHING_TO_VALIDATE = 'runs no SpacetimeDB command: only general-purpose tools, which facts/ does not describe';

export function checkStep(runbook: Runbook, step: Step, facts: Facts): StepCheck {
  const findings = checkScript(step.command, { facts, values: testValues(runbook) });
  const errors = findings.filter((finding) => finding.kind === 'error');
  const own = findings.filter((finding) => finding.origin === 'step');
  const reasons = unique(own.filter((finding) => finding.kind === 'unchecked').map((finding) => finding.message));
  const validated = unique(own.filter((finding) => finding.kind === 'validated').map((finding) => finding.message));
  if (reasons.length === 0 && validated.length === 0) reasons.push(NOTHING_TO_VALIDATE);
  const status: StaticStatus = errors.length ? 'failed' : reasons.length ? 'unchecked' : 'checked';
  return { status, errors, reasons, validated };
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
