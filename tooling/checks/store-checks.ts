// Checks of the key store: the policy across environments, that every stored pair is whole (both
// halves present and belonging together), and that the keys under test are the store's pair for --env.
import { createPublicKey } from 'node:crypto';
import { ENVIRONMENTS, type Check, type Env } from '../core/types';
import { ToolError } from '../core/errors';
import { fingerprintOfPublicKey, shortFingerprint } from '../keys/fingerprint';
import { NO_PAIR, type RawPair } from '../keys/key-dir';
import { Keypair } from '../keys/keypair';
import type { KeyStore } from '../store/store';
import { blocked, fail, pass, skipped } from './check';
import { checkPolicy } from './policy';

/** The fingerprint of each half of a stored pair that loads (the private key's is of its public half). */
function pairFingerprints(pair: RawPair): { public?: string; private?: string } {
  const of = (pem: Buffer | undefined): string | undefined => {
    if (!pem) return undefined;
    try {
      // createPublicKey also accepts a private key PEM and returns its public half.
      return fingerprintOfPublicKey(createPublicKey(pem.toString('utf8')));
    } catch {
      return undefined;
    }
  };
  return { public: of(pair.publicPem), private: of(pair.privatePem) };
}

/** Fingerprint of a stored pair: of its public key, else of the private key's public half. */
export function storedFingerprint(pair: RawPair): string | undefined {
  const both = pairFingerprints(pair);
  return both.public ?? both.private;
}

/** Why a stored pair is not whole (a half missing, a bad format, or halves of different keys), or undefined. */
function storedPairProblem(pair: RawPair, where: string): string | undefined {
  if (!pair.privatePem && !pair.publicPem) return undefined;
  if (!pair.privatePem || !pair.publicPem) return `${where} holds only its ${pair.privatePem ? 'private' : 'public'} key`;
  try {
    Keypair.parse(pair.privatePem, pair.publicPem, `${where} private key`, `${where} public key`);
    return undefined;
  } catch (error) {
    if (error instanceof ToolError && error.reason === 'mismatched-pair') {
      return `${where} holds a public key that does not belong to its private key (halves of two pairs, as after an interrupted write)`;
    }
    return error instanceof ToolError ? error.message : String(error);
  }
}

/** Every environment's pair, read once. */
export type StoreSnapshot = Partial<Record<Env, RawPair>>;

export function readSnapshot(store: KeyStore, envs: readonly Env[] = ENVIRONMENTS): StoreSnapshot {
  const snapshot: StoreSnapshot = {};
  for (const env of envs) snapshot[env] = store.read(env);
  return snapshot;
}

/** The environments whose stored pair (either half) has this fingerprint. */
export function envsHolding(snapshot: StoreSnapshot, fingerprint: string): Env[] {
  return ENVIRONMENTS.filter((env) => {
    const pair = snapshot[env];
    if (!pair) return false;
    const both = pairFingerprints(pair);
    return both.public === fingerprint || both.private === fingerprint;
  });
}

function integrityCheck(store: KeyStore, snapshot: StoreSnapshot): Check {
  const present = ENVIRONMENTS.filter((env) => snapshot[env]?.privatePem || snapshot[env]?.publicPem);
  const problems = present.flatMap((env) => {
    const problem = storedPairProblem(snapshot[env] as RawPair, store.describe(env));
    return problem ? [`${problem}; rotate it to write a whole pair (--env ${env} --yes)`] : [];
  });
  if (problems.length > 0) return fail('store-integrity', problems.join('; '));
  if (present.length === 0) return pass('store-integrity', 'the store holds no keypairs yet');
  return pass('store-integrity', `every stored pair is whole: both halves present and belonging together (${present.join(', ')})`);
}

function storePairCheck(store: KeyStore, snapshot: StoreSnapshot, env: Env, fingerprint: string | null): Check {
  const where = store.describe(env);
  const stored = pairFingerprints(snapshot[env] ?? NO_PAIR);
  if (!stored.public && !stored.private) return skipped('store-pair', `${where} holds no keypair for ${env}`);
  if (fingerprint === null) return blocked('store-pair', 'the keys under test could not be loaded');
  if (stored.public === fingerprint && stored.private === fingerprint) return pass('store-pair', `the keys match ${where} (both halves)`);
  if (stored.public !== stored.private) {
    return fail('store-pair', `${where} holds a private key and a public key of different pairs; rotate ${env} to write a whole pair (--env ${env} --yes)`);
  }
  const other = envsHolding(snapshot, fingerprint).filter((candidate) => candidate !== env);
  if (other.length > 0) {
    return fail('store-pair', `the keys under test are ${store.describe(other[0] as Env)}'s pair, not ${env}'s: this host belongs to ${other.join('/')}; pass --env ${other[0]} (the default is local)`);
  }
  return fail(
    'store-pair',
    `the keys (${shortFingerprint(fingerprint)}…) differ from ${where} (${shortFingerprint(stored.public ?? stored.private ?? '')}…); refresh them with --sync-only --env ${env} --yes`,
  );
}

/** policy, store-integrity and store-pair; a store that cannot be read fails them all. */
export function storeChecks(store: KeyStore | undefined, skipReason: string | undefined, env: Env, fingerprint: string | null): Check[] {
  if (!store) return [skipped('policy', skipReason ?? 'no key store')];
  let snapshot: StoreSnapshot;
  try {
    snapshot = readSnapshot(store);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [fail('policy', message), blocked('store-integrity', 'the store could not be read'), blocked('store-pair', 'the store could not be read')];
  }
  const fingerprints: Partial<Record<Env, string>> = {};
  for (const env of ENVIRONMENTS) {
    const fp = storedFingerprint(snapshot[env] ?? NO_PAIR);
    if (fp) fingerprints[env] = fp;
  }
  const unreadable = ENVIRONMENTS.filter((e) => (snapshot[e]?.privatePem || snapshot[e]?.publicPem) && !fingerprints[e]).map((e) => `${store.describe(e)} holds no readable key`);
  const policy = checkPolicy(fingerprints);
  const policyMessage = [policy.message, ...unreadable].join('; ');
  return [
    policy.ok && unreadable.length === 0 ? pass('policy', policyMessage) : fail('policy', policyMessage),
    integrityCheck(store, snapshot),
    storePairCheck(store, snapshot, env, fingerprint),
  ];
}
