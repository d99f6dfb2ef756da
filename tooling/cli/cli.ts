// One run of the tool: parse the command line, run the mode, report. Returns the exit code.
import { guessMode, parseCommandLine, wantsJson } from './args';
import type { Context } from '../engine/context';
import { EXIT_OK, EXIT_STATE, ToolError, describeError, errnoPath } from '../core/errors';
import { helpJson, renderHelp } from './help';
import type { Io } from '../core/io';
import { TOOL_NAME, TOOL_VERSION } from '../options';
import { Reporter } from './report';
import { runResign } from '../modes/resign';
import { runRestore } from '../modes/restore';
import { runRotate } from '../modes/rotate';
import { runSync } from '../modes/sync';
import { runVerify } from '../modes/verify';

function runMode(ctx: Context): Promise<number> {
  switch (ctx.settings.mode) {
    case 'verify':
      return runVerify(ctx);
    case 'resign':
      return runResign(ctx);
    case 'sync':
      return runSync(ctx);
    case 'restore':
      return runRestore(ctx);
    case 'rotate':
      return runRotate(ctx);
  }
}

/** An unexpected error as one line; an fs error names the path it happened on. */
function unexpected(error: unknown): string {
  const path = errnoPath(error);
  const message = describeError(error);
  return path && !message.includes(path) ? `${path}: ${message}` : message;
}

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
    io.stdout(parsed.json ? `${JSON.stringify(helpJson(), null, 2)}\n` : renderHelp());
    return EXIT_OK;
  }
  if (parsed.kind === 'version') {
    io.stdout(parsed.json ? `${JSON.stringify({ tool: TOOL_NAME, version: TOOL_VERSION })}\n` : `${TOOL_NAME} ${TOOL_VERSION}\n`);
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
  try {
    return await runMode({ settings, io, reporter });
  } catch (error) {
    if (error instanceof ToolError) return reporter.fail(error.reason, error.message, error.exitCode);
    return reporter.fail('io', unexpected(error), EXIT_STATE);
  }
}
