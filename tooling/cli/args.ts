// The command line, parsed with node:util parseArgs from the definitions in options.ts, into Settings.
import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors';
import { resolveFrom } from '../core/io';
import { safeUrl } from '../core/redact';
import { ENVIRONMENTS, type Env, type Mode, type StoreKind } from '../core/types';
import { OPTIONS, optionByName } from '../options';

export interface Settings {
  mode: Mode;
  dryRun: boolean;
  yes: boolean;
  env: Env;
  /** True when --env (or its alias) was given. */
  envGiven: boolean;
  cliTomlPath: string;
  privateKeyPath: string | undefined;
  publicKeyPath: string | undefined;
  preserveToken: boolean;
  syncMounted: boolean;
  mountedDir: string;
  followSymlinks: boolean;
  store: StoreKind;
  storeDir: string;
  azureVaults: Record<Env, string>;
  backupDir: string;
  serverUrl: string | undefined;
  restoreFrom: string | undefined;
  /** --trusted-public-key: one more key the old token may verify against. */
  trustedPublicKeyPath: string | undefined;
  /** --resign-unverified-token: re-sign a token no trusted key verifies (reported loudly). */
  resignUnverified: boolean;
  json: boolean;
  verbose: boolean;
}

export type Parsed = { kind: 'help'; json: boolean } | { kind: 'version'; json: boolean } | { kind: 'run'; settings: Settings };

const MODE_FLAGS: Record<string, Mode> = {
  'verify-only': 'verify',
  'resign-token-only': 'resign',
  'sync-only': 'sync',
  'restore-backup': 'restore',
};

/** The mode the arguments ask for, read leniently (for the marker line of a usage error). */
export function guessMode(argv: readonly string[]): Mode {
  for (const arg of argv) {
    const name = arg.replace(/^--/, '').split('=')[0] ?? '';
    if (MODE_FLAGS[name]) return MODE_FLAGS[name];
  }
  return 'rotate';
}

export function wantsJson(argv: readonly string[]): boolean {
  return argv.includes('--json');
}

function stringDefault(name: string): string {
  const value = optionByName(name).default;
  if (typeof value !== 'string') throw new Error(`option ${name} has no string default`);
  return value;
}

function parseVaultMap(text: string, base?: Record<Env, string>): Record<Env, string> {
  const vaults = { ...(base ?? ({} as Record<Env, string>)) };
  for (const pair of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [env, name, extra] = pair.split('=').map((part) => part.trim());
    if (!env || !name || extra !== undefined || !(ENVIRONMENTS as readonly string[]).includes(env)) {
      throw new UsageError(`--azure-vaults: "${pair}" is not ENV=NAME with ENV one of ${ENVIRONMENTS.join(', ')}`);
    }
    if (!/^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/.test(name)) {
      throw new UsageError(`--azure-vaults: "${name}" is not a valid Key Vault name (3-24 letters, digits and hyphens, starting with a letter)`);
    }
    vaults[env as Env] = name;
  }
  return vaults;
}

type ParseArgsOptions = Record<string, { type: 'boolean' | 'string'; short?: string }>;

function parseArgsConfig(): ParseArgsOptions {
  const config: ParseArgsOptions = {};
  for (const option of OPTIONS) {
    config[option.name] = { type: option.type, ...(option.short ? { short: option.short } : {}) };
    if (option.negatable) config[`no-${option.name}`] = { type: 'boolean' };
    for (const alias of option.aliases ?? []) config[alias] = { type: option.type };
  }
  return config;
}

function rewordParseError(error: unknown): UsageError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const flag = /'([^']+)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`unknown flag ${flag ?? ''}; see --help for the flags`.replace('  ', ' '));
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return new UsageError(`unexpected argument ${flag ?? ''}; every option is a --flag (see --help)`.replace('  ', ' '));
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = /--([a-z-]+)/.exec(message)?.[1];
    return new UsageError(name ? `--${name}: ${/argument missing/.test(message) ? 'needs a value' : 'takes no value'}` : message.split('\n')[0] ?? message);
  }
  return new UsageError(message.split('\n')[0] ?? message);
}

type Values = Record<string, string | boolean | undefined>;

/** Typed access to the parsed values, with the checks every flag of a kind shares. */
class Flags {
  constructor(readonly values: Values) {}

  given(name: string): boolean {
    return this.values[name] !== undefined && this.values[name] !== false;
  }

  flag(name: string): boolean {
    return this.values[name] === true;
  }

  text(name: string): string | undefined {
    const value = this.values[name];
    if (typeof value !== 'string') return undefined;
    if (value.trim() === '') throw new UsageError(`--${name} needs a non-empty value`);
    return value;
  }

  negatable(name: string): boolean {
    if (this.flag(name) && this.flag(`no-${name}`)) throw new UsageError(`--${name} and --no-${name} contradict each other; give one`);
    if (this.flag(`no-${name}`)) return false;
    if (this.flag(name)) return true;
    return optionByName(name).default === true;
  }
}

function readValues(argv: readonly string[]): Values {
  try {
    return (parseArgs({ args: [...argv], options: parseArgsConfig(), strict: true, allowPositionals: false }) as { values: Values }).values;
  } catch (error) {
    throw rewordParseError(error);
  }
}

function parseMode(flags: Flags): Mode {
  const modes = Object.keys(MODE_FLAGS).filter((name) => flags.given(name));
  if (modes.length > 1) throw new UsageError(`${modes.map((m) => `--${m}`).join(' and ')} are different modes; choose one`);
  return modes[0] ? (MODE_FLAGS[modes[0]] as Mode) : 'rotate';
}

function parseEnv(flags: Flags, mode: Mode): { env: Env; envGiven: boolean } {
  const envValue = flags.text('env');
  const aliasValue = flags.text('preserve-publisher-token-env');
  if (envValue && aliasValue && envValue !== aliasValue) {
    throw new UsageError(`--env ${envValue} and --preserve-publisher-token-env ${aliasValue} disagree; give one`);
  }
  const envText = envValue ?? aliasValue ?? stringDefault('env');
  if (!(ENVIRONMENTS as readonly string[]).includes(envText)) throw new UsageError(`--env: "${envText}" is not one of ${ENVIRONMENTS.join(', ')}`);
  const envGiven = envValue !== undefined || aliasValue !== undefined;
  if (mode === 'restore' && envGiven) throw new UsageError('--env does not apply to --restore-backup: the backup records which environment it holds');
  return { env: envText as Env, envGiven };
}

function parseStore(flags: Flags): { store: StoreKind; azureVaults: Record<Env, string> } {
  const storeText = flags.text('store') ?? stringDefault('store');
  if (storeText !== 'file' && storeText !== 'azure') throw new UsageError(`--store: "${storeText}" is not one of file, azure`);
  if (storeText === 'azure' && flags.values['store-dir'] !== undefined) throw new UsageError('--store-dir applies to --store file only');
  if (storeText === 'file' && flags.values['azure-vaults'] !== undefined) throw new UsageError('--azure-vaults applies to --store azure only');
  return { store: storeText, azureVaults: parseVaultMap(flags.text('azure-vaults') ?? '', parseVaultMap(stringDefault('azure-vaults'))) };
}

function parseServerUrl(flags: Flags): string | undefined {
  const text = flags.text('server-url');
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--server-url: "${safeUrl(text)}" is not a URL (e.g. http://127.0.0.1:3000)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--server-url: "${safeUrl(text)}" must start with http:// or https://`);
  if (url.username || url.password) {
    throw new UsageError('--server-url: a user name or password in the URL is not supported (the checks need none, and the tool never prints credentials); give the URL without them');
  }
  return url.href.replace(/\/+$/, '');
}

function parseKeyPaths(flags: Flags, mode: Mode): { privateKey: string | undefined; publicKey: string | undefined } {
  const privateKey = flags.text('private-key-path');
  const publicKey = flags.text('public-key-path');
  if (mode === 'rotate' && (privateKey === undefined) !== (publicKey === undefined)) {
    throw new UsageError('a rotation installs a pair: give both --private-key-path and --public-key-path, or neither to generate one');
  }
  if ((mode === 'sync' || mode === 'restore') && (privateKey !== undefined || publicKey !== undefined)) {
    throw new UsageError(`--private-key-path and --public-key-path do not apply to --${mode === 'sync' ? 'sync-only' : 'restore-backup'}`);
  }
  return { privateKey, publicKey };
}

/** The token and mounted-key switches, and the flags that only make sense when the token is re-signed. */
function parseTokenFlags(flags: Flags, mode: Mode): { preserveToken: boolean; syncMounted: boolean; trusted: string | undefined; unverified: boolean } {
  const preserveToken = flags.negatable('preserve-publisher-token');
  const syncMounted = flags.negatable('sync-mounted-keys');
  if (mode === 'resign' && !preserveToken) throw new UsageError('--resign-token-only and --no-preserve-publisher-token contradict each other');
  if (mode === 'sync' && !syncMounted) throw new UsageError('--sync-only and --no-sync-mounted-keys contradict each other');
  const trusted = flags.text('trusted-public-key');
  const unverified = flags.flag('resign-unverified-token');
  const resigns = mode === 'resign' || (mode === 'rotate' && preserveToken);
  for (const [name, given] of [['trusted-public-key', trusted !== undefined], ['resign-unverified-token', unverified]] as const) {
    if (given && !resigns) throw new UsageError(`--${name} applies only where the token is re-signed: a rotation (without --no-preserve-publisher-token) or --resign-token-only`);
  }
  return { preserveToken, syncMounted, trusted, unverified };
}

function requireYes(mode: Mode, dryRun: boolean, yes: boolean): void {
  if (mode === 'verify' || dryRun || yes) return;
  const what = {
    rotate: 'rotates the keys (store, mounted directory and cli.toml)',
    resign: 'rewrites the token in cli.toml',
    sync: 'replaces the mounted keys',
    restore: 'puts the backup back',
  }[mode];
  throw new UsageError(`this run ${what}: add --yes to go ahead, or --dry-run to see what it would change`, 'missing-yes');
}

export function parseCommandLine(argv: readonly string[], cwd: string): Parsed {
  const flags = new Flags(readValues(argv));
  if (flags.flag('help')) return { kind: 'help', json: flags.flag('json') };
  if (flags.flag('version')) return { kind: 'version', json: flags.flag('json') };
  const mode = parseMode(flags);
  const yes = flags.flag('yes');
  if (flags.flag('dry-run') && yes) throw new UsageError('--dry-run and --yes contradict each other; give one');
  // Verification never writes, so a dry run of it is simply a verification.
  const dryRun = flags.flag('dry-run') && mode !== 'verify';
  const { env, envGiven } = parseEnv(flags, mode);
  const { store, azureVaults } = parseStore(flags);
  const token = parseTokenFlags(flags, mode);
  const serverUrl = parseServerUrl(flags);
  const keys = parseKeyPaths(flags, mode);
  const restoreFrom = flags.text('restore-backup');
  const path = (name: string): string => resolveFrom(cwd, flags.text(name) ?? stringDefault(name));
  const optionalPath = (value: string | undefined): string | undefined => (value === undefined ? undefined : resolveFrom(cwd, value));
  requireYes(mode, dryRun, yes);
  const settings: Settings = {
    mode,
    dryRun,
    yes,
    env,
    envGiven,
    cliTomlPath: path('publisher-cli-toml-path'),
    privateKeyPath: optionalPath(keys.privateKey),
    publicKeyPath: optionalPath(keys.publicKey),
    preserveToken: token.preserveToken,
    syncMounted: token.syncMounted,
    mountedDir: path('mounted-keys-dir'),
    followSymlinks: flags.flag('follow-symlinks'),
    store,
    storeDir: path('store-dir'),
    azureVaults,
    backupDir: path('backup-dir'),
    serverUrl,
    restoreFrom: optionalPath(restoreFrom),
    trustedPublicKeyPath: optionalPath(token.trusted),
    resignUnverified: token.unverified,
    json: flags.flag('json'),
    verbose: flags.flag('verbose'),
  };
  return { kind: 'run', settings };
}
