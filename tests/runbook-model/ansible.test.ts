import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { carriedVariables, commandForPlaybook, exportPlaybook, playbookFileName } from '../../src/runbook/ansible';
import { parseRunbooks } from '../../src/runbook/markdown/parse';
import { renderCommand } from '../../src/runbook/values';
import { fixtures } from './fixtures';
import { updatingFixtures } from '../support/update-fixtures';
import { runbookFrom } from './helpers';
import { requireAnsible, runPlaybookLocally } from './ansible-run';

const root = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'runbook-playbook-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let scratchCount = 0;
function freshDir(): string {
  const dir = join(scratch, String(++scratchCount));
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('golden playbooks: fixtures/<case>/<runbook>.ansible.yml (UPDATE_FIXTURES=1 rewrites them)', () => {
  for (const fixture of fixtures().filter((candidate) => candidate.expected?.kind === 'runbooks')) {
    for (const runbook of parseRunbooks(fixture.input, `${fixture.name}/input.md`)) {
      const file = join(fixture.dir, playbookFileName(runbook.id));
      test(`${fixture.name}/${playbookFileName(runbook.id)}`, () => {
        const playbook = exportPlaybook(runbook, { source: 'https://docs.example/page' });
        if (updatingFixtures) writeFileSync(file, playbook);
        assert.ok(existsSync(file), `${file} is missing: run UPDATE_FIXTURES=1 pnpm test:unit tests/runbook-model`);
        assert.equal(playbook, readFileSync(file, 'utf8'));
      });
    }
  }

  test('every golden playbook passes ansible-playbook --syntax-check', () => {
    requireAnsible();
    const files = fixtures().flatMap((fixture) =>
      readdirSync(fixture.dir).filter((name) => name.endsWith('.ansible.yml')).map((name) => join(fixture.dir, name)),
    );
    assert.ok(files.length >= 5);
    const check = spawnSync('ansible-playbook', ['--syntax-check', '-i', 'localhost,', ...files], {
      encoding: 'utf8',
      env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: '0', HOME: scratch },
    });
    assert.equal(check.status, 0, check.stdout + check.stderr);
  });
});

describe('commandForPlaybook: the page quoting rules, in Jinja', () => {
  test('a bare word, inside "..." and inside \'...\'', () => {
    assert.equal(commandForPlaybook('scp a {{HOST}}:/srv/'), 'scp a {{ HOST | quote }}:/srv/');
    assert.equal(commandForPlaybook('echo "to {{HOST}} now"'), 'echo "to "{{ HOST | quote }}" now"');
    assert.equal(commandForPlaybook("ssh x 'ls {{DIR}}/data'"), "ssh x 'ls '{{ DIR | quote }}'/data'");
    assert.equal(commandForPlaybook("echo '{{DIR}}'"), 'echo {{ DIR | quote }}');
  });

  test('a here-document body escapes what the shell expands there; a comment keeps the value on its line', () => {
    assert.equal(
      commandForPlaybook('cat <<EOF\nhost = {{HOST}}\nEOF'),
      'cat <<EOF\nhost = {{ HOST | regex_replace(runbook_heredoc_special, runbook_heredoc_escape) }}\nEOF',
    );
    assert.equal(commandForPlaybook('true # {{HOST}}'), "true # {{ HOST | regex_replace(runbook_control_characters, ' ') }}");
  });

  test('shell text Jinja would read is kept as it is, in {% raw %}', () => {
    assert.equal(commandForPlaybook('echo ${#X} {{A}}'), '{% raw %}echo ${#X} {% endraw %}{{ A | quote }}');
    assert.equal(commandForPlaybook("docker inspect -f '{{.State.Running}}' x"), "{% raw %}docker inspect -f '{{.State.Running}}' x{% endraw %}");
    assert.equal(commandForPlaybook('echo {{{A}}}'), '{% raw %}echo {{% endraw %}{{ A | quote }}}');
  });
});

describe('carriedVariables: shell variables a later step on the same host reads', () => {
  const steps = runbookFrom(`
::::runbook[Carry]{#carry}

:::step[Set]{#set host=server runnable}
\`\`\`bash
ARCHIVE=/tmp/a.tgz && for f in x y; do echo "$f"; done
\`\`\`
:::

:::step[Elsewhere]{#elsewhere host=source runnable}
\`\`\`bash
echo "$ARCHIVE"
\`\`\`
:::

:::step[Read]{#read host=server runnable}
\`\`\`bash
tar -tzf "$ARCHIVE"; for f in z; do echo "$f"; done; echo '$ARCHIVE'
\`\`\`
:::

::::
`).steps;

  test('keeps a variable for the later step that reads it before setting it, on the same group only', () => {
    assert.deepEqual(carriedVariables(steps), [
      { keeps: ['ARCHIVE'], takes: [] },
      { keeps: [], takes: [] },
      { keeps: [], takes: ['ARCHIVE'] },
    ]);
  });
});

// A runbook that exercises what a reader of the playbook relies on. Values reach the commands in every
// quoting context; the last step is destructive.
const exercise = runbookFrom(`
::::runbook[Exercise the playbook]{#exercise}

::var[Where to write]{name=OUT default=out.txt pattern="[A-Za-z0-9._/-]+"}
::var[Any text]{name=WORD default=hello}
::var[A secret]{name=TOKEN secret}

:::step[Hidden setup]{#setup setup}
\`\`\`bash
echo setup-ran > {{OUT}}
\`\`\`
:::

:::step[Write]{#write host=server runnable success="WROTE"}
\`\`\`bash
printf '%s\\n' {{WORD}} "{{WORD}}" 'x{{WORD}}x' > {{OUT}} # {{WORD}}
cat >> {{OUT}} <<EOF && echo WROTE
{{WORD}}
EOF
LINES=$(wc -l < {{OUT}})
\`\`\`
:::

:::step[Count]{#count host=server runnable success="LINES 4"}
\`\`\`bash
echo "LINES $LINES"
\`\`\`
:::

:::step[Delete]{#delete host=server runnable destructive dry-run=count failure="TOKEN_REFUSED"}
\`\`\`bash
rm {{OUT}}
if [ {{TOKEN}} = bad ]; then echo TOKEN_REFUSED; else echo DELETED; fi
\`\`\`
:::

::::
`);
const exercisePlaybook = exportPlaybook(exercise);
const hostile = `a b; touch pwned $(touch pwned2) \`touch pwned3\` "x' \\ $HOME %{x} *`;

describe('an exported playbook runs as the runbook says', () => {
  test('secrets have no default and never reach the file', () => {
    assert.doesNotMatch(exercisePlaybook, /^ {4}TOKEN:/m);
    const withSecretDefault = exportPlaybook({ ...exercise, variables: exercise.variables.map((variable) => ({ ...variable, default: variable.secret ? 'SECRET-VALUE' : variable.default })) });
    assert.doesNotMatch(withSecretDefault, /SECRET-VALUE/);
    assert.match(exercisePlaybook, /^ {6}no_log: true$/m);
  });

  test('a hostile value reaches each command as one word and nothing in it runs', () => {
    requireAnsible();
    const dir = freshDir();
    const run = runPlaybookLocally(dir, exercisePlaybook, { extraVars: { WORD: hostile, TOKEN: 'good' } });
    assert.notEqual(run.status, 0, run.output);
    assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), `${hostile}\n${hostile}\nx${hostile}x\n${hostile}\n`);
    for (const name of ['pwned', 'pwned2', 'pwned3']) assert.equal(existsSync(join(dir, name)), false, `${name} was created`);
    // The steps before the destructive one ran and passed, with the variable carried between them.
    assert.match(run.output, /Step 1 \(Write\) passed on localhost/);
    assert.match(run.output, /Step 2 \(Count\) passed on localhost/);
    assert.match(run.output, /"LINES 4"/);
    // Without -e confirm=yes the run stops before the destructive step, naming it and its dry run.
    assert.match(
      run.output,
      /Stopped before Step 3 \(Delete\): it is destructive\. Its dry run is step 2 \(Count\): read what it showed, then run the playbook again with -e confirm=yes\./,
    );
    assert.ok(existsSync(join(dir, 'out.txt')));
  });

  test('a value that breaks its pattern stops the run before any step, naming the variable and the rule', () => {
    requireAnsible();
    const dir = freshDir();
    const run = runPlaybookLocally(dir, exercisePlaybook, { extraVars: { OUT: 'a b; touch pwned', TOKEN: 'good' } });
    assert.notEqual(run.status, 0);
    assert.match(run.output, /OUT must be one line matching the pattern \[A-Za-z0-9\._\/-\]\+ \(given: \\"a b; touch pwned\\"\)\./);
    assert.doesNotMatch(run.output, /PLAY \[Step 1/);
    assert.deepEqual(readdirSync(dir).filter((name) => !name.startsWith('.')), []);
  });

  test('a missing secret stops the run before any step', () => {
    requireAnsible();
    const run = runPlaybookLocally(freshDir(), exercisePlaybook, { extraVars: {} });
    assert.notEqual(run.status, 0);
    assert.match(run.output, /TOKEN must be a value on one line\. It is secret, so this file has no value for it: pass it with -e TOKEN=\.\.\./);
  });

  test('with -e confirm=yes the destructive step runs; its failure marker fails it, with the output shown and the secret not', () => {
    requireAnsible();
    const dir = freshDir();
    const run = runPlaybookLocally(dir, exercisePlaybook, { extraVars: { TOKEN: 'bad', confirm: 'yes' } });
    assert.notEqual(run.status, 0);
    assert.equal(existsSync(join(dir, 'out.txt')), false);
    assert.match(run.output, /"TOKEN_REFUSED"/);
    assert.match(run.output, /Step 3 \(Delete\) failed on localhost: failure marker present: TOKEN_REFUSED/);
    assert.doesNotMatch(run.output, /\bbad\b/);

    const good = runPlaybookLocally(freshDir(), exercisePlaybook, { extraVars: { TOKEN: 'good', confirm: 'yes' } });
    assert.equal(good.status, 0, good.output);
    assert.match(good.output, /Step 3 \(Delete\) passed on localhost/);
  });

  test('a missing success marker fails the step', () => {
    requireAnsible();
    // Only the count step: nothing set LINES on this host.
    const run = runPlaybookLocally(freshDir(), exercisePlaybook, { extraVars: { TOKEN: 'good' }, args: ['--tags', 'count'] });
    assert.notEqual(run.status, 0);
    assert.match(run.output, /Step 2 \(Count\) failed on localhost: success marker missing: LINES 4/);
  });
});

describe('the first-keypair quickstart, as a playbook against [server] = localhost', () => {
  const file = 'docs/00300-how-to/00200-quickstart.md';
  const runbook = parseRunbooks(readFileSync(join(root, file), 'utf8'), file).find((candidate) => candidate.id === 'quickstart-keys')!;
  const tool = join(scratch, 'bin');

  /** Every file and directory under `dir`: path, mode and, for PEM files, the first line. */
  function tree(dir: string): string[] {
    const entries: string[] = [];
    const walk = (path: string): void => {
      for (const name of readdirSync(path).sort()) {
        if (name === '.ansible-test') continue;
        const full = join(path, name);
        const stat = statSync(full);
        const mode = (stat.mode & 0o777).toString(8);
        if (stat.isDirectory()) {
          entries.push(`${relative(dir, full)}/ ${mode}`);
          walk(full);
        } else {
          entries.push(`${relative(dir, full)} ${mode} ${readFileSync(full, 'utf8').split('\n')[0]}`);
        }
      }
    };
    walk(dir);
    return entries;
  }

  test('produces the same files as the page\'s commands, and a second run stops with the failure marker', () => {
    requireAnsible();
    mkdirSync(tool, { recursive: true });
    writeFileSync(
      join(tool, 'spacetimedb-tooling'),
      `#!/bin/sh\nexec '${join(root, 'node_modules/.bin/tsx')}' '${join(root, 'tooling/spacetimedb-tooling.ts')}' "$@"\n`,
      { mode: 0o755 },
    );
    const env = { PATH: `${tool}:${process.env.PATH ?? '/usr/bin:/bin'}` };

    // The page: each step's command as copied, run in a terminal in the same order.
    const byHand = freshDir();
    const pageApp = join(byHand, 'app');
    for (const step of runbook.steps) {
      const { text, problems } = renderCommand(step.command, runbook.variables, { APP_DIR: pageApp });
      assert.deepEqual(problems, []);
      const ran = spawnSync('bash', ['-c', text], { cwd: byHand, encoding: 'utf8', env: { ...process.env, ...env, HOME: byHand } });
      assert.equal(ran.status, 0, ran.stdout + ran.stderr);
    }

    // The playbook, with APP_DIR an empty directory.
    const fleet = freshDir();
    const app = join(fleet, 'app');
    mkdirSync(app);
    const playbook = exportPlaybook(runbook);
    const first = runPlaybookLocally(fleet, playbook, { extraVars: { APP_DIR: app }, path: [tool] });
    assert.equal(first.status, 0, first.output);
    assert.match(first.output, /Step 3 \(Check the pair with the tool\) passed on localhost/);
    assert.deepEqual(tree(app), tree(pageApp));
    assert.deepEqual(tree(app), [
      '.generated/ 755',
      '.generated/spacetimedb-keys/ 755',
      '.generated/spacetimedb-keys/id_ecdsa 600 -----BEGIN PRIVATE KEY-----',
      '.generated/spacetimedb-keys/id_ecdsa.pub 644 -----BEGIN PUBLIC KEY-----',
    ]);
    const key = readFileSync(join(app, '.generated/spacetimedb-keys/id_ecdsa'), 'utf8');

    const second = runPlaybookLocally(fleet, playbook, { extraVars: { APP_DIR: app }, path: [tool] });
    assert.notEqual(second.status, 0);
    assert.match(second.output, /KEYS_EXIST: \.generated\/spacetimedb-keys already holds a key/);
    assert.match(second.output, /Step 1 \(Generate the pair\) failed on localhost: exit code 1, expected 0; success marker missing: KEYPAIR_WRITTEN; failure marker present: KEYS_EXIST/);
    assert.doesNotMatch(second.output, /PLAY \[Step 2/);
    assert.equal(readFileSync(join(app, '.generated/spacetimedb-keys/id_ecdsa'), 'utf8'), key, 'the key was overwritten');
  });
});
