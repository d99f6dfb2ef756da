import type { ReactNode } from 'react';
import Link from '@docusaurus/Link';
import ScrollableTable from '@site/src/components/ScrollableTable';
import { useDocsVersion } from '@docusaurus/plugin-content-docs/client';
// Written at build time by the runbook-contract plugin from the same parsed runbooks as the JSON files.
import published from '@generated/runbook-contract/default/contracts.json';
import type { ContractRunbook } from '../../runbook/contract';
import { HOST_LABELS } from '../../runbook/model';

interface PublishedVersion {
  version: string;
  directory: string;
  runbooks: ContractRunbook[];
}

function Codes({ values }: { values: readonly string[] }): ReactNode {
  if (values.length === 0) return '—';
  return values.map((value, index) => (
    <span key={value}>
      {index > 0 && ', '}
      <code>{value}</code>
    </span>
  ));
}

function notes(step: ContractRunbook['steps'][number]): string {
  return [
    step.destructive ? `destructive${step.dryRun ? ` (dry run first: ${step.dryRun})` : ''}` : '',
    step.runnable ? 'CI executes it' : `needs ${step.needs.join(', ')}`,
  ]
    .filter(Boolean)
    .join('; ');
}

function RunbookContract({ runbook, directory }: { runbook: ContractRunbook; directory: string }): ReactNode {
  const steps = runbook.steps.filter((step) => !step.setup);
  const json = `runbooks/${directory}/${runbook.id}.json`;
  return (
    <section data-testid={`contract-${runbook.id}`}>
      <h3>{runbook.title}</h3>
      <p>
        Runbook <code>{runbook.id}</code> on <Link to={runbook.url.split('#')[0]!}>its guide page</Link>. Contract:{' '}
        <Link to={`pathname:///${json}`}>
          <code>{json}</code>
        </Link>
        .
      </p>
      {runbook.variables.length > 0 && (
        <ScrollableTable>
          <thead>
            <tr>
              <th>Input</th>
              <th>Meaning</th>
              <th>Default</th>
              <th>Allowed values</th>
            </tr>
          </thead>
          <tbody>
            {runbook.variables.map((variable) => (
              <tr key={variable.name}>
                <td>
                  <code>{variable.name}</code>
                </td>
                <td>{variable.description}</td>
                <td>{variable.secret ? 'secret: read from the environment' : variable.default ? <code>{variable.default}</code> : '—'}</td>
                <td>
                  {variable.options.length > 0 ? (
                    <Codes values={variable.options} />
                  ) : variable.pattern ? (
                    <code>{variable.pattern}</code>
                  ) : (
                    'any'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollableTable>
      )}
      <ScrollableTable>
        <thead>
          <tr>
            <th>Order</th>
            <th>Step</th>
            <th>Runs on</th>
            <th>Success markers</th>
            <th>Failure markers</th>
            <th>Exit code</th>
            <th>Notes</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((step, index) => (
            <tr key={step.id}>
              <td>{index + 1}</td>
              <td>
                <code>{step.id}</code> {step.title}
              </td>
              <td>{HOST_LABELS[step.host]}</td>
              <td>
                <Codes values={step.markers.success} />
              </td>
              <td>
                <Codes values={step.markers.failure} />
              </td>
              <td>{step.exit}</td>
              <td>{notes(step)}</td>
            </tr>
          ))}
        </tbody>
      </ScrollableTable>
    </section>
  );
}

/** Every runbook of the docs version this page belongs to: inputs, step order, hosts and markers. */
export default function AutomationContract(): ReactNode {
  const { version } = useDocsVersion();
  const current = (published as PublishedVersion[]).find((entry) => entry.version === version);
  if (!current || current.runbooks.length === 0) return <p>This version of the docs has no runbooks.</p>;
  return current.runbooks.map((runbook) => <RunbookContract key={runbook.id} runbook={runbook} directory={current.directory} />);
}
