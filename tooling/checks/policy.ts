// Which environments share a keypair: prod and test each have their own; dev and local share one.
import type { Env } from '../core/types';
import { ENVIRONMENTS } from '../core/types';

/** The environments a rotation of `env` writes (the ones that must hold the same pair). */
export function envsSharingKeys(env: Env): Env[] {
  return env === 'dev' || env === 'local' ? ['dev', 'local'] : [env];
}

export function mustShare(a: Env, b: Env): boolean {
  return envsSharingKeys(a).includes(b);
}

export interface PolicyResult {
  ok: boolean;
  message: string;
}

/**
 * Checks fingerprints per environment against the policy. Environments without keys are left out of
 * the comparison, except that dev and local must both be present or both absent.
 */
export function checkPolicy(fingerprints: Partial<Record<Env, string>>): PolicyResult {
  const problems: string[] = [];
  const present = ENVIRONMENTS.filter((env) => fingerprints[env] !== undefined);
  for (let i = 0; i < ENVIRONMENTS.length; i++) {
    for (let j = i + 1; j < ENVIRONMENTS.length; j++) {
      const a = ENVIRONMENTS[i] as Env;
      const b = ENVIRONMENTS[j] as Env;
      const fa = fingerprints[a];
      const fb = fingerprints[b];
      if (mustShare(a, b)) {
        if ((fa === undefined) !== (fb === undefined)) {
          problems.push(`${fa === undefined ? a : b} has no keypair but ${fa === undefined ? b : a} has; dev and local must share one (rotate --env dev to write both)`);
        } else if (fa !== undefined && fa !== fb) {
          problems.push(`${a} and ${b} hold different keypairs; they must share one (rotate --env dev to write both)`);
        }
      } else if (fa !== undefined && fa === fb) {
        problems.push(`${a} and ${b} hold the same keypair; each must have its own (rotate --env ${a === 'prod' ? b : a})`);
      }
    }
  }
  if (problems.length > 0) return { ok: false, message: problems.join('; ') };
  if (present.length === 0) return { ok: true, message: 'the store holds no keypairs yet; nothing to compare' };
  return { ok: true, message: `prod, test and dev/local keep separate keypairs (present: ${present.join(', ')})` };
}
