// What a run tells the user: progress on stderr, then either the human report ending in a marker line,
// or exactly one JSON object on stdout. Nothing here ever receives a private key or a whole token.
import type { Check, Env, Mode, TokenSummary } from '../core/types';
import { EXIT_CHECK_FAILED, EXIT_OK } from '../core/errors';
import type { Io } from '../core/io';
import { scrubSecrets } from '../core/redact';
import { TOOL_NAME, TOOL_VERSION } from '../core/types';

export interface KeysSummary {
  /** SHA-256 of the DER SPKI public key, 64 lowercase hex; null when no key could be read. */
  fingerprint: string | null;
  privateKeyPath?: string;
  publicKeyPath?: string;
  previousFingerprint?: string | null;
  source?: string;
}

export interface RunReport {
  tool: string;
  version: string;
  mode: Mode;
  dryRun: boolean;
  env: Env | undefined;
  ok: boolean;
  exitCode: number;
  marker: string;
  checks: Check[];
  keys: KeysSummary;
  token?: TokenSummary;
  identityBefore?: string;
  identityAfter?: string;
  backupDir?: string;
  /** Set when a token was re-signed although no trusted key verified it (--resign-unverified-token). */
  unverifiedTokenResigned?: string;
  actions: string[];
  warnings: string[];
  nextSteps: string[];
  error?: { reason: string; message: string };
}

const SUCCESS: Record<Mode, string> = {
  verify: 'VERIFY_SUCCESS',
  rotate: 'ROTATION_SUCCESS',
  resign: 'RESIGN_SUCCESS',
  sync: 'SYNC_SUCCESS',
  restore: 'RESTORE_SUCCESS',
};

const FAILED: Record<Mode, string> = {
  verify: 'VERIFY_FAILED',
  rotate: 'ROTATION_FAILED',
  resign: 'RESIGN_FAILED',
  sync: 'SYNC_FAILED',
  restore: 'RESTORE_FAILED',
};

export class Reporter {
  readonly report: RunReport;

  constructor(
    private readonly io: Io,
    private readonly options: { json: boolean; verbose: boolean; mode: Mode; dryRun: boolean; env: Env | undefined },
  ) {
    this.report = {
      tool: TOOL_NAME,
      version: TOOL_VERSION,
      mode: options.mode,
      dryRun: options.dryRun,
      env: options.env,
      ok: false,
      exitCode: EXIT_OK,
      marker: '',
      checks: [],
      keys: { fingerprint: null },
      actions: [],
      warnings: [],
      nextSteps: [],
    };
  }

  get json(): boolean {
    return this.options.json;
  }

  /** A step of long work, on stderr in human mode. */
  progress(message: string): void {
    if (!this.options.json) this.io.stderr(scrubSecrets(`${TOOL_NAME}: ${message}\n`));
  }

  /** Extra detail with --verbose, on stderr in human mode. */
  detail(message: string): void {
    if (this.options.verbose && !this.options.json) this.io.stderr(scrubSecrets(`  · ${message}\n`));
  }

  /** Something done (or, in a dry run, that would be done); listed in the report. */
  action(message: string): void {
    this.report.actions.push(message);
  }

  warn(message: string): void {
    if (!this.report.warnings.includes(message)) this.report.warnings.push(message);
  }

  /** Something the operator must not miss: a warning, a field of its own in JSON, and at once on stderr. */
  alarm(message: string): void {
    if (this.report.unverifiedTokenResigned === message) return;
    this.report.unverifiedTokenResigned = message;
    this.warn(message);
    if (!this.options.json) this.io.stderr(scrubSecrets(`${TOOL_NAME}: ${message}\n`));
  }

  addChecks(checks: Check[]): void {
    this.report.checks.push(...checks);
  }

  get failedChecks(): Check[] {
    return this.report.checks.filter((check) => !check.ok);
  }

  /** Ends a run that got as far as its checks: the exit code follows from them. */
  succeed(markerSuffix = ''): number {
    const failed = this.failedChecks;
    if (failed.length > 0) {
      // The marker names the checks that failed on their own, not those blocked by them.
      const names = (failed.some((check) => !check.skipped) ? failed.filter((check) => !check.skipped) : failed).map((check) => check.name).join(',');
      if (this.options.mode === 'verify' && !this.options.dryRun) return this.finish(false, EXIT_CHECK_FAILED, `VERIFY_FAILED failed=${names}`);
      return this.fail('checks-failed', `check${failed.length === 1 ? '' : 's'} failed: ${names}`, EXIT_CHECK_FAILED);
    }
    if (this.options.dryRun) return this.finish(true, EXIT_OK, `DRY_RUN_SUCCESS mode=${this.options.mode}`);
    return this.finish(true, EXIT_OK, `${SUCCESS[this.options.mode]}${markerSuffix}`);
  }

  /** Ends a run with an error. */
  fail(reason: string, message: string, exitCode: number): number {
    this.report.error = { reason, message };
    const marker = this.options.dryRun ? `DRY_RUN_FAILED ${reason}` : `${FAILED[this.options.mode]} ${reason}`;
    return this.finish(false, exitCode, marker);
  }

  private finish(ok: boolean, exitCode: number, marker: string): number {
    this.report.ok = ok;
    this.report.exitCode = exitCode;
    this.report.marker = marker;
    // The last line of defence of the no-secrets rule: nothing printed holds a key, a token or credentials.
    if (this.options.json) {
      this.io.stdout(scrubSecrets(`${JSON.stringify(this.report, null, 2)}\n`));
    } else {
      if (this.report.error && this.report.error.message) this.io.stderr(scrubSecrets(`error: ${this.report.error.message}\n`));
      this.io.stdout(scrubSecrets(renderHuman(this.report)));
    }
    return exitCode;
  }
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

function renderHuman(report: RunReport): string {
  const out: string[] = [];
  const title = { verify: 'verify', rotate: 'rotate keys', resign: 're-sign token', sync: 'sync mounted keys', restore: 'restore backup' }[report.mode];
  out.push(`${report.tool} ${report.version}: ${title}${report.env ? ` (env ${report.env})` : ''}${report.dryRun ? ' [dry run: nothing written]' : ''}`);
  if (report.actions.length > 0) {
    out.push(report.dryRun ? 'Would do:' : 'Done:');
    for (const action of report.actions) out.push(`  - ${action}`);
  }
  if (report.checks.length > 0) {
    out.push('Checks:');
    const width = Math.max(...report.checks.map((check) => check.name.length)) + 2;
    for (const check of report.checks) {
      const status = check.skipped ? (check.ok ? 'SKIP' : 'FAIL') : check.ok ? 'PASS' : 'FAIL';
      out.push(`  ${status}  ${pad(check.name, width)}${check.message}`);
    }
  }
  if (report.keys.fingerprint) {
    out.push(`Key fingerprint (SHA-256 of DER SPKI): ${report.keys.fingerprint}`);
    if (report.keys.previousFingerprint) out.push(`Previous fingerprint:                  ${report.keys.previousFingerprint}`);
  }
  if (report.token?.identity) {
    out.push(`Token: iss=${report.token.iss} sub=${report.token.sub} identity=${report.token.identity}`);
  }
  if (report.identityBefore) out.push(`Identity before: ${report.identityBefore}`);
  if (report.identityAfter) out.push(`Identity after:  ${report.identityAfter}`);
  if (report.backupDir) out.push(`Backup: ${report.backupDir}`);
  if (report.warnings.length > 0) {
    out.push('Warnings:');
    for (const warning of report.warnings) out.push(`  ! ${warning}`);
  }
  if (report.nextSteps.length > 0) {
    out.push('Next steps:');
    report.nextSteps.forEach((step, i) => out.push(`  ${i + 1}. ${step}`));
  }
  out.push(report.marker);
  return `${out.join('\n')}\n`;
}
