// Names and shapes every layer of the tool shares. This is the bottom of the import graph: it imports
// nothing, so keys, token, store and check code never depend on the command-line layer.

export const TOOL_NAME = 'spacetimedb-tooling';
export const TOOL_VERSION = '0.1.0';

/** The environments a key store holds a pair for; `local` is the default of `--env`. */
export const ENVIRONMENTS = ['prod', 'test', 'dev', 'local'] as const;
export type Env = (typeof ENVIRONMENTS)[number];

export type Mode = 'rotate' | 'verify' | 'resign' | 'sync' | 'restore';
export type StoreKind = 'file' | 'azure';

/** One line of a verification: what was checked and what was found. */
export interface Check {
  name: string;
  ok: boolean;
  message: string;
  /** Not applicable here (ok stays true) or not checkable because something it needs failed. */
  skipped?: boolean;
}

/** What a run learnt about the publisher's token (never the token itself). */
export interface TokenSummary {
  path: string;
  iss?: string;
  sub?: string;
  /** Identity computed from iss and sub (64 hex). */
  identity?: string;
  hexIdentity?: string;
  signatureValid?: boolean;
  iat?: number;
  quoting?: string;
}
