// Writes a synthetic versioned Docusaurus docs tree for benchmarks and scale tests:
// `versions` versions (current + cut ones) x `pages` pages each, in numbered folders of 100 pages,
// with realistic link density: about ten links a page, a third of them absolute links to other
// pages (the kind rewrite-links changes), plus relative, external, anchor, image and JSX links,
// and links inside code blocks and comments that must stay.
//
//   tsx scripts/bench/make-synthetic-docs.ts <dir> [--versions 10] [--pages 1000]

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export interface SyntheticOptions {
  versions: number;
  pages: number;
}

const pad = (n: number) => String(n).padStart(5, '0');

/** A small deterministic pseudo-random generator, so every run writes the same tree. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function page(version: string, category: number, index: number, options: SyntheticOptions, next: () => number): string {
  const categories = Math.ceil(options.pages / 100);
  const target = () => {
    const c = 1 + Math.floor(next() * categories);
    const i = 1 + Math.floor(next() * Math.min(100, options.pages - (c - 1) * 100));
    return { c, i, route: `topic-${c}/page-${i}`, file: `${pad(c * 100)}-topic-${c}/${pad(i * 100)}-page-${i}.md` };
  };
  const prefixes = ['/docs/next/', '/docs/', `/docs/${version === 'current' ? 'next' : version}/`];
  const absolute = () => `${prefixes[Math.floor(next() * prefixes.length)]}${target().route}`;
  const relative = () => {
    const t = target();
    return t.c === category ? `./${t.file.split('/')[1]}` : `../${t.file}`;
  };
  const lines = [
    '---',
    `title: Page ${category}.${index}`,
    `description: Synthetic page ${index} of topic ${category}, used to measure link rewriting.`,
    '---',
    '',
    `# Page ${category}.${index}`,
    '',
    `This page explains step ${index} of topic ${category}. Before you start, read [the overview](${absolute()}) and`,
    `[the previous step](${relative()}). Operators who run several hosts should also check`,
    `[the checklist](${absolute()}#before-you-start) and the [upstream notes](https://example.com/notes/${index}).`,
    '',
    '## Before you start',
    '',
    `- Take a backup: see [backups](${absolute()}).`,
    `- Keep \`spacetime start --jwt-priv-key-path /etc/keys/id_ecdsa\` at hand, and \`[not a link](/docs/next/x)\`.`,
    `- Related: [a sibling page](${relative()}), [this section](#steps), ![diagram](/img/diagram-${category}.svg).`,
    '',
    '## Steps',
    '',
    '```bash',
    `spacetime publish --server local my-module   # see /docs/next/topic-${category}/page-${index}`,
    `echo "[in code](/docs/next/topic-1/page-1)"`,
    '```',
    '',
    `Run the command above, then compare its output with [the reference][ref-${index}]. When it prints`,
    '`PUBLISH_FAILED`, stop and read the error texts on the reference page before you try again.',
    '<!-- [an old link](/docs/next/topic-1/page-2) kept for history -->',
    '',
  ];
  if (index % 10 === 0) lines.push(`<Link to="${absolute()}">Next topic</Link>`, '');
  lines.push(`[ref-${index}]: ${absolute()}`, '');
  return lines.join('\n');
}

export function makeSyntheticDocs(root: string, options: SyntheticOptions): { files: number } {
  const cut = Array.from({ length: options.versions - 1 }, (_, i) => `${options.versions - 1 - i}.0`);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'versions.json'), `${JSON.stringify(cut, null, 2)}\n`);
  mkdirSync(join(root, 'static'), { recursive: true });
  let files = 0;
  for (const version of ['current', ...cut]) {
    const dir = version === 'current' ? join(root, 'docs') : join(root, 'versioned_docs', `version-${version}`);
    const next = random(version.length * 7919 + files);
    for (let n = 0; n < options.pages; n += 1) {
      const category = 1 + Math.floor(n / 100);
      const index = 1 + (n % 100);
      const folder = join(dir, `${pad(category * 100)}-topic-${category}`);
      if (index === 1) {
        mkdirSync(folder, { recursive: true });
        writeFileSync(join(folder, '_category_.json'), `${JSON.stringify({ label: `Topic ${category}` })}\n`);
      }
      writeFileSync(join(folder, `${pad(index * 100)}-page-${index}.md`), page(version, category, index, options, next));
      files += 1;
    }
  }
  return { files };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      versions: { type: 'string', default: '10' },
      pages: { type: 'string', default: '1000' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.log('Usage: tsx scripts/bench/make-synthetic-docs.ts <dir> [--versions 10] [--pages 1000]');
    process.exit(values.help ? 0 : 2);
  }
  const { files } = makeSyntheticDocs(resolve(positionals[0]!), { versions: Number(values.versions), pages: Number(values.pages) });
  console.log(`wrote ${files} pages under ${positionals[0]}`);
}
