// Text from a topology file shown on a terminal: control bytes escaped (an ESC from a binary file must not
// drive the terminal), long text cut so one value cannot flood the screen.

/** Control characters (C0 except tab, DEL, C1) and the Unicode line/paragraph separators, escaped as \xNN / \uNNNN. */
export function escapeControl(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g, (char) => {
    const code = char.charCodeAt(0);
    if (char === '\n') return '\\n';
    if (char === '\r') return '\\r';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** At most `max` characters: longer text keeps its start and ends in "…". */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Printable and bounded: for messages, fixes and paths, which may quote the user's values. */
export function printable(text: string, max = 300): string {
  return cut(escapeControl(cut(text, max)), max);
}

export interface ExcerptWindow {
  /** The visible part of the line, escaped; "…" marks where it was cut. */
  text: string;
  /** Characters of `text` before the caret (tabs kept as tabs so the caret lines up in any terminal). */
  caretPadding: string;
}

/**
 * The part of `line` around `column` (1-based) that fits `width` characters, escaped, with the padding that
 * puts a caret under that column.
 */
export function excerptWindow(line: string, column: number, width = 100): ExcerptWindow {
  const index = Math.min(Math.max(0, column - 1), line.length);
  let start = 0;
  let end = line.length;
  if (line.length > width) {
    start = Math.max(0, Math.min(index - Math.floor(width / 3), line.length - width));
    end = Math.min(line.length, start + width);
  }
  const before = escapeControl(line.slice(start, index));
  const rest = escapeControl(line.slice(index, end));
  const head = start > 0 ? '…' : '';
  const tail = end < line.length ? '…' : '';
  return { text: `${head}${before}${rest}${tail}`, caretPadding: `${head}${before}`.replace(/[^\t]/g, ' ') };
}
