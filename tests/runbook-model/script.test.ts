import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { testValues, type Runbook } from '../../src/runbook/model';
import { parseRunbooks } from '../../src/runbook/markdown/parse';
import { commandForScript, exportScript } from '../../src/runbook/script';
import { effectiveValues } from '../../src/runbook/values';
import { fixtures } from './fixtures';
import { runBash, runbookFrom, shellcheck } from './helpers';

const root = join(import.meta.dirname, '..', '..');
const demoFile = 'docs/00500-contributing/00200-writing-runbooks.md';
const demo = parseRunbooks(readFileSync(join(root, demoFile), 'utf8'), demoFile);

/** Every runbook the tests know: the demonstration page's and the valid fixtures'. */
const known: Runbook[] = [
  ...demo,
  ...fixtures()
    .filter((fixture) => fixture.expected?.kind === 'runbooks')
    .flatMap((fixture) => parseRunbooks(fixture.input, `${fixture.name}/input.md`)),
];

describe('every exported script passes bash -n and shellcheck', () => {
  for (const runbook of known) {
    test(`${runbook.file}: ${runbook.id}`, () => {
      const { text, problems } = exportScript(runbook, testValues(runbook), { source: 'https://docs.example/page' });
      assert.deepEqual(problems, []);
      const syntax = runBash(text, { args: ['-n'] });
      assert.equal(syntax.status, 0, syntax.stderr);
      assert.deepEqual(shellcheck(text), []);
    });
  }
});

describe('exportScript', () => {
  const [copyData] = demo;
  const values = effectiveValues(copyData!, { DEST_HOST: 'azvmprod', CLI_TOML: '/home/op/my config.toml' });
  const script = exportScript(copyData!, values, { source: 'https://docs.example/writing-runbooks' });

  test('starts with a shebang and strict mode, then the values', () => {
    assert.ok(script.text.startsWith('#!/usr/bin/env bash\n# Tidy a data directory and copy it to another host\n'));
    assert.match(script.text, /^set -euo pipefail$/m);
    assert.match(script.text, /^DEST_HOST=azvmprod$/m);
    assert.match(script.text, /^CLI_TOML='\/home\/op\/my config\.toml'$/m);
    assert.match(script.text, /^ENV=test$/m);
    assert.match(script.text, /exported from https:\/\/docs\.example\/writing-runbooks\./);
    assert.equal(script.fileName, 'demo-copy-data.sh');
  });

  test('names the host of every step and leaves out setup steps', () => {
    assert.match(script.text, /^# Step 1 of 8: Check that the CLI has a token\n# Runs on: Control host$/m);
    assert.match(script.text, /^# Step 6 of 8: Copy the data\n# Runs on: Destination host\n# Destructive\. Its dry run is step 5 \(Preview the copy\)\.$/m);
    assert.doesNotMatch(script.text, /Write sample|partial upload|module data/);
  });

  test('asks before destructive steps and checks markers and exit codes', () => {
    assert.equal(script.text.match(/^runbook_confirm /gm)?.length, 2);
    assert.match(script.text, /^runbook_expect_output 'PUBLISH_SUCCESS'$/m);
    assert.match(script.text, /^runbook_refuse_output 'PUBLISH_FAILED' 'InvalidSignature'$/m);
    assert.match(script.text, /^runbook_expect_exit 1 "\$\{runbook_status\}"$/m);
  });

  test('reads secrets from the environment or a prompt, never writes them', () => {
    const withSecret = exportScript(copyData!, { ...values, API_TOKEN: 'aaa.bbb.SECRET' });
    assert.doesNotMatch(withSecret.text, /SECRET/);
    assert.match(withSecret.text, /^if \[\[ -z "\$\{API_TOKEN:-\}" \]\]; then$/m);
    assert.match(withSecret.text, /^spacetime login --token "\$\{API_TOKEN\}"$/m);
  });

  test('refuses values that are missing or invalid', () => {
    const refused = exportScript(copyData!, { ...values, DEST_HOST: 'not a host', ENV: '' });
    assert.deepEqual(refused.problems, ['ENV needs a value', 'DEST_HOST does not match the pattern [a-z0-9][a-z0-9.-]*']);
  });

  test('refers to variables in a way that suits their quoting', () => {
    assert.equal(commandForScript('scp a {{HOST}}:/srv/'), 'scp a "${HOST}":/srv/');
    assert.equal(commandForScript('echo "to {{HOST}} now"'), 'echo "to ${HOST} now"');
    assert.equal(commandForScript("ssh x 'ls {{DIR}}/data'"), `ssh x 'ls '"\${DIR}"'/data'`);
    assert.equal(commandForScript("echo '{{DIR}}'"), 'echo "${DIR}"');
    assert.equal(commandForScript('cat <<EOF\nhost = "{{HOST}}"\nEOF'), 'cat <<EOF\nhost = "${HOST}"\nEOF');
  });
});

describe('an exported script runs as the runbook says', () => {
  const runbook = runbookFrom(`
::::runbook[Exercise the script]{#exercise}

::var[Where to write]{name=OUT default=out.txt}
::var[What to write]{name=WORD default=hello}
::var[A secret]{name=TOKEN secret}

:::step[Hidden setup]{#setup setup}
\`\`\`bash
echo setup-ran > {{OUT}}
\`\`\`
:::

:::step[Write]{#write host=control runnable success="WROTE"}
\`\`\`bash
cd "$(mktemp -d)"
printf '%s\\n' {{WORD}} > {{OUT}} && echo WROTE
\`\`\`
:::

:::step[Still in the directory the last step entered]{#still host=control runnable}
\`\`\`bash
test -f {{OUT}}
\`\`\`
:::

:::step[Expected to fail]{#fails host=control runnable exit=1}
\`\`\`bash
grep -q nothing-like-this {{OUT}}
\`\`\`
:::

:::step[Delete]{#delete host=control runnable destructive dry-run=still failure="TOKEN_REFUSED"}
\`\`\`bash
rm {{OUT}}
if [ {{TOKEN}} = bad ]; then echo TOKEN_REFUSED; fi
echo "deleted with token of length \${#TOKEN}"
\`\`\`
:::

::::
`);
  const script = exportScript(runbook, effectiveValues(runbook, { WORD: 'a b' })).text;

  test('runs every step when the destructive step is confirmed', () => {
    const run = runBash(script, { input: 'yes\n', env: { TOKEN: 'good' } });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /WROTE/);
    assert.match(run.stdout, /deleted with token of length 4/);
    assert.match(run.stderr, /All 4 steps ran\./);
    assert.doesNotMatch(run.stdout + run.stderr, /setup-ran/);
  });

  test('stops before a destructive step unless the answer is yes', () => {
    const run = runBash(script, { input: 'no\n', env: { TOKEN: 'good' } });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /Step 4 \(Delete\) is destructive\. Did step 2 \(Still in the directory the last step entered\), its dry run/);
    assert.match(run.stderr, /Stopped before a destructive step\./);
    assert.doesNotMatch(run.stdout, /deleted/);
  });

  test('stops when a failure marker shows', () => {
    const run = runBash(script, { input: 'yes\n', env: { TOKEN: 'bad' } });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /Stopped: the output shows TOKEN_REFUSED\./);
  });

  test('stops when a success marker is missing or an exit code differs', () => {
    const noMarker = exportScript(runbook, effectiveValues(runbook, {})).text.replace('&& echo WROTE', '');
    const run = runBash(noMarker, { input: 'yes\n', env: { TOKEN: 'good' } });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /Stopped: the output does not show WROTE\./);

    const wrongExit = script.replace('grep -q nothing-like-this', 'grep -q a');
    const second = runBash(wrongExit, { input: 'yes\n', env: { TOKEN: 'good' } });
    assert.equal(second.status, 1);
    assert.match(second.stderr, /Stopped: the command exited with 0, not 1\./);
  });

  test('asks for a missing secret only on a terminal, else stops', () => {
    const run = runBash(script, { input: 'yes\n' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /Set TOKEN in the environment/);
  });
});
