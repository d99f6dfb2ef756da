// One run of the tool: parse the command line, run the mode, report. Returns the exit code.
import { guessMode, parseCommandLine, wantsJson } from './args';
import type { Context } from '../engine/context';
import { EXIT_OK, EXIT_STATE, ToolError, describeError } from '../core/errors';
import { renderHelp } from './help';
import type { Io } from '../core/io';
import { TOOL_NAME, TOOL_VERSION } from '../options';
import { Reporter } from './report';
import { runResign } from '../modes/resign';
import { runRestore } from '../modes/restore';
import { runRotate } from '../modes/rotate';
import { runSync } from '../modes/sync';
import { runVerify } from '../modes/verify';

export async function run(argv: readonly string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(argv, io.cwd);
  } catch (error) {
    const reporter = new Reporter(io, { json: wantsJson(argv), verbose: false, mode: guessMode(argv), dryRun: argv.includes('--dry-run'), env: undefined });
    if (error instanceof ToolError) return reporter.fail(error.reason, `${error.message} (see --help)`, error.exitCode);
    throw error;
  }
  if (parsed.kind === 'help') {
    io.stdout(renderHelp());
    return EXIT_OK;
  }
  if (parsed.kind === 'version') {
    io.stdout(`${TOOL_NAME} ${TOOL_VERSION}\n`);
    return EXIT_OK;
  }
  const settings = parsed.settings;
  const reporter = new Reporter(io, {
    json: settings.json,
    verbose: settings.verbose,
    mode: settings.mode,
    dryRun: settings.dryRun,
    // Re-signing does not depend on the environment (the key comes from --private-key-path or the
    // mounted directory), and a restore takes its environment from the backup: neither names one.
    env: settings.mode === 'restore' || settings.mode === 'resign' ? undefined : settings.env,
  });
  const ctx: Context = { settings, io, reporter };
  try {
    switch (settings.mode) {
      case 'verify':
        return await runVerify(ctx);
      case 'resign':
        return await runResign(ctx);
      case 'sync':
        return await runSync(ctx);
      case 'restore':
        return await runRestore(ctx);
      case 'rotate':
        return await runRotate(ctx);
    }
  } catch (error) {
    if (error instanceof ToolError) return reporter.fail(error.reason, error.message, error.exitCode);
    return reporter.fail('io', describeError(error), EXIT_STATE);
  }
}
