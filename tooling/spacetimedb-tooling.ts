// Entry point: `pnpm -s tooling <flags>`, or `node spacetimedb-tooling.mjs <flags>` for the bundle
// that `pnpm build:tooling` writes to static/tooling/.
import { run } from './cli/cli';
import { processIo } from './core/io';

const code = await run(process.argv.slice(2), processIo());
// Exit once stdout has drained, without waiting for idle keep-alive sockets of --server-url checks.
process.stdout.write('', () => process.exit(code));
