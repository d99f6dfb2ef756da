/**
 * Judging a step's output by its markers: the rule the page's "Check the output" field applies to what
 * a reader pastes, and the doc-test runner applies to what a step printed. No React, no Node APIs here.
 *
 * The rule: a failure marker in the output means the step failed, whatever else it shows; otherwise the
 * step worked when every success marker shows (steps usually declare one). Markers are plain,
 * case-sensitive substrings.
 */
import type { Markers } from './model';

/**
 * - `worked`: every success marker present, no failure marker
 * - `failed`: a failure marker present
 * - `incomplete`: some success markers present, others missing, no failure marker
 * - `no-marker`: neither a success nor a failure marker present
 */
export type Verdict = 'worked' | 'failed' | 'incomplete' | 'no-marker';

export interface OutputJudgement {
  verdict: Verdict;
  /** Failure markers the output shows, in the order the step declares them. */
  failures: string[];
  /** Success markers the output shows. */
  found: string[];
  /** Success markers the output lacks. */
  missing: string[];
  /** Lines left out because they repeat the command (a pasted prompt line), not its output. */
  echoedLines: number;
}

export interface JudgeOptions {
  /**
   * The step's command as written (placeholders included). Pasted terminal text often starts with the
   * prompt and the command, and a command such as `... && echo DONE || echo FAILED` names both markers:
   * lines that end like such a command line are left out before judging.
   */
  command?: string;
}

/** True when a step declares at least one marker, so its output can be judged. */
export function declaresMarkers(markers: Markers): boolean {
  return markers.success.length > 0 || markers.failure.length > 0;
}

/** Judges output by the step's markers. */
export function judgeOutput(markers: Markers, output: string, options: JudgeOptions = {}): OutputJudgement {
  const { text, echoedLines } = withoutEchoes(output, echoSignatures(options.command ?? '', markers));
  const failures = markers.failure.filter((marker) => text.includes(marker));
  const found = markers.success.filter((marker) => text.includes(marker));
  const missing = markers.success.filter((marker) => !text.includes(marker));
  const verdict: Verdict =
    failures.length > 0
      ? 'failed'
      : markers.success.length > 0 && missing.length === 0
        ? 'worked'
        : found.length > 0
          ? 'incomplete'
          : 'no-marker';
  return { verdict, failures, found, missing, echoedLines };
}

/** One sentence a reader can act on, e.g. `Failed: the output shows PUBLISH_FAILED.` */
export function describeJudgement(judgement: OutputJudgement, markers: Markers): string {
  const echoes =
    judgement.echoedLines > 0
      ? ` (${judgement.echoedLines} line${judgement.echoedLines > 1 ? 's' : ''} repeating the command left out)`
      : '';
  switch (judgement.verdict) {
    case 'failed':
      return `Failed: the output shows ${list(judgement.failures)}${echoes}.`;
    case 'worked':
      return `Worked: the output shows ${list(judgement.found)} and no failure marker${echoes}.`;
    case 'incomplete':
      return `Not yet: the output shows ${list(judgement.found)} but not ${list(judgement.missing)}${echoes}.`;
    case 'no-marker': {
      const expected = [...markers.success, ...markers.failure];
      return `No marker found: the output shows none of ${list(expected)}${echoes}. Check that you pasted this step's output.`;
    }
  }
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const PLACEHOLDER = /\{\{[A-Z][A-Z0-9_]*\}\}/g;

/**
 * How the command's marker-naming lines end: from the last shell operator (`&&`, `||`, `;`, `|`) before
 * the first marker, or else from the line's last placeholder, so that the line is recognised whatever
 * values it ran with (`... && echo DONE || echo FAILED`). Only endings with a word before their first
 * marker (`echo DONE`, not a bare `DONE`) count, so real output that ends with a marker is never left out.
 */
function echoSignatures(command: string, markers: Markers): string[] {
  const all = [...markers.success, ...markers.failure].filter((marker) => marker !== '');
  const signatures: string[] = [];
  for (const line of command.split('\n')) {
    const placeholders = [...line.matchAll(PLACEHOLDER)];
    const last = placeholders[placeholders.length - 1];
    const ending = last ? line.slice(last.index + last[0].length) : line;
    const firstMarker = Math.min(...all.map((marker) => ending.indexOf(marker)).filter((index) => index >= 0));
    if (!Number.isFinite(firstMarker)) continue;
    const start = Math.max(0, ...OPERATORS.map((operator) => ending.lastIndexOf(operator, firstMarker - operator.length)));
    if (/\w/.test(ending.slice(start, firstMarker))) signatures.push(ending.slice(start).trim());
  }
  return signatures;
}

const OPERATORS = ['&&', '||', ';', '|'];

function withoutEchoes(output: string, signatures: readonly string[]): { text: string; echoedLines: number } {
  if (signatures.length === 0) return { text: output, echoedLines: 0 };
  const kept: string[] = [];
  let echoedLines = 0;
  for (const line of output.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (signatures.some((signature) => trimmed.endsWith(signature))) echoedLines += 1;
    else kept.push(line);
  }
  return { text: kept.join('\n'), echoedLines };
}
