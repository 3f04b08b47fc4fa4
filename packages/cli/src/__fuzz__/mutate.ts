// Seeded mutations of topology text: what typos, bad merges, copy-paste accidents and hostile files do to YAML.
// Deterministic for a seed, so any failing case can be replayed from the seed and case number alone.

/** mulberry32: small, fast, good enough to pick mutations; not for anything secret. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Characters that mean something to YAML or to a terminal, and some that mean nothing. */
const SPECIAL = [
  '*',
  '&',
  '!',
  '!!',
  ':',
  ': ',
  '- ',
  '{',
  '}',
  '[',
  ']',
  ',',
  '"',
  "'",
  '#',
  '|',
  '>',
  '?',
  '%',
  '@',
  '`',
  '<<: ',
  '\t',
  '\r',
  '\n',
  '\u001b[2J',
  '\u0000',
  '\u0007',
  '\u00a0',
  '\ufeff',
  '\u2028',
  'é',
  '—',
  '0',
  '-1',
  '1e9',
  'null',
  '~',
  'true',
  'NaN',
  '.inf',
  '__proto__',
  '0.0.0.0/0',
  '/32',
];
const TAGS = ['!!omap ', '!!set ', '!!binary ', '!!str ', '!!int ', '!!map ', '!!seq ', '!custom ', '!<tag:x> '];

export interface Mutation {
  name: string;
  apply(text: string, rnd: () => number): string;
}

const pick = <T>(items: readonly T[], rnd: () => number): T => items[Math.floor(rnd() * items.length)]!;
const at = (text: string, rnd: () => number) => Math.floor(rnd() * (text.length + 1));
const lines = (text: string) => text.split('\n');

export const MUTATIONS: readonly Mutation[] = [
  {
    name: 'delete a character',
    apply: (t, r) => {
      const i = at(t, r);
      return t.slice(0, i) + t.slice(i + 1);
    },
  },
  {
    name: 'insert a special character',
    apply: (t, r) => {
      const i = at(t, r);
      return t.slice(0, i) + pick(SPECIAL, r) + t.slice(i);
    },
  },
  {
    name: 'replace a character',
    apply: (t, r) => {
      const i = at(t, r);
      return t.slice(0, i) + pick(SPECIAL, r) + t.slice(i + 1);
    },
  },
  {
    name: 'insert a tag',
    apply: (t, r) => {
      const l = lines(t);
      const i = Math.floor(r() * l.length);
      l[i] = l[i]!.replace(/: /, `: ${pick(TAGS, r)}`);
      return l.join('\n');
    },
  },
  {
    name: 'turn a value into an alias',
    apply: (t, r) => {
      const l = lines(t);
      const i = Math.floor(r() * l.length);
      l[i] = l[i]!.replace(/: (\S+)/, ': *$1');
      return l.join('\n');
    },
  },
  {
    name: 'anchor a value and alias it elsewhere',
    apply: (t, r) => {
      const l = lines(t);
      const i = Math.floor(r() * l.length);
      const j = Math.floor(r() * l.length);
      l[i] = l[i]!.replace(/: /, ': &a ');
      l[j] = l[j]!.replace(/: (\S+)/, ': *a');
      return l.join('\n');
    },
  },
  {
    name: 'delete a line',
    apply: (t, r) => {
      const l = lines(t);
      l.splice(Math.floor(r() * l.length), 1);
      return l.join('\n');
    },
  },
  {
    name: 'duplicate a line',
    apply: (t, r) => {
      const l = lines(t);
      const i = Math.floor(r() * l.length);
      l.splice(i, 0, l[i]!);
      return l.join('\n');
    },
  },
  {
    name: 'swap two lines',
    apply: (t, r) => {
      const l = lines(t);
      const i = Math.floor(r() * l.length);
      const j = Math.floor(r() * l.length);
      [l[i], l[j]] = [l[j]!, l[i]!];
      return l.join('\n');
    },
  },
  {
    name: 'indent or dedent a line',
    apply: (t, r) => {
      const l = lines(t);
      const i = Math.floor(r() * l.length);
      l[i] = r() < 0.5 ? `  ${l[i]}` : l[i]!.replace(/^ {1,2}/, '');
      return l.join('\n');
    },
  },
  { name: 'truncate', apply: (t, r) => t.slice(0, at(t, r)) },
  {
    name: 'repeat a value',
    apply: (t, r) => {
      const l = lines(t);
      const i = Math.floor(r() * l.length);
      l[i] = l[i]!.replace(/: (\S+)/, (_m, v: string) => `: ${v.repeat(1 + Math.floor(r() * 200))}`);
      return l.join('\n');
    },
  },
  { name: 'CR line endings', apply: (t) => t.replace(/\n/g, '\r') },
  {
    name: 'replace a scalar with a special value',
    apply: (t, r) => {
      const l = lines(t);
      const i = Math.floor(r() * l.length);
      l[i] = l[i]!.replace(/: ([^\s{[]+)/, `: ${pick(SPECIAL, r)}`);
      return l.join('\n');
    },
  },
];

/** 1 to 3 mutations of `text`; returns the mutated text and what was done. */
export function mutate(text: string, rnd: () => number): { text: string; applied: string[] } {
  let out = text;
  const applied: string[] = [];
  const count = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < count; i++) {
    const mutation = pick(MUTATIONS, rnd);
    out = mutation.apply(out, rnd);
    applied.push(mutation.name);
  }
  return { text: out, applied };
}
