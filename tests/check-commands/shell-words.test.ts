// The shell word splitter: the argv of every command a step runs, wherever bash would find it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { display, literal, parseScript } from '../../scripts/check-commands/shell-words';

/** Each command as its words (placeholders as {{NAME}}, expansions as written). */
const argvs = (script: string) => parseScript(script).commands.filter((command) => command.words.length).map((command) => command.words.map(display));

describe('shell words', () => {
  test('lists, pipes, subshells and groups', () => {
    assert.deepEqual(argvs('cd {{APP_DIR}} && ( set -o pipefail; spacetime publish db | tee log ) || { echo FAILED; false; }'), [
      ['cd', '{{APP_DIR}}'],
      ['set', '-o', 'pipefail'],
      ['spacetime', 'publish', 'db'],
      ['tee', 'log'],
      ['echo', 'FAILED'],
      ['false'],
    ]);
    const [first, second] = parseScript('curl -fsS x | sh -s -- --yes').commands;
    assert.equal(first!.pipeline, second!.pipeline);
    assert.deepEqual([first!.position, second!.position], [0, 1]);
  });

  test('command and process substitutions are commands too', () => {
    assert.deepEqual(argvs('owner=$(curl -fsS {{URL}}/v1/database/x | tr -d " ") && cmp -s <(openssl pkey -pubout) b && echo `date -u`'), [
      ['curl', '-fsS', '{{URL}}/v1/database/x'],
      ['tr', '-d', ' '],
      ['openssl', 'pkey', '-pubout'],
      ['cmp', '-s', '<(openssl pkey -pubout)', 'b'],
      ['date', '-u'],
      ['echo', '`date -u`'],
    ]);
  });

  test('quotes, escapes, line continuations and $\'...\' make one word each', () => {
    const [command] = parseScript(`spacetime publish \\\n  --server "http://{{HOST}}:3000" 'a b' $'\\r' x\\ y`).commands;
    assert.deepEqual(command!.words.map(display), ['spacetime', 'publish', '--server', 'http://{{HOST}}:3000', 'a b', '\r', 'x y']);
    assert.equal(literal(command!.words[4]!), 'a b');
    assert.equal(literal(command!.words[3]!), null, 'a placeholder is not literal text');
    assert.equal(command!.line, 1);
  });

  test('assignments, redirections and file descriptors are not argv words', () => {
    const [command] = parseScript('RUST_LOG=debug FOO="a b" spacetime start >out.log 2>&1 </dev/null').commands;
    assert.deepEqual(command!.assignments.map(display), ['RUST_LOG=debug', 'FOO=a b']);
    assert.deepEqual(command!.words.map(display), ['spacetime', 'start']);
  });

  test('here-documents: the body is kept with its command, not read as commands', () => {
    const parsed = parseScript("cat > unit <<EOF && echo WRITTEN\nExecStart=spacetime start\nEOF\ncat <<'RAW'\n$x\nRAW\nls");
    assert.deepEqual(
      parsed.commands.map((command) => command.words.map(display)),
      [['cat'], ['echo', 'WRITTEN'], ['cat'], ['ls']],
    );
    assert.deepEqual(parsed.commands[0]!.hereDocuments, [{ delimiter: 'EOF', quoted: false, body: 'ExecStart=spacetime start', line: 2 }]);
    assert.equal(parsed.commands[2]!.hereDocuments[0]!.quoted, true);
    assert.equal(parsed.commands[3]!.line, 7);
  });

  test('if, while, for, case and function definitions', () => {
    const script = [
      'failed() { echo "FAILED $1"; }',
      'for f in a $(ls); do if [ -f "$f" ]; then cat "$f"; elif true; then :; else failed x; fi; done',
      'until spacetime server ping "$url"; do sleep 1; tries=$((tries + 1)); done',
      'case "$code" in 204) echo OK;; 4*|5*) echo BAD;; *) echo OTHER;; esac',
      '[[ -n "$a" && -z "$b" ]] && echo both',
      '! kill -0 "$pid" # gone',
    ].join('\n');
    assert.deepEqual(argvs(script), [
      ['echo', 'FAILED $1'],
      ['ls'],
      ['[', '-f', '$f', ']'],
      ['cat', '$f'],
      ['true'],
      [':'],
      ['failed', 'x'],
      ['spacetime', 'server', 'ping', '$url'],
      ['sleep', '1'],
      ['echo', 'OK'],
      ['echo', 'BAD'],
      ['echo', 'OTHER'],
      ['[[', '-n', '$a', '&&', '-z', '$b', ']]'],
      ['echo', 'both'],
      ['kill', '-0', '$pid'],
    ]);
  });

  test('parameter expansions with spaces stay inside one word', () => {
    assert.deepEqual(argvs('echo "${marker:-PUBLISH_FAILED reason=none}" ${HOME}/x'), [['echo', '${marker:-PUBLISH_FAILED reason=none}', '${HOME}/x']]);
  });
});
