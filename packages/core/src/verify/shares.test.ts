import { describe, expect, it } from 'vitest';
import { binomialAcceptance, formatSplitTable, judgeSplit } from './shares.js';

// Expected intervals computed independently with exact rational arithmetic (Python fractions + math.comb),
// same rule: cut at most (1-confidence)/2 of the mass from each tail.
describe('binomialAcceptance (exact binomial, central interval)', () => {
  it.each([
    { n: 100, p: 1 / 2, confidence: 0.99, low: 37, high: 63 },
    { n: 100, p: 1 / 2, confidence: 0.995, low: 36, high: 64 },
    { n: 100, p: 1 / 20, confidence: 0.99, low: 0, high: 11 },
    { n: 100, p: 1 / 3, confidence: 0.99, low: 22, high: 46 },
    { n: 100, p: 1 / 3, confidence: 1 - 1 / 300, low: 20, high: 47 },
    { n: 1000, p: 1 / 2, confidence: 0.99, low: 459, high: 541 },
    { n: 20, p: 9 / 10, confidence: 0.99, low: 14, high: 20 },
    { n: 10, p: 1 / 2, confidence: 0.99, low: 1, high: 9 },
    { n: 100, p: 0, confidence: 0.99, low: 0, high: 0 },
    { n: 100, p: 1, confidence: 0.99, low: 100, high: 100 },
  ])('n=$n p=$p at $confidence -> [$low, $high]', ({ n, p, confidence, low, high }) => {
    expect(binomialAcceptance(n, p, confidence)).toEqual({ low, high });
  });

  it('stays finite for large N (log-space pmf)', () => {
    const { low, high } = binomialAcceptance(100_000, 0.5, 0.99);
    expect(low).toBeGreaterThan(49_500);
    expect(high).toBeLessThan(50_500);
    expect(low + high).toBe(100_000);
  });

  it('rejects nonsense', () => {
    expect(() => binomialAcceptance(-1, 0.5, 0.99)).toThrow(/whole number/);
    expect(() => binomialAcceptance(10, 1.5, 0.99)).toThrow(/probability/);
  });
});

interface SplitCase {
  name: string;
  backends: [string, number][];
  observed: Record<string, number>;
  failed: number;
  ok: boolean;
  rows: boolean[];
}

describe('judgeSplit', () => {
  it.each<SplitCase>([
    {
      name: 'even split within tolerance',
      backends: [
        ['demo', 50],
        ['demo3', 50],
      ],
      observed: { demo: 45, demo3: 55 },
      failed: 0,
      ok: true,
      rows: [true, true],
    },
    // Two varying backends: each tested at 99.5% -> [36, 64] for 50/50 at N=100.
    {
      name: 'edge of the Bonferroni interval passes',
      backends: [
        ['demo', 50],
        ['demo3', 50],
      ],
      observed: { demo: 36, demo3: 64 },
      failed: 0,
      ok: true,
      rows: [true, true],
    },
    {
      name: 'skewed split fails both rows',
      backends: [
        ['demo', 50],
        ['demo3', 50],
      ],
      observed: { demo: 90, demo3: 10 },
      failed: 0,
      ok: false,
      rows: [false, false],
    },
    {
      name: 'weights not summing to 100 are relative (1:3)',
      backends: [
        ['demo', 1],
        ['demo3', 3],
      ],
      observed: { demo: 25, demo3: 75 },
      failed: 0,
      ok: true,
      rows: [true, true],
    },
    {
      name: 'weight 0 must get nothing',
      backends: [
        ['demo', 100],
        ['demo3', 0],
      ],
      observed: { demo: 99, demo3: 1 },
      failed: 0,
      ok: false,
      rows: [false, false],
    },
    {
      name: 'a cluster that never answers',
      backends: [
        ['demo', 50],
        ['demo3', 50],
      ],
      observed: { demo: 50 },
      failed: 50,
      ok: false,
      rows: [true, false],
    },
    {
      name: 'answers from a cluster outside the split',
      backends: [['demo', 100]],
      observed: { demo: 95, other: 5 },
      failed: 0,
      ok: false,
      rows: [false],
    },
    {
      name: 'three-way equal split 34/33/33',
      backends: [
        ['a', 34],
        ['b', 33],
        ['c', 33],
      ],
      observed: { a: 30, b: 36, c: 34 },
      failed: 0,
      ok: true,
      rows: [true, true, true],
    },
  ])('$name', ({ backends, observed, failed, ok, rows }) => {
    const verdict = judgeSplit(
      backends.map(([name, weight]) => ({ name, weight })),
      observed,
      failed,
    );
    expect(verdict.ok).toBe(ok);
    expect(verdict.backends.map((b) => b.ok)).toEqual(rows);
    expect(verdict.requests).toBe(100);
  });

  it('expected shares follow normalised weights', () => {
    const v = judgeSplit(
      [
        { name: 'a', weight: 1 },
        { name: 'b', weight: 3 },
      ],
      { a: 25, b: 75 },
    );
    expect(v.backends.map((b) => [b.expectedShare, b.expectedCount])).toEqual([
      [0.25, 25],
      [0.75, 75],
    ]);
    expect(v.confidence).toBeCloseTo(0.995, 10);
    expect(v.method).toBe('exact-binomial');
  });

  it('merges duplicate backend names (local listed twice) like the smi renderer', () => {
    const v = judgeSplit(
      [
        { name: 'a', weight: 10 },
        { name: 'a', weight: 10 },
        { name: 'b', weight: 20 },
      ],
      { a: 50, b: 50 },
    );
    expect(v.backends.map((b) => [b.name, b.weight])).toEqual([
      ['a', 20],
      ['b', 20],
    ]);
  });

  it('a split with no weight is an error', () => {
    expect(() => judgeSplit([{ name: 'a', weight: 0 }], {})).toThrow(/at least one backend/);
  });

  it('zero requests never pass', () => {
    expect(judgeSplit([{ name: 'a', weight: 1 }], {}).ok).toBe(false);
  });
});

describe('formatSplitTable', () => {
  it('renders rows for backends, strangers and missing answers', () => {
    const v = judgeSplit(
      [
        { name: 'demo', weight: 50 },
        { name: 'demo3', weight: 50 },
      ],
      { demo: 48, x: 2 },
      50,
    );
    expect(formatSplitTable('test/podinfo from demo', v)).toBe(
      [
        '✗ test/podinfo from demo (100 requests, 99% exact binomial interval per split)',
        '       backend            weight  expected      accepted  observed',
        '    ✓  demo               50      50.0% (50.0)  36–64     48',
        '    ✗  demo3              50      50.0% (50.0)  36–64     0',
        '    ✗  x (not a backend)  -       0.0% (0.0)    0–0       2',
        '    ✗  (no answer)        -       0.0% (0.0)    0–0       50',
      ].join('\n'),
    );
  });
});
