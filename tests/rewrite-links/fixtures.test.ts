// One line per fixture case: see fixture-harness.ts for what each case checks.
import { test } from 'node:test';
import { checkFixture } from './fixture-harness';

test('inline links, images around links, lists and quotes', () => checkFixture('inline-links'));
test('reference-style definitions', () => checkFixture('reference-definitions'));
test('JSX <Link to> and <a href>', () => checkFixture('jsx-links'));
test('code, comments, front matter, external, static and relative links stay', () => checkFixture('never-touched'));
test('each version resolves its links within itself', () => checkFixture('versioned'));
test('slugs, ids, index docs, generated indexes and number prefixes', () => checkFixture('slugs-and-ids'));
test('CRLF files stay CRLF', () => checkFixture('crlf'));
test('baseUrl, routeBasePath, trailingSlash and version paths from docusaurus.config.ts', () => checkFixture('site-config'));
test('flags override the config', () => checkFixture('flags'));
test('@site and site-path file links point into the own version', () => checkFixture('site-file-links'));
