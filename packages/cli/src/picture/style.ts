// Colours and marks shared by the mermaid, dot and html pictures, so the three read the same way.
export const PLUGIN_COLOURS = [
  '#cfe2ff',
  '#d1f2d9',
  '#ffe5b4',
  '#f8d7da',
  '#e2d9f3',
  '#c9f1f1',
  '#fff3bf',
  '#f3d9ec',
  '#dde8c9',
  '#f5e1cc',
];
/** Up-to-date steps: apply will not run them. */
export const UP_TO_DATE = { fill: '#eeeeee', stroke: '#bbbbbb', text: '#999999' };
export const CRITICAL = '#d62728';

export function pluginColour(plugins: readonly string[], plugin: string): string {
  const at = plugins.indexOf(plugin);
  return PLUGIN_COLOURS[(at < 0 ? 0 : at) % PLUGIN_COLOURS.length]!;
}

/**
 * Characters that pass into mermaid and dot labels as they are; every other one is written as a numeric
 * character reference, which both tools decode. A whitelist, so no quote, bracket, backslash, `#`, `;`,
 * `%`, `<` or line break of a hostile title can end a label or start syntax. `rawBeyondBmp` passes
 * characters beyond U+FFFF (emoji...) through as UTF-8: Graphviz garbles references to them, and its
 * lexer only cares about ASCII.
 */
const SAFE = /^[A-Za-z0-9 .,:/@_=+()'~-]$/;

export function encodeLabel(text: string, reference: (codePoint: number) => string, options: { rawBeyondBmp?: boolean } = {}): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    out += SAFE.test(char) || (options.rawBeyondBmp && code > 0xffff) ? char : reference(code);
  }
  return out;
}
