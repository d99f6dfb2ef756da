// The environment guard: --env defaults to local, so forgetting it on a prod host would install the
// dev/local pair into prod's mounted key directory and re-sign prod's token with it. A run that writes
// this host's keys or token refuses when the mounted keys are, by fingerprint, another environment's
// pair in the store.
import { ToolError } from '../core/errors';
import { ENVIRONMENTS, type Env } from '../core/types';
import { shortFingerprint } from '../keys/fingerprint';
import type { RawPair } from '../keys/key-dir';
import { mustShare } from '../checks/policy';
import { envsHolding, readSnapshot, storedFingerprint, type StoreSnapshot } from '../checks/store-checks';
import type { KeyStore } from '../store/store';
import type { Context } from './context';

/**
 * The snapshot with every environment read: `known` (the run's own environments, already read) first,
 * the others only when needed to tell whose pair the mounted keys are.
 */
export function completeSnapshot(store: KeyStore, known: StoreSnapshot, mounted: RawPair | undefined): StoreSnapshot {
  const fingerprint = mounted ? storedFingerprint(mounted) : undefined;
  if (!fingerprint || envsHolding(known, fingerprint).length > 0) return known;
  const missing = ENVIRONMENTS.filter((env) => !known[env]);
  return { ...known, ...readSnapshot(store, missing) };
}

/** Throws 'wrong-env' when the mounted keys are the stored pair of an environment this run is not for. */
export function refuseOtherEnvironmentsKeys(ctx: Context, store: KeyStore, snapshot: StoreSnapshot, mounted: RawPair | undefined, mountedDisplay: string): void {
  const fingerprint = mounted ? storedFingerprint(mounted) : undefined;
  if (!fingerprint) return;
  const env = ctx.settings.env;
  const holders = envsHolding(snapshot, fingerprint);
  if (holders.length === 0 || holders.some((holder) => mustShare(holder, env))) return;
  const owner = holders[0] as Env;
  const asked = ctx.settings.envGiven ? `--env ${env}` : `--env ${env} (the default: --env was not given)`;
  throw new ToolError(
    'wrong-env',
    `${mountedDisplay}: holds ${store.describe(owner)}'s pair (fingerprint ${shortFingerprint(fingerprint)}…), but this run is for ${asked}; it would put ${env}'s keys on a ${owner} host and re-sign its token with them. Pass --env ${owner}. If this host really moves to ${env}, move its mounted keys away first. Nothing was changed.`,
  );
}
