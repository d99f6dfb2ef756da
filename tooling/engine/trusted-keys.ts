// The keys an old token must verify against before the tool re-signs it. Re-signing turns a token into
// one the server accepts, so only a token one of our own servers issued may be re-signed:
// - the key the server on this host loads now (the mounted public key);
// - the key being signed with (a token it already verifies against gains nothing);
// - the store's keys of the environments this run works on;
// - every key this tool replaced or installed before, as saved in the trusted backups under
//   --backup-dir (the store's and the host's previous keys);
// - a public key given with --trusted-public-key (e.g. the source host's, after a data move).
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Env } from '../core/types';
import { readInput } from '../fs/safe-read';
import { fingerprintOfPublicKey } from '../keys/fingerprint';
import type { KeyDir, RawPair } from '../keys/key-dir';
import { loadPublicKey } from '../keys/keypair';
import { savedPublicKeys } from '../store/backup';
import type { KeyStore } from '../store/store';
import { show, type Context } from './context';

export interface TrustedKey {
  label: string;
  key: KeyObject;
  fingerprint: string;
}

export interface TrustSources {
  mounted?: KeyDir;
  signingKey?: { label: string; key: KeyObject };
  store?: { store: KeyStore; pairs: { env: Env; pair: RawPair }[] };
  backupRoot: string;
}

function fromPem(pem: Buffer | undefined, label: string): TrustedKey | undefined {
  if (!pem) return undefined;
  try {
    const key = createPublicKey(pem.toString('utf8'));
    if (key.asymmetricKeyType !== 'ec') return undefined;
    return { label, key, fingerprint: fingerprintOfPublicKey(key) };
  } catch {
    return undefined; // a key that does not load vouches for nothing
  }
}

function mountedKey(mounted: KeyDir | undefined): TrustedKey | undefined {
  if (!mounted) return undefined;
  try {
    return fromPem(mounted.readRaw().publicPem, `${mounted.display}/id_ecdsa.pub`);
  } catch {
    return undefined;
  }
}

/** The key given with --trusted-public-key: it must be a readable P-256 SPKI key, or the run stops. */
function givenKey(ctx: Context): TrustedKey | undefined {
  const path = ctx.settings.trustedPublicKeyPath;
  if (!path) return undefined;
  const display = show(ctx, path);
  const key = loadPublicKey(readInput(path, display, 'key', 'missing-key', 'Check --trusted-public-key.'), display);
  return { label: `${display} (--trusted-public-key)`, key, fingerprint: fingerprintOfPublicKey(key) };
}

export function trustedKeys(ctx: Context, sources: TrustSources): TrustedKey[] {
  const found: (TrustedKey | undefined)[] = [mountedKey(sources.mounted), givenKey(ctx)];
  if (sources.signingKey) {
    const { key, label } = sources.signingKey;
    found.push({ label, key, fingerprint: fingerprintOfPublicKey(key) });
  }
  for (const { env, pair } of sources.store?.pairs ?? []) found.push(fromPem(pair.publicPem, `${sources.store?.store.describe(env)} public key`));
  for (const saved of savedPublicKeys(sources.backupRoot, (path) => show(ctx, path))) found.push(fromPem(saved.pem, saved.label));
  const unique = new Map<string, TrustedKey>();
  for (const key of found) if (key && !unique.has(key.fingerprint)) unique.set(key.fingerprint, key);
  return [...unique.values()];
}

/** A short description of the trusted keys, for the message that refuses a token. */
export function describeTrusted(keys: readonly TrustedKey[]): string {
  if (keys.length === 0) return 'no key at all';
  const named = keys.filter((key) => !key.label.includes('/new/') && !/\d{8}T\d{6}Z/.test(key.label)).map((key) => key.label);
  const saved = keys.length - named.length;
  return [...named, ...(saved ? [`${saved} key${saved === 1 ? '' : 's'} saved in backups`] : [])].join(', ');
}
