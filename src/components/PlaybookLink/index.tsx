import type { ReactNode } from 'react';
import useBaseUrl from '@docusaurus/useBaseUrl';
import { useDocsVersion } from '@docusaurus/plugin-content-docs/client';
import { playbookFileName, versionDirectory } from '../../runbook/contract';

/**
 * Where the build publishes a runbook's Ansible playbook for the docs version of the page being read:
 * `<baseUrl>runbooks/<version>/<id>.ansible.yml` (`next` for the unreleased docs).
 */
export function usePlaybookUrl(runbookId: string): string {
  const { version } = useDocsVersion();
  return useBaseUrl(`/runbooks/${versionDirectory(version)}/${playbookFileName(runbookId)}`);
}

/** A download link to a runbook's playbook, for guides: `<PlaybookLink id="rotate-keys" />`. */
export default function PlaybookLink({ id }: { id: string }): ReactNode {
  return (
    <a href={usePlaybookUrl(id)} download={playbookFileName(id)} data-playbook={id}>
      <code>{playbookFileName(id)}</code>
    </a>
  );
}
