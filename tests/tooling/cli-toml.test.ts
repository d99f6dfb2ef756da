import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CliToml, CliTomlProblem } from '../../tooling/token/cli-toml';
import { cliTomlText } from './support/workspace';

const OLD = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
const NEW = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ5In0.bmV3LXNpZw';

/** Asserts that `after` is `before` with exactly one occurrence of OLD replaced by NEW. */
function assertOnlyTokenChanged(before: string, after: string): void {
  const at = before.indexOf(OLD);
  assert.ok(at >= 0);
  assert.equal(after, before.slice(0, at) + NEW + before.slice(at + OLD.length));
}

test('replaces the token and keeps comments, other keys, server configs and a tricky multi-line string', () => {
  const before = cliTomlText(OLD);
  const file = CliToml.parse(before);
  assert.equal(file.token, OLD);
  assert.equal(file.tokenQuoting, 'basic');
  assert.equal(file.serverConfigs().length, 2);
  assertOnlyTokenChanged(before, file.withToken(NEW));
});

test('keeps the quoting style: literal, multi-line basic and multi-line literal strings', () => {
  const cases: [string, string][] = [
    [`spacetimedb_token = '${OLD}'\n`, 'literal'],
    [`spacetimedb_token = """${OLD}"""\n`, 'multiline-basic'],
    [`spacetimedb_token = """\n${OLD}"""\n`, 'multiline-basic'],
    [`spacetimedb_token = '''${OLD}'''\n`, 'multiline-literal'],
    [`"spacetimedb_token" = "${OLD}"\n`, 'basic'],
    [`  spacetimedb_token\t=\t"${OLD}"# no space before the comment\n`, 'basic'],
  ];
  for (const [text, kind] of cases) {
    const before = `default_server = "local"\n${text}[[server_configs]]\nnickname = "local"\n`;
    const file = CliToml.parse(before);
    assert.equal(file.tokenQuoting, kind, text);
    assertOnlyTokenChanged(before, file.withToken(NEW));
  }
});

test('keeps CRLF line endings and a file without a final newline', () => {
  const crlf = `# c\r\ndefault_server = "local"\r\nspacetimedb_token = "${OLD}"\r\n`;
  assertOnlyTokenChanged(crlf, CliToml.parse(crlf).withToken(NEW));
  const bare = `spacetimedb_token = "${OLD}"`;
  assertOnlyTokenChanged(bare, CliToml.parse(bare).withToken(NEW));
});

test('finds the top-level token after arrays and inline tables that span lines', () => {
  const before = [
    'extra = [',
    '  "spacetimedb_token = not this one",  # comment with ] and "',
    "  'x',",
    ']',
    'inline = { spacetimedb_token = "nested, not top level" }',
    `spacetimedb_token = "${OLD}"`,
    '[other]',
    'spacetimedb_token = "a table key, not the top-level one"',
    '',
  ].join('\n');
  const file = CliToml.parse(before);
  assert.equal(file.token, OLD);
  assertOnlyTokenChanged(before, file.withToken(NEW));
});

test('a token written with escapes is still replaced, proven by parsing the result', () => {
  const escaped = OLD.replace('e', '\\u0065');
  const before = `spacetimedb_token = "${escaped}"\nother = 1\n`;
  const file = CliToml.parse(before);
  assert.equal(file.token, OLD);
  assert.equal(file.withToken(NEW), `spacetimedb_token = "${NEW}"\nother = 1\n`);
});

test('reports invalid TOML, a missing token and a non-string token', () => {
  assert.throws(() => CliToml.parse('spacetimedb_token = "unterminated\n'), (error: unknown) => error instanceof CliTomlProblem && /not valid TOML/.test(error.message));
  assert.match(CliToml.parse('default_server = "local"\n').tokenProblem() ?? '', /has no spacetimedb_token/);
  assert.match(CliToml.parse('spacetimedb_token = 42\n').tokenProblem() ?? '', /not a string/);
  assert.throws(() => CliToml.parse('default_server = "x"\n').withToken(NEW), /no spacetimedb_token string to replace/);
});

test('reads the saved ecdsa_public_key of each server', () => {
  const file = CliToml.parse('[[server_configs]]\nnickname = "prod"\nhost = "db.example.com:3000"\nprotocol = "https"\necdsa_public_key = """\n-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"""\n');
  const [server] = file.serverConfigs();
  assert.equal(server?.nickname, 'prod');
  assert.match(server?.ecdsaPublicKey ?? '', /BEGIN PUBLIC KEY/);
});
