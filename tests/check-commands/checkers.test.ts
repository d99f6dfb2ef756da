// The checkers behind pnpm check:commands, one command line at a time: the spacetime CLI as clap reads
// it, curl requests against the route table, spacetimedb-tooling against its own option table, and the
// wrappers the checker looks through.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseCliFacts } from '../../scripts/facts/cli-facts';
import { checkScript, loadFacts, type FindingKind } from '../../scripts/check-commands/check-command';

const facts = loadFacts(fileURLToPath(new URL('../..', import.meta.url)));

/** `kind: message` for every finding that is not a recognised general-purpose tool. */
function check(script: string, values: Record<string, string> = {}): string[] {
  return checkScript(script, { facts, values })
    .filter((finding) => finding.kind !== 'recognised')
    .map((finding) => `${finding.kind}: ${finding.message.replace(/ \(https:\/\/github\.com\/[^)]*\)$/, '')}`);
}

const kinds = (script: string): FindingKind[] => checkScript(script, { facts, values: {} }).map((finding) => finding.kind);

describe('spacetime invocations', () => {
  test('the commands the guides use are valid', () => {
    for (const command of [
      'spacetime --config-path ./cli.toml login show --token',
      'spacetime --config-path ./cli.toml publish --server http://x:3000 --bin-path m.wasm --yes my-db',
      'spacetime publish --yes=migrate,break-clients --delete-data=on-conflict my-db',
      'spacetime --root-dir=/srv/stdb version install 2.8.3 --use --yes',
      'spacetime version use 2.8.3',
      'spacetime start --listen-addr 127.0.0.1:3000 --pg-port 5432 --jwt-priv-key-path a --jwt-pub-key-path b',
      'spacetime server fingerprint http://x:3000 -y',
      'spacetime logout',
      'spacetime help publish',
      'spacetime --version',
    ]) {
      assert.deepEqual(kinds(command), ['validated'], command);
    }
  });

  test('--yes takes its value only with =, so the next word is the database', () => {
    assert.deepEqual(check('spacetime publish --yes my-db'), ['validated: spacetime publish']);
    assert.deepEqual(check('spacetime publish --yes my-db other'), [
      'error: `spacetime publish` takes at most 1 positional argument (<NAME_OR_IDENTITY>), got also "other"',
    ]);
    assert.deepEqual(check('spacetime publish --yes=sure my-db'), [
      'error: `spacetime publish`: --yes does not take "sure"; valid: all, remote, migrate, break-clients, skip-login, delete-data',
    ]);
    assert.deepEqual(check('spacetime publish --yes=migrat my-db'), ['error: `spacetime publish`: --yes does not take "migrat"; did you mean migrate?']);
  });

  test('subcommands, required arguments, requires and conflicts', () => {
    assert.deepEqual(check('spacetime login shwo'), ['error: `spacetime login` has no subcommand "shwo"; did you mean show?']);
    assert.deepEqual(check('spacetime server'), ['error: `spacetime server` needs a subcommand: list, set-default, add, remove, fingerprint, ping, edit, clear']);
    assert.deepEqual(check('spacetime rename my-db'), ['error: `spacetime rename` needs --to']);
    assert.deepEqual(check('spacetime describe my-db'), ['error: `spacetime describe` needs --json']);
    assert.deepEqual(check('spacetime logs --level-exact my-db'), ['error: `spacetime logs`: --level-exact needs --level as well']);
    assert.deepEqual(check('spacetime publish -b m.wasm --module-path . db'), ['error: `spacetime publish`: --bin-path and --module-path cannot be used together']);
    assert.deepEqual(check('spacetime login --token t show'), ['error: `spacetime login`: its options cannot be given together with the subcommand show']);
    assert.deepEqual(check('spacetime logs -f -n 10 -x db'), ['error: `spacetime logs` has no option -x; valid: -s, -n, -f, -l, -y, -h']);
  });

  test('spacetime start hands its arguments to spacetimedb-standalone start, which the CLI gives --data-dir', () => {
    assert.deepEqual(check('spacetime start --pg-port 80'), ['error: `spacetimedb-standalone start`: --pg-port takes a number from 1024 to 65534, got "80"']);
    assert.deepEqual(check('spacetime start --listen-adr 0.0.0.0:3000'), [
      'error: `spacetimedb-standalone start` has no option --listen-adr; did you mean --listen-addr?',
    ]);
    assert.deepEqual(check('spacetimedb-standalone start'), ['error: `spacetimedb-standalone start` needs --data-dir']);
    assert.deepEqual(check('spacetime start --edition cloud --anything'), [
      'unchecked: `spacetime start --edition cloud` starts a program not described in facts/spacetime-cli.json',
    ]);
  });

  test('the install script passes its arguments to spacetime-install', () => {
    assert.deepEqual(check("sudo -u stdb sh -c 'curl -sSf https://install.spacetimedb.com | sh -s -- --root-dir /stdb --yes'"), [
      'validated: spacetime-install (run by the install script)',
    ]);
    assert.deepEqual(check('curl -sSf https://install.spacetimedb.com | sh -s -- --root /stdb'), [
      'error: `spacetime-install` has no option --root; did you mean --root-dir?',
    ]);
  });
});

describe('curl requests', () => {
  test('method and path, with placeholders and expansions as wildcards', () => {
    assert.deepEqual(check('curl -fsS -X POST {{SERVER_URL}}/v1/identity'), ['validated: POST /v1/identity']);
    assert.deepEqual(check('curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer $t" {{SERVER_URL}}/v1/identity/"$id"/verify'), [
      'validated: GET /v1/identity/$id/verify',
    ]);
    assert.deepEqual(check("curl --data 'SELECT 1' http://127.0.0.1:3000/v1/database/{{DB}}/sql?x=1"), ['validated: POST /v1/database/{{DB}}/sql']);
    assert.deepEqual(check('curl -I https://{{DOMAIN}}/v1/ping'), ['validated: HEAD /v1/ping']);
  });

  test('an unknown path names the nearest route, a wrong method the methods the path answers', () => {
    assert.deepEqual(check('curl {{SERVER_URL}}/v1/identities'), ['error: GET /v1/identities: no such route on a SpacetimeDB server; nearest: POST /v1/identity']);
    assert.deepEqual(check('curl -X DELETE {{SERVER_URL}}/v1/identity/public-key'), [
      'error: DELETE /v1/identity/public-key: the server answers this path with GET only',
    ]);
  });

  test('URLs that are not a SpacetimeDB API stay unchecked', () => {
    assert.deepEqual(check('curl -fsS https://example.com/file'), ['unchecked: curl to example.com, which is not a SpacetimeDB server']);
    assert.deepEqual(check('curl -fsS "$url"'), ['unchecked: the URL $url is built at run time']);
    assert.deepEqual(check('curl --frobnicate {{URL}}/v1/ping'), [
      "unchecked: curl option --frobnicate is not in the checker's list of curl options (scripts/check-commands/http-request.ts)",
    ]);
  });
});

describe('spacetimedb-tooling', () => {
  const where = ' (flags: tooling/options.ts, or spacetimedb-tooling --help)';
  test('flags, values and choices from tooling/options.ts', () => {
    assert.deepEqual(check('spacetimedb-tooling --verify-only --no-preserve-publisher-token --env=prod'), ['validated: spacetimedb-tooling']);
    assert.deepEqual(check('spacetimedb-tooling --resign-token-only --dryrun'), [`error: spacetimedb-tooling: has no option --dryrun; did you mean --dry-run?${where}`]);
    assert.deepEqual(check('spacetimedb-tooling --verify-only --store vault'), [`error: spacetimedb-tooling: --store does not take "vault"; valid: file, azure${where}`]);
    assert.deepEqual(check('spacetimedb-tooling --verify-only --json=yes'), [`error: spacetimedb-tooling: --json takes no value${where}`]);
    assert.deepEqual(check('spacetimedb-tooling --verify-only --no-json'), [`error: spacetimedb-tooling: has no option --no-json: --json has no --no- form; leave it out instead${where}`]);
  });

  test("the tool's own parser judges the whole line, with the runbook's test values", () => {
    assert.deepEqual(check('spacetimedb-tooling --sync-only --env {{ENV}}', { ENV: 'dev' }), [
      `error: spacetimedb-tooling: refuses these arguments (with the runbook's test values): this run replaces the mounted keys: add --yes to go ahead, or --dry-run to see what it would change${where}`,
    ]);
    assert.deepEqual(check('spacetimedb-tooling --sync-only --yes --env "$ENV"'), ['validated: spacetimedb-tooling'], 'an expansion: only the flags are checked');
  });
});

describe('wrappers and files', () => {
  test('ssh, sudo, env and docker exec are looked through; docker itself stays unchecked', () => {
    assert.deepEqual(check("ssh -p 2222 host 'cd x && spacetimedb-tooling --verify-onli'"), [
      `error: spacetimedb-tooling: has no option --verify-onli; did you mean --verify-only? (flags: tooling/options.ts, or spacetimedb-tooling --help)`,
    ]);
    assert.deepEqual(check('sudo -E env RUST_LOG=debug spacetime server ping local'), ['validated: spacetime server ping']);
    assert.deepEqual(check("bash -euo pipefail -c 'spacetime server ping local | cat'"), ['validated: spacetime server ping']);
    assert.deepEqual(check('docker compose -f c.yaml exec -T spacetimedb spacetime server ping local'), [
      'unchecked: docker compose exec: a container runtime command, which facts/ does not describe',
      'validated: spacetime server ping',
    ]);
    assert.deepEqual(check('sudo systemctl restart spacetimedb'), ['unchecked: systemctl: a systemd command, which facts/ does not describe']);
  });

  test('a shell script or a systemd unit written by a here-document is checked as a file the step writes', () => {
    const findings = checkScript("cat > e.sh <<'EOF'\n#!/bin/sh\nspacetime publsh db\nEOF\ncat > u <<EOF\nExecStart=/srv/spacetime start --pg-prot 5432\nEOF", {
      facts,
      values: {},
    }).filter((finding) => finding.kind === 'error');
    assert.deepEqual(
      findings.map((finding) => [finding.origin, finding.line]),
      [
        ['file', 3],
        ['file', 6],
      ],
    );
    assert.match(findings[0]!.message, /no subcommand "publsh"; did you mean publish\?/);
    assert.match(findings[1]!.message, /no option --pg-prot; did you mean --pg-port\?/);
  });
});

describe('facts/spacetime-cli.json', () => {
  test('a mistake in the file is reported with its place', () => {
    assert.throws(
      () => parseCliFacts({ programs: { spacetime: { source: 'crates/cli/src/main.rs#L1-L2', options: [{ long: 'x', value: 'maybe' }] } } }),
      /facts\/spacetime-cli\.json: programs\.spacetime\.options\[0\]\.value must be none, required or optional/,
    );
    assert.throws(
      () => parseCliFacts({ programs: { spacetime: { source: 'src/main.rs' } } }),
      /programs\.spacetime\.source "src\/main\.rs" must be crates\/<path>#L<a> or #L<a>-L<b>/,
    );
    assert.throws(
      () => parseCliFacts({ programs: { spacetime: { source: 'crates/a.rs#L1', colour: 'red' } } }),
      /programs\.spacetime: unknown field colour/,
    );
  });
});
