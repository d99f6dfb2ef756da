// Modules Docusaurus writes at build time (see each plugin for what it puts there).

declare module '@generated/runbook-contract/default/contracts.json' {
  /** Written by src/plugins/runbook-contract: every built docs version with its runbooks' contracts. */
  const published: unknown;
  export default published;
}
