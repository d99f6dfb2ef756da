// A key store keeps one keypair per environment.
import type { Env, StoreKind } from '../core/types';
import type { PemPair, RawPair } from '../keys/key-dir';

export interface KeyStore {
  readonly kind: StoreKind;
  /** Human description of where an environment's pair lives, e.g. "Azure Key Vault kv-prod". */
  describe(env: Env): string;
  /** Where the pair of this environment lives, recorded in backups: a directory or a vault name. */
  location(env: Env): string;
  /** The stored pair (either half may be missing); throws a ToolError when the store cannot be read. */
  read(env: Env): RawPair;
  /** Stores the pair. Crash points are named `<label>:<step>`. */
  write(env: Env, pair: PemPair, label: string, now: Date): void;
  /** Throws a ToolError when a write would fail (checked before anything is written). */
  preflightWrite(envs: readonly Env[]): void;
}

export function hasAny(pair: RawPair): boolean {
  return pair.privatePem !== undefined || pair.publicPem !== undefined;
}
