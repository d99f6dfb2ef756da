import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { exportScript } from '../../src/runbook/script';
import { findPlaceholders, isSafeWord, quoteValueFor, shellQuote, singleQuote } from '../../src/runbook/shell';
import { renderCommand } from '../../src/runbook/values';
import { runBash, runbookFrom } from './helpers';

describe('findPlaceholders', () => {
  const contexts = (command: string) => findPlaceholders(command).map((use) => `${use.name}:${use.context}`);

  test('knows the quoting around each placeholder', () => {
    assert.deepEqual(contexts(`echo {{A}} "{{B}}" '{{C}}' "x $(basename {{D}}) y" # {{E}}`), [
      'A:plain',
      'B:double',
      'C:single',
      'D:plain',
      'E:comment',
    ]);
  });

  test('reads here-documents, quoted or not, and here-strings', () => {
    const command = ['cat > a <<EOF', 'x = "{{A}}"', 'EOF', "cat > b <<-'END'", '\t{{B}}', '\tEND', "cat <<<'{{C}}'", 'echo {{D}}'].join('\n');
    assert.deepEqual(contexts(command), ['A:heredoc', 'B:heredoc-literal', 'C:single', 'D:plain']);
  });

  test('finds placeholders where they cannot be supported', () => {
    assert.deepEqual(contexts("echo `x {{A}}` $'{{B}}' ${X:-{{C}}}"), ['A:backtick', 'B:ansi', 'C:parameter']);
  });

  test('ignores text that only looks like a placeholder', () => {
    assert.deepEqual(contexts("docker inspect -f '{{.State.Running}}' {{lower}} {{ SPACED }} ${X} $Y"), []);
  });

  test('does not treat # inside a word as a comment', () => {
    assert.deepEqual(contexts('echo a#{{A}} $#'), ['A:plain']);
  });

  test('records where single quotes start and end', () => {
    const [use] = findPlaceholders("echo '{{A}}/x'");
    assert.deepEqual(use?.quoted, { start: 6, end: 13 });
  });
});

describe('shell quoting', () => {
  test('leaves safe words alone and single-quotes everything else', () => {
    assert.equal(shellQuote('azvm-test.example.com'), 'azvm-test.example.com');
    assert.equal(shellQuote('/srv/data:rw,user@host=a+b'), '/srv/data:rw,user@host=a+b');
    assert.equal(shellQuote('a b; rm -rf ~'), "'a b; rm -rf ~'");
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.equal(shellQuote(''), "''");
    assert.equal(isSafeWord('~/x'), false);
    assert.equal(isSafeWord('$HOME'), false);
    assert.equal(singleQuote("''"), `''\\'''\\'''`);
  });

  test('quotes a value for each context', () => {
    assert.equal(quoteValueFor('plain', 'a b'), "'a b'");
    assert.equal(quoteValueFor('double', 'a b'), `"'a b'"`);
    assert.equal(quoteValueFor('double', 'safe'), 'safe');
    assert.equal(quoteValueFor('single', "it's"), `it'\\''s`);
    assert.equal(quoteValueFor('heredoc', 'a $b `c` \\d'), 'a \\$b \\`c\\` \\\\d');
  });
});

/**
 * The real test of quoting: bash must read exactly the value, in every context, both when the page
 * puts the value into the command and when the exported script refers to the variable.
 */
describe('hostile values reach bash as exactly one literal value', () => {
  const hostile = [
    'a b; rm -rf ~',
    '$(touch pwned)',
    '`touch pwned`',
    "it's",
    '"double"',
    `it's "both"`,
    '\\',
    '*',
    '~',
    '!',
    '$HOME ${IFS} $$',
    '-n',
    '"><img src=x onerror=alert(1)>',
    "'; touch pwned; '",
    'EOF',
    'héllo wörld',
    '   spaced   ',
  ];
  // Each probe prints what bash received between < and >.
  const probes = [
    "printf '<%s>' {{V}}",
    `printf '<%s>' "{{V}}"`,
    `printf '%s' "<{{V}}>"`,
    `printf '%s' '<{{V}}>'`,
    `printf '%s' '<'{{V}}'>'`,
    `printf '<%s>' "$(printf '%s' {{V}})"`,
    ['cat <<EOF', '<{{V}}>', 'EOF'].join('\n'),
  ];

  for (const value of hostile) {
    test(JSON.stringify(value), () => {
      const markdown = (command: string) =>
        ['::::runbook[Probe]{#probe}', '', '::var[Value]{name=V default=x}', '', ':::step[Probe]{#probe host=any runnable}', '```bash', command, '```', ':::', '', '::::', ''].join('\n');
      for (const probe of probes) {
        const runbook = runbookFrom(markdown(probe));
        const rendered = renderCommand(runbook.steps[0]!.command, runbook.variables, { V: value });
        assert.deepEqual(rendered.problems, []);
        let page = runBash(rendered.text, { inspect: (dir) => assert.ok(!existsSync(join(dir, 'pwned')), 'a value ran a command') });
        assert.equal(page.stdout.trimEnd(), `<${value}>`, `page, probe ${probe}`);
        const script = exportScript(runbook, { V: value });
        assert.deepEqual(script.problems, []);
        page = runBash(script.text, { inspect: (dir) => assert.ok(!existsSync(join(dir, 'pwned')), 'a value ran a command') });
        assert.equal(page.stdout.trimEnd(), `<${value}>`, `script, probe ${probe}: ${page.stderr}`);
      }
    });
  }

  test('a line break, refused as a value, would still be quoted safely', () => {
    const value = 'a\ntouch pwned';
    const run = runBash(`printf '<%s>' ${quoteValueFor('plain', value)}`, {
      inspect: (dir) => assert.ok(!existsSync(join(dir, 'pwned'))),
    });
    assert.equal(run.stdout, `<${value}>`);
  });
});
