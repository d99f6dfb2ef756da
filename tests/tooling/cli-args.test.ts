import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCommandLine } from '../../tooling/cli/args';
import { flagLabel, renderHelp } from '../../tooling/cli/help';
import { EXIT_CODES, MARKERS, OPTIONS, TOOL_VERSION, USAGE } from '../../tooling/options';
import { runTool } from './support/workspace';

const SPEC_FLAGS = [
  'dry-run', 'yes', 'verify-only', 'resign-token-only', 'publisher-cli-toml-path', 'private-key-path', 'public-key-path',
  'preserve-publisher-token', 'env', 'sync-mounted-keys', 'mounted-keys-dir', 'store', 'store-dir', 'server-url',
  'json', 'verbose', 'help', 'version', 'sync-only', 'restore-backup',
];

test('the flags the guides use exist with their documented defaults', () => {
  const names = OPTIONS.map((o) => o.name);
  for (const flag of SPEC_FLAGS) assert.ok(names.includes(flag), flag);
  const byName = Object.fromEntries(OPTIONS.map((o) => [o.name, o]));
  assert.equal(byName['publisher-cli-toml-path']?.default, './data/.config/spacetime/cli.toml');
  assert.equal(byName['mounted-keys-dir']?.default, '.generated/spacetimedb-keys');
  assert.equal(byName.env?.default, 'local');
  assert.deepEqual(byName.env?.choices, ['prod', 'test', 'dev', 'local']);
  assert.deepEqual(byName.env?.aliases, ['preserve-publisher-token-env']);
  assert.equal(byName.store?.default, 'file');
  assert.equal(byName['preserve-publisher-token']?.negatable, true);
  assert.equal(byName['sync-mounted-keys']?.negatable, true);
  assert.ok(EXIT_CODES.some((e) => e.code === 2) && MARKERS.some((m) => m.marker.startsWith('RESIGN_SUCCESS')));
});

test('--help is rendered from the option definitions: every flag, its negation, alias and default', async () => {
  const { stdout, code } = await runTool('/', ['--help']);
  assert.equal(code, 0);
  assert.equal(stdout, renderHelp());
  const flat = stdout.replace(/\s+/g, ' ');
  for (const option of OPTIONS) {
    assert.ok(stdout.includes(flagLabel(option)), option.name);
    if (typeof option.default === 'string') assert.ok(flat.includes(`(default: ${option.default})`), option.name);
    if (option.defaultDescription) assert.ok(flat.includes(`(default: ${option.defaultDescription})`), option.name);
  }
  assert.ok(stdout.includes('--no-preserve-publisher-token') && stdout.includes('--preserve-publisher-token-env ENV'));
  for (const line of USAGE.split('\n')) assert.ok(stdout.includes(line));
});

test('--version prints the version', async () => {
  const { stdout, code } = await runTool('/', ['--version']);
  assert.equal(code, 0);
  assert.equal(stdout, `spacetimedb-tooling ${TOOL_VERSION}\n`);
});

test('usage errors exit 2 with a one-line error and the mode\'s marker', async () => {
  const cases: [string[], RegExp, string][] = [
    [['--verify-only', '--resign-token-only'], /--verify-only and --resign-token-only are different modes/, 'VERIFY_FAILED usage'],
    [['--sync-only', '--restore-backup', 'x', '--yes'], /different modes/, 'SYNC_FAILED usage'],
    [['--dry-run', '--yes'], /--dry-run and --yes contradict/, 'DRY_RUN_FAILED usage'],
    [['--bogus'], /unknown flag --bogus/, 'ROTATION_FAILED usage'],
    [['--verify-only', 'extra'], /unexpected argument extra/, 'VERIFY_FAILED usage'],
    [[], /add --yes to go ahead, or --dry-run/, 'ROTATION_FAILED missing-yes'],
    [['--resign-token-only'], /rewrites the token.*add --yes/, 'RESIGN_FAILED missing-yes'],
    [['--env', 'staging', '--yes'], /--env: "staging" is not one of prod, test, dev, local/, 'ROTATION_FAILED usage'],
    [['--env', 'prod', '--preserve-publisher-token-env', 'test', '--yes'], /disagree/, 'ROTATION_FAILED usage'],
    [['--sync-mounted-keys', '--no-sync-mounted-keys', '--yes'], /contradict each other/, 'ROTATION_FAILED usage'],
    [['--resign-token-only', '--no-preserve-publisher-token', '--yes'], /contradict/, 'RESIGN_FAILED usage'],
    [['--store', 'azure', '--store-dir', 'x', '--yes'], /--store-dir applies to --store file only/, 'ROTATION_FAILED usage'],
    [['--private-key-path', 'k', '--yes'], /give both --private-key-path and --public-key-path/, 'ROTATION_FAILED usage'],
    [['--verify-only', '--server-url', 'ftp://x'], /must start with http/, 'VERIFY_FAILED usage'],
    [['--azure-vaults', 'prod=kv', '--store', 'azure', '--yes'], /not a valid Key Vault name/, 'ROTATION_FAILED usage'],
    [['--store-dir'], /--store-dir: needs a value/, 'ROTATION_FAILED usage'],
  ];
  for (const [args, message, marker] of cases) {
    const result = await runTool('/', args);
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, message, args.join(' '));
    assert.equal(result.stderr.trim().split('\n').length, 1, `one line for ${args.join(' ')}`);
    assert.equal(result.marker, marker, args.join(' '));
  }
});

test('with --json a usage error is still exactly one JSON object', async () => {
  const result = await runTool('/', ['--json', '--nope']);
  assert.equal(result.code, 2);
  assert.equal(result.json.ok, false);
  assert.equal(result.json.error.reason, 'usage');
  assert.equal(result.stderr, '');
});

test('the alias --preserve-publisher-token-env sets the environment; defaults resolve against the working directory', () => {
  const parsed = parseCommandLine(['--verify-only', '--preserve-publisher-token-env', 'prod'], '/srv/app');
  assert.equal(parsed.kind, 'run');
  if (parsed.kind !== 'run') return;
  assert.equal(parsed.settings.env, 'prod');
  assert.equal(parsed.settings.cliTomlPath, '/srv/app/data/.config/spacetime/cli.toml');
  assert.equal(parsed.settings.mountedDir, '/srv/app/.generated/spacetimedb-keys');
  assert.equal(parsed.settings.preserveToken, true);
  assert.equal(parsed.settings.syncMounted, true);
  assert.equal(parsed.settings.azureVaults.local, 'kv-local');
  const vaults = parseCommandLine(['--verify-only', '--store', 'azure', '--azure-vaults', 'prod=contoso-kv-prod'], '/');
  assert.ok(vaults.kind === 'run' && vaults.settings.azureVaults.prod === 'contoso-kv-prod' && vaults.settings.azureVaults.test === 'kv-test');
});
