// Go-style durations as Linkerd and step write them ("8760h", "90s"), plus days for readability. One
// parser for the topology's durations (plugins) and the CLI's `--timeout`.
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `'8760h'` → milliseconds; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const match = /^([0-9]+)(s|m|h|d)$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** Like parseDuration, for values the schema already checked. */
export function durationMs(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new TypeError(`"${text}" is not a duration like 8760h`);
  return ms;
}
