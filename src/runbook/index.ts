/**
 * The runbook model and everything that reads it, for build-time code, tests and the doc-test runner.
 * Browser components import the individual modules instead, so the markdown parser stays out of
 * the page bundle.
 *
 * Every export is named (no `export *`): files under src/ load as CommonJS, and ES modules that import
 * them (tests, scripts) only see names Node can detect statically.
 */
export {
  DIRECTIVES,
  HOSTS,
  HOST_LABELS,
  ID_PATTERN,
  KNOWN_NEEDS,
  RESERVED_VARIABLE_NAMES,
  VARIABLE_NAME_PATTERN,
  isReservedVariableName,
  testValues,
  visibleSteps,
} from './model';
export type { Host, Markers, Need, Runbook, Step, Variable } from './model';
export { RunbookError, formatProblem, isRunbookError } from './errors';
export type { RunbookProblem } from './errors';
export { ATTRIBUTES, COMMAND_LANGUAGES, extractRunbooks } from './extract';
export type { ExtractedRunbook, ExtractedStep, Extraction } from './extract';
export { blankFrontMatter, checkRunbooks, parseMarkdown, parseRunbooks } from './parse';
export {
  UNSUPPORTED_CONTEXTS,
  findPlaceholders,
  isSafeWord,
  quoteValueFor,
  replacePlaceholders,
  shellQuote,
  singleQuote,
  variableReferenceFor,
} from './shell';
export type { PlaceholderUse, QuoteContext } from './shell';
export { effectiveValues, matchesPattern, renderCommand, valueProblem } from './values';
export type { CommandPart, RenderedCommand } from './values';
export { commandForScript, exportScript } from './script';
export type { ScriptExport, ScriptOptions } from './script';
export {
  CONTRACT_SCHEMA_VERSION,
  runbookAnchor,
  stepAnchor,
  toContract,
  toContractIndex,
} from './contract';
export type { ContractIndex, ContractIndexEntry, ContractRunbook, ContractStep, ContractVariable } from './contract';
