import { Fragment, useMemo, useRef, type CSSProperties, type ReactNode } from 'react';
import clsx from 'clsx';
import type { Variable } from '../../runbook/model';
import { renderCommand, type CommandPart } from '../../runbook/values';
import { copyText } from './clipboard';
import { useRunbook, useStep } from './context';
import { whenReady } from './whenReady';
import styles from './styles.module.css';

const BUTTON = 'button button--secondary button--sm';

export interface RunbookCommandProps {
  stepId: string;
}

/** Shown on screen instead of a secret value; Copy still puts the value itself on the clipboard. */
const SECRET_MASK = '••••••••';

/** A step's command with the current values, and a Copy button that copies exactly that command. */
export function RunbookCommand({ stepId }: RunbookCommandProps): ReactNode {
  const { runbook, values, ready, announce } = useRunbook();
  const { step, number } = useStep(stepId);
  const pre = useRef<HTMLPreElement>(null);
  const rendered = useMemo(() => renderCommand(step.command, runbook.variables, values), [step, runbook, values]);

  const copy = async (): Promise<void> => {
    if (rendered.problems.length > 0) {
      announce(`Not copied: ${rendered.problems.join('; ')}.`);
      return;
    }
    if (await copyText(rendered.text)) {
      announce(`Copied the command of step ${number}.`);
      return;
    }
    if (pre.current) window.getSelection()?.selectAllChildren(pre.current);
    announce('Could not copy: the browser refused. The command is selected: copy it with your keyboard.');
  };

  // Built in the handler (not during render): `copy` reads the <pre> ref.
  const onCopy = (): void => whenReady(ready, announce, () => void copy())();

  return (
    <div className={styles.command} data-command={step.id}>
      <pre ref={pre} className={styles.pre}>
        <CommandLines parts={rendered.parts} variables={runbook.variables} values={values} />
      </pre>
      <div className={styles.commandBar}>
        <button type="button" className={BUTTON} onClick={onCopy} aria-label={`Copy the command of step ${number}`}>
          Copy
        </button>
        {rendered.problems.length > 0 && (
          <span className={styles.problem}>Copy is refused until this is fixed: {rendered.problems.join('; ')}.</span>
        )}
      </div>
    </div>
  );
}

interface CommandLinesProps {
  parts: readonly CommandPart[];
  variables: readonly Variable[];
  values: Readonly<Record<string, string>>;
}

/**
 * The command, one block per line so that a long line wraps with a hanging indent (deeper than the
 * line's own indentation) instead of scrolling sideways. Each line but the last keeps its newline, so
 * the text of the block, and a selection of it, is exactly the command.
 */
function CommandLines({ parts, variables, values }: CommandLinesProps): ReactNode {
  const secrets = useMemo(() => new Set(variables.filter((variable) => variable.secret).map((variable) => variable.name)), [variables]);
  const shown = parts.map((part) =>
    part.variable && secrets.has(part.variable) && (values[part.variable] ?? '') !== '' ? { ...part, text: SECRET_MASK } : part,
  );
  const lines = splitLines(shown);
  return (
    <code className={styles.code}>
      {lines.map((line, lineIndex) => (
        <span key={lineIndex} className={styles.line} style={{ '--indent': `${indentOf(line)}ch` } as CSSProperties}>
          {lineContent(line)}
          {lineIndex < lines.length - 1 ? '\n' : null}
        </span>
      ))}
    </code>
  );
}

/** Values up to this long stay on one row with a hyphen just before them (`publish-` + `test`). */
const SHORT_VALUE = 16;

function lineContent(line: readonly CommandPart[]): ReactNode[] {
  const nodes: ReactNode[] = [];
  for (let index = 0; index < line.length; index += 1) {
    const part = line[index]!;
    const next = line[index + 1];
    const hyphens = part.variable ? '' : (/-+$/.exec(part.text)?.[0] ?? '');
    if (hyphens && next?.variable && next.text.length <= SHORT_VALUE) {
      nodes.push(<Fragment key={index}>{breakable(part.text.slice(0, -hyphens.length))}</Fragment>);
      nodes.push(
        <span key={`${index}-joined`} className={styles.joined}>
          {hyphens}
          {valueSpan(next, index + 1)}
        </span>,
      );
      index += 1;
    } else {
      nodes.push(part.variable ? valueSpan(part, index) : <Fragment key={index}>{breakable(part.text)}</Fragment>);
    }
  }
  return nodes;
}

/** A value in the command: highlighted, named by its variable, flagged when it cannot be used. */
function valueSpan(part: CommandPart, key: number): ReactNode {
  return (
    <span key={key} className={clsx(styles.value, part.invalid && styles.invalidValue)} data-variable={part.variable} title={part.variable}>
      {breakable(part.text)}
    </span>
  );
}

/** The parts of each line of the command (a part with a line break is split in two). */
function splitLines(parts: readonly CommandPart[]): CommandPart[][] {
  const lines: CommandPart[][] = [[]];
  for (const part of parts) {
    part.text.split('\n').forEach((piece, index) => {
      if (index > 0) lines.push([]);
      if (piece !== '') lines[lines.length - 1]!.push({ ...part, text: piece });
    });
  }
  return lines;
}

/** Columns of leading blanks (a tab counts as two, like the CSS tab size). */
function indentOf(line: readonly CommandPart[]): number {
  const leading = /^[ \t]*/.exec(line.map((part) => part.text).join(''))![0];
  return [...leading].reduce((columns, character) => columns + (character === '\t' ? 2 : 1), 0);
}

const HYPHEN = /-+[^\s-]/;

/**
 * Where a line may wrap inside a word: after the slashes of a path (`/var/lib/` + `spacetimedb/data`),
 * never just after a hyphen (`-` + `name` would read as two words), which browsers otherwise allow.
 */
function breakable(text: string): ReactNode {
  // A piece ends with a name and its slashes: `http://` stays whole, and so does a leading `/var/`.
  const pieces = text.match(/.*?[\w.~-]\/+|.+$/g) ?? [text];
  if (pieces.length <= 1 && !HYPHEN.test(text)) return text;
  return pieces.map((piece, index) => (
    <Fragment key={index}>
      {index > 0 && <wbr />}
      {joinHyphens(piece)}
    </Fragment>
  ));
}

/** Keeps each hyphen (or `--`) on the same row as the character after it. */
function joinHyphens(text: string): ReactNode {
  if (!HYPHEN.test(text)) return text;
  return text.split(/(-+[^\s-])/).map((piece, index) =>
    index % 2 === 1 ? (
      <span key={index} className={styles.joined}>
        {piece}
      </span>
    ) : (
      piece
    ),
  );
}
