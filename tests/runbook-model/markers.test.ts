import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { declaresMarkers, describeJudgement, judgeOutput } from '../../src/runbook/markers';
import type { Markers } from '../../src/runbook/model';

const publish: Markers = { success: ['PUBLISH_SUCCESS'], failure: ['PUBLISH_FAILED', 'InvalidSignature'] };
const publishCommand =
  'spacetime publish --server http://{{DEST_HOST}}:3000 my-module 2>&1 | tee /tmp/publish-{{ENV}}.log && echo PUBLISH_SUCCESS || echo PUBLISH_FAILED';

describe('judgeOutput', () => {
  test('a success marker and no failure marker: worked', () => {
    const judgement = judgeOutput(publish, 'Uploading module...\nUpdated database\nPUBLISH_SUCCESS\n');
    assert.equal(judgement.verdict, 'worked');
    assert.deepEqual(judgement.found, ['PUBLISH_SUCCESS']);
    assert.equal(describeJudgement(judgement, publish), 'Worked: the output shows PUBLISH_SUCCESS and no failure marker.');
  });

  test('a failure marker wins over a success marker, and is named', () => {
    const judgement = judgeOutput(publish, 'Error: InvalidSignature\nPUBLISH_SUCCESS');
    assert.equal(judgement.verdict, 'failed');
    assert.deepEqual(judgement.failures, ['InvalidSignature']);
    assert.equal(describeJudgement(judgement, publish), 'Failed: the output shows InvalidSignature.');
    const both = judgeOutput(publish, 'InvalidSignature\nPUBLISH_FAILED');
    assert.equal(describeJudgement(both, publish), 'Failed: the output shows PUBLISH_FAILED and InvalidSignature.');
  });

  test('unrelated output: no marker found, naming what to look for', () => {
    const judgement = judgeOutput(publish, 'bash: spacetime: command not found');
    assert.equal(judgement.verdict, 'no-marker');
    assert.equal(
      describeJudgement(judgement, publish),
      "No marker found: the output shows none of PUBLISH_SUCCESS, PUBLISH_FAILED and InvalidSignature. Check that you pasted this step's output.",
    );
    assert.equal(judgeOutput(publish, '').verdict, 'no-marker');
  });

  test('markers are case-sensitive substrings', () => {
    assert.equal(judgeOutput(publish, 'publish_success').verdict, 'no-marker');
    assert.equal(judgeOutput(publish, 'xxPUBLISH_SUCCESSxx').verdict, 'worked');
  });

  test('every success marker must show; some of them is not yet a success', () => {
    const markers: Markers = { success: ['KEYS_WRITTEN', 'TOKEN_SIGNED'], failure: [] };
    assert.equal(judgeOutput(markers, 'KEYS_WRITTEN\nTOKEN_SIGNED').verdict, 'worked');
    const partial = judgeOutput(markers, 'KEYS_WRITTEN');
    assert.equal(partial.verdict, 'incomplete');
    assert.deepEqual(partial.missing, ['TOKEN_SIGNED']);
    assert.equal(describeJudgement(partial, markers), 'Not yet: the output shows KEYS_WRITTEN but not TOKEN_SIGNED.');
  });

  test('a step with failure markers only never reads as worked', () => {
    const markers: Markers = { success: [], failure: ['ERROR'] };
    assert.equal(judgeOutput(markers, 'all good').verdict, 'no-marker');
    assert.equal(judgeOutput(markers, 'ERROR: disk full').verdict, 'failed');
  });

  test('a pasted prompt line that repeats the command is left out, whatever values it ran with', () => {
    const pasted = [
      `operator@control:~$ spacetime publish --server http://azvmprod:3000 my-module 2>&1 | tee /tmp/publish-prod.log && echo PUBLISH_SUCCESS || echo PUBLISH_FAILED`,
      'Uploading module...',
      'PUBLISH_SUCCESS',
    ].join('\r\n');
    const judgement = judgeOutput(publish, pasted, { command: publishCommand });
    assert.equal(judgement.verdict, 'worked');
    assert.equal(judgement.echoedLines, 1);
    assert.equal(
      describeJudgement(judgement, publish),
      'Worked: the output shows PUBLISH_SUCCESS and no failure marker (1 line repeating the command left out).',
    );
    // Without the command, the prompt line names the failure marker.
    assert.equal(judgeOutput(publish, pasted).verdict, 'failed');
    // The line is recognised by how it ends, from the operator before the first marker.
    const edited = '$ spacetime publish --server http://other:3000 m && echo PUBLISH_SUCCESS || echo PUBLISH_FAILED\nPUBLISH_FAILED';
    assert.deepEqual(judgeOutput(publish, edited, { command: publishCommand }), {
      verdict: 'failed',
      failures: ['PUBLISH_FAILED'],
      found: [],
      missing: ['PUBLISH_SUCCESS'],
      echoedLines: 1,
    });
  });

  test('output that merely ends with a marker is never mistaken for the command', () => {
    const markers: Markers = { success: ['COPY_DONE'], failure: [] };
    const command = 'rsync --archive {{SOURCE_HOST}}:{{DATA_DIR}}/ {{DATA_DIR}}/ && echo COPY_DONE';
    assert.equal(judgeOutput(markers, 'COPY_DONE', { command }).verdict, 'worked');
    assert.equal(judgeOutput(markers, '$ rsync --archive a:/b/ /b/ && echo COPY_DONE', { command }).verdict, 'no-marker');
    // A command line that is only a placeholder and a marker has no ending to recognise.
    const bare = 'echo {{NAME}} COPY_DONE';
    assert.equal(judgeOutput(markers, 'me COPY_DONE', { command: bare }).verdict, 'worked');
  });

  test('lines of a multi-line command are recognised after a continuation prompt', () => {
    const markers: Markers = { success: ['CONFIG_OK'], failure: ['NO_TOKEN'] };
    const command = "if grep -q token {{CLI_TOML}}; then\n  echo CONFIG_OK\nelse\n  echo NO_TOKEN\nfi";
    const pasted = '$ if grep -q token cli.toml; then\n>   echo CONFIG_OK\n> else\n>   echo NO_TOKEN\n> fi\nCONFIG_OK';
    const judgement = judgeOutput(markers, pasted, { command });
    assert.equal(judgement.verdict, 'worked');
    assert.equal(judgement.echoedLines, 2);
  });
});

test('declaresMarkers: a success or a failure marker', () => {
  assert.equal(declaresMarkers({ success: [], failure: [] }), false);
  assert.equal(declaresMarkers({ success: ['A'], failure: [] }), true);
  assert.equal(declaresMarkers({ success: [], failure: ['B'] }), true);
});
