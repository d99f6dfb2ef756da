/**
 * Runbook components. The remark plugin (src/plugins/remark-runbooks) imports these into every page
 * that has a runbook, so pages without one never load them.
 */
export { Runbook } from './Runbook';
export { RunbookStep } from './RunbookStep';
export { RunbookCommand } from './RunbookCommand';
