/**
 * The runbook toolbar's actions, one per button. To add a button, write an action here and list it
 * in TOOLBAR_ACTIONS: the toolbar renders it like the others (and holds it back until the stored values are loaded).
 */
import { runbookAnchor } from '../../runbook/contract';
import type { Runbook } from '../../runbook/model';
import { exportScript } from '../../runbook/script';
import { copyText } from './clipboard';
import { downloadText } from './download';

/** What an action works with. */
export interface ToolbarContext {
  runbook: Runbook;
  /** Current value of every variable. */
  values: Readonly<Record<string, string>>;
  /** Says how it went in the runbook's live region. */
  announce: (message: string) => void;
}

export interface ToolbarAction {
  /** The button's text, which is also its accessible name. */
  label: string;
  run: (context: ToolbarContext) => void | Promise<void>;
}

/** The exported script with the current values, or null after announcing why there is none. */
function scriptOrSayWhy({ runbook, values, announce }: ToolbarContext): string | null {
  const exported = exportScript(runbook, values, { source: window.location.origin + window.location.pathname });
  if (exported.problems.length > 0) {
    announce(`No script: ${exported.problems.join('; ')}.`);
    return null;
  }
  return exported.text;
}

const copyLink: ToolbarAction = {
  label: 'Copy link with these values',
  run: async ({ runbook, values, announce }) => {
    const url = new URL(window.location.pathname, window.location.origin);
    for (const variable of runbook.variables) {
      if (!variable.secret) url.searchParams.set(variable.name, values[variable.name] ?? '');
    }
    url.hash = runbookAnchor(runbook.id);
    const copied = await copyText(url.toString());
    announce(copied ? 'Copied a link with these values (secrets left out).' : `Could not copy the link: ${url.toString()}`);
  },
};

const copyScript: ToolbarAction = {
  label: 'Copy as script',
  run: async (context) => {
    const text = scriptOrSayWhy(context);
    if (text === null) return;
    const copied = await copyText(text);
    context.announce(copied ? 'Copied the script.' : 'Could not copy: the browser refused. Use "Download .sh" instead.');
  },
};

const downloadScript: ToolbarAction = {
  label: 'Download .sh',
  run: (context) => {
    const text = scriptOrSayWhy(context);
    if (text === null) return;
    const fileName = `${context.runbook.id}.sh`;
    downloadText(fileName, text, 'text/x-shellscript');
    context.announce(`Downloaded ${fileName}.`);
  },
};

/** The toolbar's buttons, in order. */
export const TOOLBAR_ACTIONS: readonly ToolbarAction[] = [copyLink, copyScript, downloadScript];
