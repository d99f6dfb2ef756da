/**
 * The playbooks the build publishes (runbooks/<version>/<id>.ansible.yml), for every runbook of every
 * docs version, made by the same code the build runs: each passes `ansible-playbook --syntax-check` and
 * `ansible-lint` with tests/runbook-model/ansible-lint.yml, and each variable's pattern means the same
 * to Python (the playbook's check) as to JavaScript (the page's check).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { collectRunbooks, type PublishedVersion } from '../../src/plugins/runbook-contract';
import { exportPlaybook, playbookFileName } from '../../src/runbook/ansible';
import { matchesPattern } from '../../src/runbook/values';
import { docsVersionFolders, markdownFiles } from '../doc-tests/discover';
import { requireAnsible } from './ansible-run';

const root = join(import.meta.dirname, '..', '..');
const lintConfig = join(import.meta.dirname, 'ansible-lint.yml');
const work = mkdtempSync(join(tmpdir(), 'runbook-playbooks-'));
after(() => rmSync(work, { recursive: true, force: true }));

async function published(): Promise<PublishedVersion[]> {
  return collectRunbooks(
    root,
    docsVersionFolders(root).map(({ dir, version }, index) => ({
      versionName: version,
      isLast: index === 1,
      docs: markdownFiles(dir).map((file) => ({ source: `@site/${relative(root, file)}`, permalink: `/docs/${version}/page` })),
    })),
  );
}

/**
 * Writes every version's playbooks under `work/<version>/`, once per distinct content (the same
 * runbook in two versions differs only in its header comment), and says which files each one stands for.
 */
async function writePlaybooks(): Promise<Map<string, string[]>> {
  const files = new Map<string, string[]>();
  const byContent = new Map<string, string>();
  for (const version of await published()) {
    for (const runbook of version.runbooks) {
      const name = `runbooks/${version.directory}/${playbookFileName(runbook.id)}`;
      const text = exportPlaybook(runbook, { source: runbook.url });
      const content = text.replace(/^#.*\n/gm, '');
      const written = byContent.get(content);
      if (written) {
        files.get(written)!.push(name);
        continue;
      }
      const path = join(work, version.directory, playbookFileName(runbook.id));
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, text);
      byContent.set(content, path);
      files.set(path, [name]);
    }
  }
  return files;
}

const env = { ...process.env, HOME: work, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: '0', NO_COLOR: '1', LC_ALL: 'C.UTF-8' };

describe('the published playbooks of every docs version', async () => {
  requireAnsible();
  const playbooks = await writePlaybooks();
  const paths = [...playbooks.keys()];
  const names = (path: string): string => playbooks.get(path)!.join(', ');

  test('there is one for every runbook', () => {
    assert.ok(paths.length >= 20, `only ${paths.length} playbooks`);
    assert.ok([...playbooks.values()].flat().includes('runbooks/next/quickstart-keys.ansible.yml'));
  });

  test('ansible-playbook --syntax-check passes on each', () => {
    const all = spawnSync('ansible-playbook', ['--syntax-check', '-i', 'localhost,', ...paths], { encoding: 'utf8', cwd: work, env });
    if (all.status === 0) return;
    // Something failed: check them one by one to name each file and its message.
    const failures = paths.flatMap((path) => {
      const one = spawnSync('ansible-playbook', ['--syntax-check', '-i', 'localhost,', path], { encoding: 'utf8', cwd: work, env });
      return one.status === 0 ? [] : [`${names(path)}: ${(one.stderr || one.stdout).trim()}`];
    });
    assert.fail(`ansible-playbook --syntax-check failed:\n${failures.join('\n') || all.stderr}`);
  });

  test('ansible-lint reports nothing on any of them', () => {
    const lint = spawnSync('ansible-lint', ['-c', lintConfig, '--nocolor', '-p', ...paths.map((path) => relative(work, path))], {
      encoding: 'utf8',
      cwd: work,
      env,
      timeout: 600_000,
    });
    if (lint.error) assert.fail(`ansible-lint could not run (${lint.error.message}): apt-get install ansible-lint`);
    // -p prints one finding a line: <file>:<line>: <rule>: <message>.
    const findings = lint.stdout
      .split('\n')
      .filter((line) => /^[^\s:]+\.ansible\.yml:\d+/.test(line))
      .map((line) => {
        const file = line.slice(0, line.indexOf(':'));
        return `${names(join(work, file))}${line.slice(file.length)}`;
      });
    assert.deepEqual(findings, [], `ansible-lint -c tests/runbook-model/ansible-lint.yml:\n${findings.join('\n')}`);
    assert.equal(lint.status, 0, `ansible-lint exited with ${lint.status}:\n${lint.stdout}\n${lint.stderr}`);
  });

  test('every <PlaybookLink id="..." /> in a page names a runbook of its docs version, so the download exists', async () => {
    const versions = await published();
    const links = docsVersionFolders(root).flatMap(({ dir, version }) =>
      markdownFiles(dir).flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/<PlaybookLink id="([^"]*)"/g)].map((match) => ({ file: relative(root, file), version, id: match[1]! })),
      ),
    );
    assert.ok(links.some((link) => link.id === 'migrate-data'), 'the fleet guide links to the playbooks');
    const broken = links.filter(
      (link) => !versions.find((version) => version.version === link.version)?.runbooks.some((runbook) => runbook.id === link.id),
    );
    assert.deepEqual(broken.map((link) => `${link.file}: no runbook ${link.id} in docs version ${link.version}`), []);
  });

  test('every pattern accepts and refuses the same values in Python as in JavaScript', async () => {
    const samples = ['', 'a b', "it's", '$(id)', 'x;y', 'ok', 'a\nb', 'é', '/srv/data'];
    const cases = (await published()).flatMap((version) =>
      version.runbooks.flatMap((runbook) =>
        runbook.variables
          .filter((variable) => variable.pattern !== null)
          .flatMap((variable) =>
            [variable.default, variable.test ?? '', ...samples].map((value) => ({
              where: `runbooks/${version.directory}/${runbook.id}: ${variable.name}`,
              pattern: variable.pattern!,
              value,
              javascript: matchesPattern(variable.pattern!, value),
            })),
          ),
      ),
    );
    assert.ok(cases.length > 50);
    // The playbook's check: `VALUE is match('(?:PATTERN)\Z')`, which is Python's re.match.
    const python = spawnSync(
      'python3',
      ['-c', 'import json, re, sys\nprint(json.dumps([bool(re.match("(?:" + c["pattern"] + r")\\Z", c["value"])) for c in json.load(sys.stdin)]))'],
      { input: JSON.stringify(cases), encoding: 'utf8' },
    );
    assert.equal(python.status, 0, python.stderr);
    const results = JSON.parse(python.stdout) as boolean[];
    const differ = cases.filter((entry, index) => entry.javascript !== results[index]);
    assert.deepEqual(
      differ.map((entry) => `${entry.where}: ${JSON.stringify(entry.value)} against ${entry.pattern} is ${entry.javascript} in JavaScript`),
      [],
    );
  });
});
