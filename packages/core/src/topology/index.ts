export { parseTopologyText } from './parse.js';
export type { ParsedTopologySource, ParsedTopologyText, Position } from './parse.js';
export { validateTopology, sortDiagnostics } from './validate.js';
export type { ValidateTopologyOptions, ValidatedTopology } from './validate.js';
export { formatDiagnostics } from './format-diagnostics.js';
export type { FormatDiagnosticsOptions } from './format-diagnostics.js';
export { loadTopologyFile } from './load.js';
export { formatFieldPath } from './path.js';
export type { FieldPath } from './path.js';
