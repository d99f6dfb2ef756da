import { Fragment, type ReactNode } from 'react';
import clsx from 'clsx';
import type { Runbook, Variable } from '../../runbook/model';
import { valueProblem } from '../../runbook/values';
import styles from './styles.module.css';

interface PanelProps {
  runbook: Runbook;
  values: Readonly<Record<string, string>>;
  setValue: (name: string, value: string, secret: boolean) => void;
}

/**
 * One labelled input per variable (a select where the values are listed). The fields work from the
 * first paint: a value typed before the stored ones are loaded wins over the stored one.
 */
export function VariablesPanel({ runbook, values, setValue }: PanelProps): ReactNode {
  if (runbook.variables.length === 0) return null;
  return (
    <fieldset className={styles.panel}>
      <legend className={styles.legend}>Your values</legend>
      <p className={styles.panelHelp}>Every command below updates as you type. Values are kept in this browser; secrets are not.</p>
      <div className={styles.fields}>
        {runbook.variables.map((variable) => (
          <VariableField
            key={variable.name}
            runbookId={runbook.id}
            variable={variable}
            value={values[variable.name] ?? ''}
            onChange={(value) => setValue(variable.name, value, variable.secret)}
          />
        ))}
      </div>
    </fieldset>
  );
}

interface FieldProps {
  runbookId: string;
  variable: Variable;
  value: string;
  onChange: (value: string) => void;
}

function VariableField({ runbookId, variable, value, onChange }: FieldProps): ReactNode {
  const id = `runbook-${runbookId}-var-${variable.name}`;
  const problem = valueProblem(variable, value);
  const describedBy = problem ? `${id}-help ${id}-problem` : `${id}-help`;
  const common = {
    id,
    name: variable.name,
    value,
    'aria-invalid': problem ? true : undefined,
    'aria-describedby': describedBy,
    'data-variable': variable.name,
  } as const;
  return (
    <div className={styles.field}>
      <label htmlFor={id} className={styles.label}>
        {variable.name}
      </label>
      {variable.options.length > 0 ? (
        <select {...common} className={styles.input} onChange={(event) => onChange(event.target.value)}>
          {!variable.options.includes(value) && <option value={value}>{value || '(none)'} (not allowed)</option>}
          {variable.options.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          className={styles.input}
          type={variable.secret ? 'password' : 'text'}
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
      <span id={`${id}-help`} className={styles.help}>
        {variable.description}
        {variable.secret ? ' Secret: kept in this tab only, never stored, never put in a link or a script.' : ''}
      </span>
      {problem && (
        <span id={`${id}-problem`} className={styles.problem}>
          {problem}
        </span>
      )}
    </div>
  );
}

/**
 * "Replace the following": the variables with the values the commands show. Server-rendered with the
 * defaults, so a reader without JavaScript knows what to change in each command, and printed with the
 * values as typed. On screen with JavaScript the inputs are the only list: the table is hidden by CSS
 * where the browser reports scripting, and once the page is hydrated everywhere else.
 */
export function ReplaceTable({ runbook, values, ready }: Pick<PanelProps, 'runbook' | 'values'> & { ready: boolean }): ReactNode {
  if (runbook.variables.length === 0) return null;
  return (
    <div className={clsx(styles.replaceWrap, ready && styles.printOnly)} data-testid="replace-table">
      <table className={styles.replace}>
        <caption className={styles.caption}>Replace the following</caption>
        <thead>
          <tr>
            <th scope="col">Variable</th>
            <th scope="col">In the commands</th>
            <th scope="col">What to put there</th>
          </tr>
        </thead>
        <tbody>
          {runbook.variables.map((variable) => {
            const value = values[variable.name] ?? '';
            return (
              <tr key={variable.name} data-variable={variable.name}>
                <th scope="row">
                  <code>{breakAfterUnderscores(variable.name)}</code>
                </th>
                <td>
                  {value === '' ? (
                    <code>{`{{${variable.name}}}`}</code>
                  ) : variable.secret ? (
                    <em>your secret (hidden)</em>
                  ) : (
                    <code data-testid="replace-value">{value}</code>
                  )}
                </td>
                <td>
                  {variable.description}
                  {variable.options.length > 0 ? ` One of: ${variable.options.join(', ')}.` : ''}
                  {variable.secret ? ' Secret: type it yourself.' : ''}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A long name wraps after an underscore (`SOURCE_` + `HOST`) in a narrow column. */
function breakAfterUnderscores(name: string): ReactNode {
  return name.split('_').map((piece, index) => (
    <Fragment key={index}>
      {index > 0 && (
        <>
          _<wbr />
        </>
      )}
      {piece}
    </Fragment>
  ));
}
