// The command line, parsed with node:util parseArgs from the definitions in options.ts, into Settings.
import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors';
import { resolveFrom } from '../core/io';
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
  json: boolean;
  verbose: boolean;
}

export type Parsed = { kind: 'help' } | { kind: 'version' } | { kind: 'run'; settings: Settings };

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

export function parseVaultMap(text: string, base?: Record<Env, string>): Record<Env, string> {
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

export function parseCommandLine(argv: readonly string[], cwd: string): Parsed {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: parseArgsConfig(), strict: true, allowPositionals: false }) as {
      values: Record<string, string | boolean | undefined>;
    });
  } catch (error) {
    throw rewordParseError(error);
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const flag = (name: string): boolean => values[name] === true;
  const text = (name: string): string | undefined => {
    const value = values[name];
    if (typeof value !== 'string') return undefined;
    if (value.trim() === '') throw new UsageError(`--${name} needs a non-empty value`);
    return value;
  };
  const negatable = (name: string): boolean => {
    if (flag(name) && flag(`no-${name}`)) throw new UsageError(`--${name} and --no-${name} contradict each other; give one`);
    if (flag(`no-${name}`)) return false;
    if (flag(name)) return true;
    return optionByName(name).default === true;
  };

  const modes = Object.keys(MODE_FLAGS).filter((name) => values[name] !== undefined && values[name] !== false);
  if (modes.length > 1) throw new UsageError(`${modes.map((m) => `--${m}`).join(' and ')} are different modes; choose one`);
  const mode: Mode = modes[0] ? (MODE_FLAGS[modes[0]] as Mode) : 'rotate';

  const yes = flag('yes');
  if (flag('dry-run') && yes) throw new UsageError('--dry-run and --yes contradict each other; give one');
  // Verification never writes, so a dry run of it is simply a verification.
  const dryRun = flag('dry-run') && mode !== 'verify';

  const envValue = text('env');
  const aliasValue = text('preserve-publisher-token-env');
  if (envValue && aliasValue && envValue !== aliasValue) {
    throw new UsageError(`--env ${envValue} and --preserve-publisher-token-env ${aliasValue} disagree; give one`);
  }
  const envText = envValue ?? aliasValue ?? stringDefault('env');
  if (!(ENVIRONMENTS as readonly string[]).includes(envText)) {
    throw new UsageError(`--env: "${envText}" is not one of ${ENVIRONMENTS.join(', ')}`);
  }

  const storeText = text('store') ?? stringDefault('store');
  if (storeText !== 'file' && storeText !== 'azure') throw new UsageError(`--store: "${storeText}" is not one of file, azure`);
  if (storeText === 'azure' && values['store-dir'] !== undefined) throw new UsageError('--store-dir applies to --store file only');
  if (storeText === 'file' && values['azure-vaults'] !== undefined) throw new UsageError('--azure-vaults applies to --store azure only');
  const azureVaults = parseVaultMap(text('azure-vaults') ?? '', parseVaultMap(stringDefault('azure-vaults')));

  const preserveToken = negatable('preserve-publisher-token');
  const syncMounted = negatable('sync-mounted-keys');
  if (mode === 'resign' && !preserveToken) {
    throw new UsageError('--resign-token-only and --no-preserve-publisher-token contradict each other');
  }
  if (mode === 'sync' && !syncMounted) throw new UsageError('--sync-only and --no-sync-mounted-keys contradict each other');

  let serverUrl = text('server-url');
  if (serverUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(serverUrl);
    } catch {
      throw new UsageError(`--server-url: "${serverUrl}" is not a URL (e.g. http://127.0.0.1:3000)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--server-url: "${serverUrl}" must start with http:// or https://`);
    serverUrl = url.href.replace(/\/+$/, '');
  }

  const privateKey = text('private-key-path');
  const publicKey = text('public-key-path');
  if (mode === 'rotate' && (privateKey === undefined) !== (publicKey === undefined)) {
    throw new UsageError('a rotation installs a pair: give both --private-key-path and --public-key-path, or neither to generate one');
  }
  if ((mode === 'sync' || mode === 'restore') && (privateKey !== undefined || publicKey !== undefined)) {
    throw new UsageError(`--private-key-path and --public-key-path do not apply to --${mode === 'sync' ? 'sync-only' : 'restore-backup'}`);
  }

  const restoreFrom = text('restore-backup');
  if (mode === 'restore' && (envValue !== undefined || aliasValue !== undefined)) {
    throw new UsageError('--env does not apply to --restore-backup: the backup records which environment it holds');
  }
  const settings: Settings = {
    mode,
    dryRun,
    yes,
    env: envText as Env,
    envGiven: envValue !== undefined || aliasValue !== undefined,
    cliTomlPath: resolveFrom(cwd, text('publisher-cli-toml-path') ?? stringDefault('publisher-cli-toml-path')),
    privateKeyPath: privateKey === undefined ? undefined : resolveFrom(cwd, privateKey),
    publicKeyPath: publicKey === undefined ? undefined : resolveFrom(cwd, publicKey),
    preserveToken,
    syncMounted,
    mountedDir: resolveFrom(cwd, text('mounted-keys-dir') ?? stringDefault('mounted-keys-dir')),
    followSymlinks: flag('follow-symlinks'),
    store: storeText,
    storeDir: resolveFrom(cwd, text('store-dir') ?? stringDefault('store-dir')),
    azureVaults,
    backupDir: resolveFrom(cwd, text('backup-dir') ?? stringDefault('backup-dir')),
    serverUrl,
    restoreFrom: restoreFrom === undefined ? undefined : resolveFrom(cwd, restoreFrom),
    json: flag('json'),
    verbose: flag('verbose'),
  };
  if (mode !== 'verify' && !dryRun && !yes) {
    const what = {
      rotate: 'rotates the keys (store, mounted directory and cli.toml)',
      resign: 'rewrites the token in cli.toml',
      sync: 'replaces the mounted keys',
      restore: 'puts the backup back',
      verify: '',
    }[mode];
    throw new UsageError(`this run ${what}: add --yes to go ahead, or --dry-run to see what it would change`, 'missing-yes');
  }
  return { kind: 'run', settings };
}
