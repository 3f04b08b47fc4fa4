// Compiler-style output (like tsc/rustc): location, message, the source line with a caret, and the fix.
// Bounded whatever the input: the first MAX_SHOWN problems then a count of the rest, excerpts cut to a
// readable width around the column, control bytes escaped.
import type { Diagnostic } from '../errors.js';
import { excerptWindow, printable } from './printable.js';

export interface FormatDiagnosticsOptions {
  color: boolean;
  /** file -> text, to show source excerpts (TopologyError carries these). */
  sources?: Readonly<Record<string, string>>;
  /** Problems printed in full; the rest are counted. Default MAX_SHOWN_DIAGNOSTICS. */
  maxShown?: number;
}

/** Enough to fix a file in one pass; beyond it a screenful of errors hides more than it shows. */
export const MAX_SHOWN_DIAGNOSTICS = 20;

const ANSI = { bold: '1', dim: '2', red: '31', yellow: '33', cyan: '36' } as const;

export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: FormatDiagnosticsOptions): string {
  const paint = (style: keyof typeof ANSI, text: string) => (options.color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text);
  const lineCache = new Map<string, string[]>();
  const linesOf = (file: string): string[] | undefined => {
    const text = options.sources?.[file];
    if (text === undefined || text === '') return undefined;
    if (!lineCache.has(file)) lineCache.set(file, text.split(/\r?\n|\r/));
    return lineCache.get(file);
  };

  const maxShown = options.maxShown ?? MAX_SHOWN_DIAGNOSTICS;
  const blocks = diagnostics.slice(0, maxShown).map((diagnostic) => {
    const location = paint('bold', `${printable(diagnostic.file, 200)}:${diagnostic.line}:${diagnostic.column}`);
    const subject = diagnostic.path ? `${paint('bold', printable(diagnostic.path, 120))}: ` : '';
    const warning = diagnostic.severity === 'warning';
    const label = warning ? paint('yellow', 'warning') : paint('red', 'error');
    const out = [`${location} ${label} ${subject}${printable(diagnostic.message)}`];
    const sourceLine = linesOf(diagnostic.file)?.[diagnostic.line - 1];
    if (sourceLine !== undefined) {
      const gutter = String(diagnostic.line);
      const blank = ' '.repeat(gutter.length);
      const excerpt = excerptWindow(sourceLine, diagnostic.column);
      out.push(`  ${paint('dim', `${gutter} |`)} ${excerpt.text}`);
      out.push(`  ${paint('dim', `${blank} |`)} ${excerpt.caretPadding}${paint(warning ? 'yellow' : 'red', '^')}`);
    }
    if (diagnostic.fix) out.push(`  ${paint('cyan', 'fix:')} ${printable(diagnostic.fix)}`);
    return out.join('\n');
  });
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const errors = diagnostics.length - warnings;
  const warningCount = `${warnings} warning${warnings === 1 ? '' : 's'}`;
  const total =
    errors === 0 && warnings > 0
      ? warningCount
      : `${errors} problem${errors === 1 ? '' : 's'} found${warnings > 0 ? `, ${warningCount}` : ''}`;
  const hidden = diagnostics.length - blocks.length;
  const count =
    hidden > 0
      ? `... and ${hidden} more problem${hidden === 1 ? '' : 's'} (${diagnostics.length} in all${warnings > 0 ? `, ${warningCount}` : ''})`
      : total;
  return [...blocks, paint('bold', count)].join('\n\n') + '\n';
}

/** -o json carries more than the terminal, but still a bounded number. */
export const MAX_JSON_DIAGNOSTICS = 200;

/** Diagnostics for -o json: the first MAX_JSON_DIAGNOSTICS, each string cut; `omitted` counts the rest. */
export function diagnosticsForJson(diagnostics: readonly Diagnostic[]): { diagnostics: Diagnostic[]; omitted: number } {
  const shown = diagnostics.slice(0, MAX_JSON_DIAGNOSTICS).map((d) => {
    const out: Diagnostic = { ...d, file: printable(d.file, 1000), path: printable(d.path, 500), message: printable(d.message, 1000) };
    if (d.fix !== undefined) out.fix = printable(d.fix, 1000);
    return out;
  });
  return { diagnostics: shown, omitted: diagnostics.length - shown.length };
}
