import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { ScriptWeigher } from './scripts/bench/script-weight';
import { serveBuild } from './scripts/bench/static-server';
const build = join(process.cwd(), process.argv[2] ?? 'build');
const server = await serveBuild(build, 4393);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const w = new ScriptWeigher(browser, 'http://127.0.0.1:4393', build);
for (const path of process.argv.slice(3)) {
  const r = await w.weigh(path);
  console.log(path, (r.bytes/1024).toFixed(1));
  for (const s of r.scripts) console.log('   ', (gzipSync(readFileSync(join(build, s))).length/1024).toFixed(1).padStart(7), s);
}
await browser.close(); server.close();
