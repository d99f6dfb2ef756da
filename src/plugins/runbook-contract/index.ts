/**
 * Docusaurus plugin: publishes every runbook as JSON (the "runbook contract") and as an Ansible
 * playbook under `<baseUrl>runbooks/`.
 *
 * After all content is loaded it takes the docs the docs plugin loaded (so `DOCS_VERSIONS` and drafts
 * are respected), parses each file with `parseRunbooks` (the same extraction the remark plugin runs)
 * and checks that runbook ids are unique within each docs version. The same page exists once per
 * version (docs/ and versioned_docs/version-X/), so ids are only compared within a version.
 *
 * Layout of the output, written after the build:
 *
 *   runbooks/index.json, runbooks/<id>.json                the version readers land on (the last version)
 *   runbooks/<version>/index.json, runbooks/<version>/<id>.json   every built version; `current` is `next`
 *   runbooks/<id>.ansible.yml, runbooks/<version>/<id>.ansible.yml   the same runbook as a playbook
 *
 * The development server (`pnpm start`) serves the same files at the same URLs: they are written into a
 * folder under `.docusaurus/` whenever the docs are loaded (again on every edit), and that folder is
 * added to the dev server's static folders (`configureWebpack` → `devServer.static`).
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadContext, Plugin } from '@docusaurus/types';
import {
  playbookFileName,
  toContract,
  toContractIndex,
  versionDirectory,
  type ContractIndex,
  type ContractRunbook,
} from '../../runbook/contract';
import { exportPlaybook } from '../../runbook/ansible';
import { RunbookError, type RunbookProblem } from '../../runbook/errors';
import { checkRunbooks } from '../../runbook/markdown/parse';

/** The part of the docs plugin's loaded content this plugin reads. */
interface LoadedDocsVersion {
  versionName: string;
  isLast: boolean;
  docs: { source: string; permalink: string }[];
}

export interface PublishedVersion {
  version: string;
  /** Folder under `runbooks/`. */
  directory: string;
  isLast: boolean;
  runbooks: ContractRunbook[];
}

export interface RootIndex extends ContractIndex {
  /** Every published version, with the path of its index under the base URL. */
  versions: { version: string; index: string }[];
}

export { versionDirectory };

/** Reads and checks the runbooks of every loaded docs version. Throws a RunbookError listing every mistake. */
export async function collectRunbooks(siteDir: string, versions: readonly LoadedDocsVersion[]): Promise<PublishedVersion[]> {
  const problems: RunbookProblem[] = [];
  const published: PublishedVersion[] = [];
  for (const version of versions) {
    const runbooks: ContractRunbook[] = [];
    const seen = new Map<string, ContractRunbook>();
    const docs = [...version.docs].sort((a, b) => a.source.localeCompare(b.source));
    for (const doc of docs) {
      const file = doc.source.replace(/^@site\//, '');
      const source = await readFile(join(siteDir, file), 'utf8');
      const checked = checkRunbooks(source, file);
      problems.push(...checked.problems);
      for (const runbook of checked.runbooks) {
        const contract = toContract(runbook, { version: version.versionName, permalink: doc.permalink });
        const first = seen.get(runbook.id);
        if (first) {
          problems.push({
            file,
            line: runbook.line,
            message: `runbook id ${runbook.id} is already used in ${first.page}:${first.line} (runbook ids are unique within a docs version)`,
          });
          continue;
        }
        seen.set(runbook.id, contract);
        runbooks.push(contract);
        try {
          exportPlaybook(contract);
        } catch (error) {
          problems.push({ file, line: runbook.line, message: `runbook ${runbook.id}: no playbook: ${(error as Error).message}` });
        }
      }
    }
    published.push({ version: version.versionName, directory: versionDirectory(version.versionName), isLast: version.isLast, runbooks });
  }
  if (problems.length > 0) throw new RunbookError(problems);
  return published;
}

/** Writes the contract files into the build output directory. */
export async function writeContract(outDir: string, baseUrl: string, published: readonly PublishedVersion[]): Promise<string[]> {
  const written: string[] = [];
  const writeText = async (path: string, text: string): Promise<void> => {
    const target = join(outDir, 'runbooks', path);
    await mkdir(join(target, '..'), { recursive: true });
    await writeFile(target, text);
    written.push(`runbooks/${path}`);
  };
  const write = (path: string, value: unknown): Promise<void> => writeText(path, `${JSON.stringify(value, null, 2)}\n`);
  const writeRunbook = async (directory: string, runbook: ContractRunbook): Promise<void> => {
    const prefix = directory ? `${directory}/` : '';
    await write(`${prefix}${runbook.id}.json`, runbook);
    await writeText(`${prefix}${playbookFileName(runbook.id)}`, exportPlaybook(runbook, { source: runbook.url }));
  };
  const versions = published.map((version) => ({ version: version.version, index: `${baseUrl}runbooks/${version.directory}/index.json` }));
  for (const version of published) {
    for (const runbook of version.runbooks) await writeRunbook(version.directory, runbook);
    await write(`${version.directory}/index.json`, toContractIndex(version.version, version.runbooks));
  }
  const last = published.find((version) => version.isLast) ?? published[0];
  if (last) {
    for (const runbook of last.runbooks) await writeRunbook('', runbook);
    const index: RootIndex = { ...toContractIndex(last.version, last.runbooks), versions };
    await write('index.json', index);
  }
  return written;
}

/** Where the development server's copy of the contract is written (its `runbooks/` folder is served). */
export function devServerDirectory(context: Pick<LoadContext, 'generatedFilesDir'>): string {
  return join(context.generatedFilesDir, 'runbook-contract-dev-server');
}

export function runbookContractPlugin(context: LoadContext): Plugin {
  let published: PublishedVersion[] = [];
  const devDirectory = devServerDirectory(context);
  return {
    name: 'runbook-contract',
    async allContentLoaded({ allContent, actions }) {
      const docs = allContent['docusaurus-plugin-content-docs']?.['default'] as
        | { loadedVersions: LoadedDocsVersion[] }
        | undefined;
      published = await collectRunbooks(context.siteDir, docs?.loadedVersions ?? []);
      // The same contract as module data, for the pages that render it (Reference → Automation
      // contract imports `@generated/runbook-contract/default/contracts.json`). As an imported module it
      // is rebuilt whenever a runbook changes, so the rendered tables cannot go stale.
      await actions.createData('contracts.json', JSON.stringify(published));
      // A production build writes the files in postBuild; anything else (the dev server) serves this copy.
      if (process.env.NODE_ENV !== 'production') {
        await rm(devDirectory, { recursive: true, force: true });
        await writeContract(devDirectory, context.baseUrl, published);
      }
    },
    configureWebpack() {
      // Only `docusaurus start` reads devServer; `static` folders are added to Docusaurus' own (static/).
      // (webpack's Configuration type does not declare devServer, which webpack-dev-server reads.)
      const devServer = { static: [{ directory: devDirectory, publicPath: context.baseUrl, watch: false }] };
      return { devServer } as ReturnType<NonNullable<Plugin['configureWebpack']>>;
    },
    async postBuild({ outDir }) {
      await writeContract(outDir, context.baseUrl, published);
    },
  };
}

// Docusaurus' config takes the default export; ES modules that import this CommonJS file use the named one.
