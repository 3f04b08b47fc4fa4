// Compiler-style output (like tsc/rustc): location, message, the source line with a caret, and the fix.
import type { Diagnostic } from '../errors.js';

export interface FormatDiagnosticsOptions {
  color: boolean;
  /** file -> text, to show source excerpts (TopologyError carries these). */
  sources?: Readonly<Record<string, string>>;
}

const ANSI = { bold: '1', dim: '2', red: '31', yellow: '33', cyan: '36' } as const;

export function formatDiagnostics(diagnostics: readonly Diagnostic[], options: FormatDiagnosticsOptions): string {
  const paint = (style: keyof typeof ANSI, text: string) => (options.color ? `\u001b[${ANSI[style]}m${text}\u001b[0m` : text);
  const lineCache = new Map<string, string[]>();
  const linesOf = (file: string): string[] | undefined => {
    const text = options.sources?.[file];
    if (text === undefined) return undefined;
    if (!lineCache.has(file)) lineCache.set(file, text.split(/\r?\n/));
    return lineCache.get(file);
  };

  const blocks = diagnostics.map((diagnostic) => {
    const location = paint('bold', `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}`);
    const subject = diagnostic.path ? `${paint('bold', diagnostic.path)}: ` : '';
    const warning = diagnostic.severity === 'warning';
    const label = warning ? paint('yellow', 'warning') : paint('red', 'error');
    const out = [`${location} ${label} ${subject}${diagnostic.message}`];
    const sourceLine = linesOf(diagnostic.file)?.[diagnostic.line - 1];
    if (sourceLine !== undefined) {
      const gutter = String(diagnostic.line);
      const blank = ' '.repeat(gutter.length);
      // Keep tabs in the padding so the caret lines up however the terminal renders them.
      const padding = sourceLine.slice(0, Math.max(0, diagnostic.column - 1)).replace(/[^\t]/g, ' ');
      out.push(`  ${paint('dim', `${gutter} |`)} ${sourceLine}`);
      out.push(`  ${paint('dim', `${blank} |`)} ${padding}${paint(warning ? 'yellow' : 'red', '^')}`);
    }
    if (diagnostic.fix) out.push(`  ${paint('cyan', 'fix:')} ${diagnostic.fix}`);
    return out.join('\n');
  });
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const errors = diagnostics.length - warnings;
  const warningCount = `${warnings} warning${warnings === 1 ? '' : 's'}`;
  const count = errors === 0 && warnings > 0 ? warningCount : `${errors} problem${errors === 1 ? '' : 's'} found${warnings > 0 ? `, ${warningCount}` : ''}`;
  return [...blocks, paint('bold', count)].join('\n\n') + '\n';
}
