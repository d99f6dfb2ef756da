import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Variable } from '../../src/runbook/model';
import { testValues } from '../../src/runbook/model';
import { effectiveValues, renderCommand, valueProblem } from '../../src/runbook/values';
import { runbookFrom } from './helpers';

const variable = (overrides: Partial<Variable>): Variable => ({
  name: 'X',
  default: '',
  description: 'x',
  options: [],
  pattern: null,
  secret: false,
  test: null,
  line: 1,
  ...overrides,
});

test('valueProblem: empty, control characters, options, pattern', () => {
  assert.equal(valueProblem(variable({}), ''), 'X needs a value');
  assert.equal(valueProblem(variable({}), 'a\nb'), 'X contains a line break or another control character');
  assert.equal(valueProblem(variable({}), 'tab\there'), 'X contains a line break or another control character');
  assert.equal(valueProblem(variable({ options: ['prod', 'test'] }), 'dev'), 'X must be one of prod, test');
  assert.equal(valueProblem(variable({ options: ['prod', 'test'] }), 'test'), null);
  assert.equal(valueProblem(variable({ pattern: '[a-z]+' }), 'abc1'), 'X does not match the pattern [a-z]+');
  assert.equal(valueProblem(variable({ pattern: '[a-z]+' }), 'abc'), null);
  // The pattern is anchored: a partial match is not enough.
  assert.equal(valueProblem(variable({ pattern: 'a|b' }), 'ab'), 'X does not match the pattern a|b');
  assert.equal(valueProblem(variable({}), 'a b; rm -rf ~'), null);
});

const runbook = runbookFrom(`
::::runbook[Values]{#values}

::var[Host]{name=DEST_HOST default=azvmtest pattern="[a-z0-9.-]+" test=localhost}
::var[Token]{name=TOKEN secret test=t.t.t}
::var[Environment]{name=ENV default=test options="prod|test"}

:::step[Use them]{#use host=control runnable}
\`\`\`bash
deploy --host {{DEST_HOST}} --env "{{ENV}}" --token {{TOKEN}}
\`\`\`
:::

::::
`);

test('effectiveValues: given values win, defaults fill in, secrets have none', () => {
  assert.deepEqual(effectiveValues(runbook, { ENV: 'prod' }), { DEST_HOST: 'azvmtest', TOKEN: '', ENV: 'prod' });
});

test('testValues: the test value, else the default', () => {
  assert.deepEqual(testValues(runbook), { DEST_HOST: 'localhost', TOKEN: 't.t.t', ENV: 'test' });
});

test('renderCommand: values in place, quoted where needed, parts marked by variable', () => {
  const rendered = renderCommand(runbook.steps[0]!.command, runbook.variables, {
    DEST_HOST: 'azvmprod',
    ENV: 'prod',
    TOKEN: 'se cret',
  });
  assert.equal(rendered.text, `deploy --host azvmprod --env "prod" --token 'se cret'`);
  assert.deepEqual(rendered.problems, []);
  assert.deepEqual(
    rendered.parts.map((part) => [part.text, part.variable ?? null]),
    [
      ['deploy --host ', null],
      ['azvmprod', 'DEST_HOST'],
      [' --env "', null],
      ['prod', 'ENV'],
      ['" --token ', null],
      ["'se cret'", 'TOKEN'],
    ],
  );
});

test('renderCommand: a missing value shows its placeholder, an invalid one is flagged; both are problems', () => {
  const rendered = renderCommand(runbook.steps[0]!.command, runbook.variables, effectiveValues(runbook, { DEST_HOST: 'NOT VALID' }));
  assert.deepEqual(rendered.problems, ['DEST_HOST does not match the pattern [a-z0-9.-]+', 'TOKEN needs a value']);
  const token = rendered.parts.find((part) => part.variable === 'TOKEN');
  assert.deepEqual(token, { text: '{{TOKEN}}', variable: 'TOKEN', invalid: true });
  const host = rendered.parts.find((part) => part.variable === 'DEST_HOST');
  assert.deepEqual(host, { text: "'NOT VALID'", variable: 'DEST_HOST', invalid: true });
});
