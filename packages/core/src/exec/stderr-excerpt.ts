// What a failed command said, short enough for one error: the lines that say what went wrong plus the
// end of the output. Tools such as linkerd print `Error: ...` first and then a page of usage text, so the
// tail alone hides the cause; the head alone hides the last word. Both, at most MAX_LINES lines.

const MAX_LINES = 20;
/** Error lines kept from before the tail (the first ones: later ones are usually consequences). */
const MAX_ERROR_LINES = 5;
/** `Error: ...` (cobra, helm), `error: ...` (kubectl, client-go), `fatal`, `panic:`, `ERROR ...` (kind). */
const ERROR_LINE = /^\s*(?:error|fatal|panic)\b|^\s*E\d{4} /i;

export function stderrExcerpt(stderr: string, maxLines = MAX_LINES): string {
  const lines = stderr.replace(/\s+$/, '').split('\n');
  if (lines.length <= maxLines) return lines.join('\n');
  const errors = lines
    .map((text, index) => ({ text, index }))
    .filter((l) => ERROR_LINE.test(l.text))
    .slice(0, MAX_ERROR_LINES);
  // Room left for the tail once the error lines and the "omitted" marker are in.
  const tailCount = errors.length > 0 ? maxLines - errors.length - 1 : maxLines;
  const tailStart = lines.length - tailCount;
  const head = errors.filter((e) => e.index < tailStart);
  if (head.length === 0) return lines.slice(-maxLines).join('\n');
  const tail = lines.slice(lines.length - (maxLines - head.length - 1));
  const omitted = lines.length - head.length - tail.length;
  return [...head.map((e) => e.text), `… (${omitted} more line${omitted === 1 ? '' : 's'})`, ...tail].join('\n');
}
