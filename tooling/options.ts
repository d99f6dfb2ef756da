// The command line of spacetimedb-tooling, as plain data.
//
// `--help` (tooling/cli/help.ts) and the generated CLI reference page (scripts/generate-cli-docs.ts)
// both render from these definitions, so a flag exists in exactly one place. Nothing in this file
// may import Node modules or have side effects: the docs generator imports it as-is.

export interface OptionSpec {
  /** Long flag without dashes, e.g. 'private-key-path'. */
  name: string;
  type: 'boolean' | 'string';
  /** For string options, the placeholder shown in help, e.g. 'FILE', 'DIR', 'URL', 'ENV'. */
  valueName?: string;
  /** Default value, shown in --help and the reference. */
  default?: string | boolean;
  /** When the default is not a fixed value (it depends on another flag), how to describe it. */
  defaultDescription?: string;
  choices?: readonly string[];
  /** true => a --no-<name> form exists. */
  negatable?: boolean;
  /** Other long names for the same option. */
  aliases?: readonly string[];
  short?: string;
  /** The modes the flag applies to (every mode when absent); shown in --help and the reference. */
  appliesTo?: readonly Mode[];
  /** Heading in --help. */
  group: string;
  /** One or two sentences, plain text. */
  description: string;
}

import { ENVIRONMENTS, TOOL_NAME, TOOL_VERSION, type Mode } from './core/types';

export { TOOL_NAME, TOOL_VERSION };

/** How each mode is named where flags say which modes they apply to. */
export const MODE_LABELS: Readonly<Record<Mode, string>> = {
  rotate: 'rotation',
  verify: '--verify-only',
  resign: '--resign-token-only',
  sync: '--sync-only',
  restore: '--restore-backup',
};

const WRITING: readonly Mode[] = ['rotate', 'resign', 'sync', 'restore'];

export const GROUPS = ['Modes', 'Keys', 'Publisher token', 'Key store', 'Server', 'Output'] as const;

export const OPTIONS: readonly OptionSpec[] = [
  // Modes
  {
    name: 'dry-run',
    type: 'boolean',
    default: false,
    appliesTo: WRITING,
    group: 'Modes',
    description:
      'Run every pre-flight check and print what the chosen mode would change, without writing anything. Cannot be combined with --yes.',
  },
  {
    name: 'yes',
    type: 'boolean',
    default: false,
    appliesTo: WRITING,
    group: 'Modes',
    description:
      'Allow this run to write. Rotation, --resign-token-only, --sync-only and --restore-backup refuse to change anything without it.',
  },
  {
    name: 'verify-only',
    type: 'boolean',
    default: false,
    group: 'Modes',
    description:
      'Check the keys, the policy across environments and the cached publisher token (and the server, with --server-url). Never writes.',
  },
  {
    name: 'resign-token-only',
    type: 'boolean',
    default: false,
    group: 'Modes',
    description:
      'Re-sign the publisher token in cli.toml with the private key, keeping every claim and so the identity. Needs --yes.',
  },
  {
    name: 'sync-only',
    type: 'boolean',
    default: false,
    group: 'Modes',
    description:
      "Copy the environment's keypair from the key store into the mounted key directory without generating a new one. Needs --yes.",
  },
  {
    name: 'restore-backup',
    type: 'string',
    valueName: 'DIR',
    group: 'Modes',
    description:
      'Put back the keys and cli.toml saved in a backup directory written by an earlier run (the current state is backed up first). Needs --yes.',
  },
  // Keys
  {
    name: 'env',
    type: 'string',
    valueName: 'ENV',
    default: 'local',
    choices: ENVIRONMENTS,
    aliases: ['preserve-publisher-token-env'],
    appliesTo: ['rotate', 'verify', 'sync'],
    group: 'Keys',
    description:
      'Environment whose keys are rotated, synced or verified. It defaults to local: on a prod or test host, always pass it. prod and test each have their own keypair; dev and local share one. A run that would put another environment\'s keys on this host (its mounted keys are another environment\'s pair in the store) is refused.',
  },
  {
    name: 'private-key-path',
    type: 'string',
    valueName: 'FILE',
    defaultDescription: 'id_ecdsa in --mounted-keys-dir',
    appliesTo: ['rotate', 'verify', 'resign'],
    group: 'Keys',
    description:
      'Private key (PKCS#8 PEM) to verify or to re-sign with. During a rotation, together with --public-key-path: install this pair instead of generating one.',
  },
  {
    name: 'public-key-path',
    type: 'string',
    valueName: 'FILE',
    defaultDescription: 'id_ecdsa.pub in --mounted-keys-dir',
    appliesTo: ['rotate', 'verify', 'resign'],
    group: 'Keys',
    description: 'Public key (SPKI PEM) to verify against. During a rotation, the public half of the pair to install.',
  },
  {
    name: 'sync-mounted-keys',
    type: 'boolean',
    default: true,
    negatable: true,
    appliesTo: ['rotate'],
    group: 'Keys',
    description:
      "After writing the store, install the new pair in this host's mounted key directory (an atomic switch, never a mixed pair).",
  },
  {
    name: 'mounted-keys-dir',
    type: 'string',
    valueName: 'DIR',
    default: '.generated/spacetimedb-keys',
    group: 'Keys',
    description: 'Directory the server container mounts its keys from (id_ecdsa and id_ecdsa.pub).',
  },
  {
    name: 'follow-symlinks',
    type: 'boolean',
    default: false,
    appliesTo: WRITING,
    group: 'Keys',
    description:
      'When --mounted-keys-dir, --store-dir, --backup-dir or --publisher-cli-toml-path is a symlink, or has one anywhere on its path, work on the real location instead of refusing.',
  },
  // Publisher token
  {
    name: 'publisher-cli-toml-path',
    type: 'string',
    valueName: 'FILE',
    default: './data/.config/spacetime/cli.toml',
    appliesTo: ['rotate', 'verify', 'resign', 'restore'],
    group: 'Publisher token',
    description: "The spacetime CLI's cli.toml that caches the publisher token (spacetimedb_token).",
  },
  {
    name: 'preserve-publisher-token',
    type: 'boolean',
    default: true,
    negatable: true,
    appliesTo: ['rotate', 'verify'],
    group: 'Publisher token',
    description:
      'During a rotation, re-sign the cached publisher token with the new key so its identity keeps owning its databases. --no-preserve-publisher-token leaves cli.toml alone.',
  },
  {
    name: 'trusted-public-key',
    type: 'string',
    valueName: 'FILE',
    appliesTo: ['rotate', 'resign'],
    group: 'Publisher token',
    description:
      "Also trust this public key (SPKI PEM) to have signed the token in cli.toml, e.g. the source host's id_ecdsa.pub after a data move. Without it, a token is re-signed only when it verifies against the mounted key, the store's key or a key saved in a backup.",
  },
  {
    name: 'resign-unverified-token',
    type: 'boolean',
    default: false,
    appliesTo: ['rotate', 'resign'],
    group: 'Publisher token',
    description:
      'Re-sign the token even when no trusted key verifies it (or it is not ES256): it becomes a valid token for its iss and sub. The report then says so in capitals. Use it only for a token whose origin you know.',
  },
  // Key store
  {
    name: 'store',
    type: 'string',
    valueName: 'STORE',
    default: 'file',
    choices: ['file', 'azure'],
    appliesTo: ['rotate', 'verify', 'sync', 'restore'],
    group: 'Key store',
    description: 'Where the keypair of each environment is kept: a local directory, or Azure Key Vault through the az CLI.',
  },
  {
    name: 'store-dir',
    type: 'string',
    valueName: 'DIR',
    default: '.generated/spacetimedb-key-store',
    appliesTo: ['rotate', 'verify', 'sync', 'restore'],
    group: 'Key store',
    description: 'Directory of the file store: one subdirectory per environment (prod, test, dev, local).',
  },
  {
    name: 'azure-vaults',
    type: 'string',
    valueName: 'MAP',
    default: 'prod=kv-prod,test=kv-test,dev=kv-dev,local=kv-local',
    appliesTo: ['rotate', 'verify', 'sync', 'restore'],
    group: 'Key store',
    description:
      'Key Vault name per environment for --store azure, as ENV=NAME pairs separated by commas; environments left out keep their default.',
  },
  {
    name: 'backup-dir',
    type: 'string',
    valueName: 'DIR',
    default: '.generated/spacetimedb-key-backups',
    group: 'Key store',
    description:
      'Where each writing run saves the keys and cli.toml it is about to replace, in a new timestamped directory (mode 0700).',
  },
  // Server
  {
    name: 'server-url',
    type: 'string',
    valueName: 'URL',
    appliesTo: ['verify', 'resign'],
    group: 'Server',
    description:
      "Base URL of the running server (e.g. http://127.0.0.1:3000). Verification then checks the server's public key and that it accepts the token.",
  },
  // Output
  {
    name: 'json',
    type: 'boolean',
    default: false,
    group: 'Output',
    description: 'Print exactly one JSON object on stdout instead of the human report (also for --help and --version).',
  },
  {
    name: 'verbose',
    type: 'boolean',
    default: false,
    group: 'Output',
    description: 'Print more detail to stderr (paths, fingerprints, commands run). Never prints a private key or a whole token.',
  },
  {
    name: 'help',
    type: 'boolean',
    short: 'h',
    group: 'Output',
    description: 'Print this help and exit.',
  },
  {
    name: 'version',
    type: 'boolean',
    group: 'Output',
    description: 'Print the version and exit.',
  },
];

export const EXIT_CODES: readonly { code: number; meaning: string }[] = [
  { code: 0, meaning: 'Success: every check passed and every requested change was made.' },
  { code: 1, meaning: 'A check failed (verification, or the checks run after a change). The report names each failed check.' },
  { code: 2, meaning: 'Usage error: unknown flag, bad value, conflicting modes, or a writing run without --yes. Nothing was changed.' },
  {
    code: 3,
    meaning:
      'Input or state error found before writing: a missing, unreadable, malformed or unwritable file, a refused symlink, a path other users can write, a backup or journal this tool does not trust, a token no trusted key verifies, mounted keys of another environment, another run busy with the same place, an az failure, or an interrupted rotation. Nothing was changed.',
  },
  {
    code: 4,
    meaning:
      'A write failed after changes had begun. The backup directory named in the report holds the previous state; run the same command again to finish, or --restore-backup to go back.',
  },
];

export const MARKERS: readonly { marker: string; meaning: string }[] = [
  { marker: 'VERIFY_SUCCESS', meaning: 'Every verification check passed.' },
  { marker: 'VERIFY_FAILED failed=<names>', meaning: 'At least one check failed; <names> lists them, separated by commas.' },
  { marker: 'ROTATION_SUCCESS', meaning: 'New keys are in the store (and the mounted directory and cli.toml, unless opted out) and verify.' },
  { marker: 'ROTATION_FAILED <reason>', meaning: 'The rotation did not complete; <reason> is a short code such as bad-cli-toml or missing-yes.' },
  { marker: 'RESIGN_SUCCESS identity=<hex>', meaning: 'The token was re-signed and its identity, printed here, is unchanged.' },
  { marker: 'RESIGN_FAILED <reason>', meaning: 'The token was not re-signed (or its checks failed afterwards).' },
  { marker: 'SYNC_SUCCESS', meaning: "The mounted key directory holds the store's pair for the environment." },
  { marker: 'SYNC_FAILED <reason>', meaning: 'The mounted key directory was not refreshed.' },
  { marker: 'RESTORE_SUCCESS', meaning: 'The backup was put back and verifies.' },
  {
    marker: 'RESTORE_FAILED <reason>',
    meaning:
      'The backup was not (fully) restored, or (reason checks-failed) its files are back but fail the checks run afterwards, e.g. a restored token that the current keys do not verify.',
  },
  { marker: 'DRY_RUN_SUCCESS mode=<mode>', meaning: 'A --dry-run found nothing that would stop the chosen mode.' },
  { marker: 'DRY_RUN_FAILED <reason>', meaning: 'A --dry-run found a problem that would stop the chosen mode.' },
];

export const USAGE = [
  `${TOOL_NAME} (--dry-run | --yes) [--env ENV] [options]                  rotate the keys of ENV`,
  `${TOOL_NAME} --verify-only [--env ENV] [--server-url URL] [options]    check keys, policy and token`,
  `${TOOL_NAME} --resign-token-only (--dry-run | --yes) [options]         re-sign the cached token`,
  `${TOOL_NAME} --sync-only (--dry-run | --yes) [--env ENV] [options]     refresh mounted keys from the store`,
  `${TOOL_NAME} --restore-backup DIR (--dry-run | --yes) [options]        put a backup back`,
].join('\n');

/** Looks up an option by its long name; throws for a name that is not defined (a programming error). */
export function optionByName(name: string): OptionSpec {
  const spec = OPTIONS.find((option) => option.name === name);
  if (!spec) throw new Error(`no option named ${name}`);
  return spec;
}
