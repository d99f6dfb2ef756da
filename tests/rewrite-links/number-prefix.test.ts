// The number-prefix rule must be Docusaurus' own: the same cases as upstream's tests, and the
// installed @docusaurus/plugin-content-docs parser must agree with ours on every one of them.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import {
  defaultNumberPrefixParser,
  disabledNumberPrefixParser,
  stripPathNumberPrefixes,
  type NumberPrefixParser,
} from '../../scripts/rewrite-links/number-prefix';

const stripped: Array<[string, string, number]> = [
  ['0-My Doc', 'My Doc', 0],
  ['1-My Doc', 'My Doc', 1],
  ['01-My Doc', 'My Doc', 1],
  ['001 - My Doc', 'My Doc', 1],
  ['001      -    My Doc', 'My Doc', 1],
  ['999      -        My Doc', 'My Doc', 999],
  ['0046036 - My Doc', 'My Doc', 46036],
  ['1---My Doc', 'My Doc', 1],
  ['001 --- My Doc', 'My Doc', 1],
  ['1___My Doc', 'My Doc', 1],
  ['001 ___ My Doc', 'My Doc', 1],
  ['1.My Doc', 'My Doc', 1],
  ['001 . My Doc', 'My Doc', 1],
  ['00200-self-hosting', 'self-hosting', 200],
  ['00100-overview', 'overview', 100],
];

// No prefix, dates (facebook/docusaurus#4640) and versions (#4653) are left as they are.
const kept = [
  'MyDoc', 'a1-My Doc', 'My Doc-000', 'My Doc - 1', 'Hey - 03 - My Doc', '00abc01-My Doc', 'My 001- Doc',
  'My -001 Doc', '2021-01-31 - Doc', '31-01-2021 - Doc', '2021_01_31 - Doc', '2021.01.31 - Doc', '2021-01 - Doc',
  '01.2021 - Doc', '2021-01-31', '2021-01', '21_01', '01', '2021', '8.0', '8.0.0', '14.2.16', '8.0 - Doc', '8_0_0',
  '2021-01-notes', '8.0-release',
];

function upstreamParser(): NumberPrefixParser | undefined {
  try {
    const fromPreset = createRequire(createRequire(import.meta.url).resolve('@docusaurus/preset-classic'));
    const docsMain = fromPreset.resolve('@docusaurus/plugin-content-docs');
    const upstream = createRequire(docsMain)(docsMain.replace(/index\.js$/, 'numberPrefix.js'));
    return upstream.DefaultNumberPrefixParser as NumberPrefixParser;
  } catch {
    return undefined;
  }
}

test('strips number prefixes as Docusaurus does', () => {
  for (const [name, filename, numberPrefix] of stripped) {
    assert.deepEqual(defaultNumberPrefixParser(name), { filename, numberPrefix }, name);
  }
});

test('keeps names whose prefix is not a number prefix', () => {
  for (const name of kept) assert.deepEqual(defaultNumberPrefixParser(name), { filename: name, numberPrefix: undefined }, name);
});

test('agrees with the installed Docusaurus parser on every case', (context) => {
  const upstream = upstreamParser();
  if (!upstream) return context.skip('@docusaurus/plugin-content-docs not found');
  for (const name of [...stripped.map(([input]) => input), ...kept]) {
    assert.deepEqual(defaultNumberPrefixParser(name), upstream(name), name);
  }
});

test('strips every segment of a path, or none with the disabled parser', () => {
  const path = '0-MyRootFolder0/1 - MySubFolder1/2.  MyDeepFolder2/3 _MyDoc3';
  assert.equal(stripPathNumberPrefixes(path, defaultNumberPrefixParser), 'MyRootFolder0/MySubFolder1/MyDeepFolder2/MyDoc3');
  assert.equal(stripPathNumberPrefixes(path, disabledNumberPrefixParser), path);
});
