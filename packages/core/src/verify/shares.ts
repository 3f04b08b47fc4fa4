// Split verification arithmetic: did N requests land on the backends in the configured proportions?
// Pure: weights + counts in, verdicts out (the request path lives elsewhere).
//
// Statistics. Each request independently lands on backend i with probability p_i = w_i / Σw (weights are
// relative, exactly as the smi plugin renders them into TrafficSplit / HTTPRoute: 1/1 means 50/50 and
// weights need not add up to 100). So the count of backend i is Binomial(N, p_i). We accept an observed
// count when it lies in the central interval of that exact binomial distribution holding 99% of the mass
// (at most 0.5% cut from each tail). Exact, not the normal approximation: with the default N = 100 and
// small shares (a 5% backend has Np = 5) the normal interval is visibly wrong and can even go negative,
// while the exact pmf costs O(N) per backend. With k backends that can vary, each one is tested at
// 1 - 0.01/k (Bonferroni), so a correct split fails the whole check less than 1% of the time instead of
// up to k%. A weight of 0 must get exactly 0 answers; a single backend must get all of them.

/** Confidence of the whole split's check (probability that a correct split passes, at least). */
export const SPLIT_CONFIDENCE = 0.99;

export interface WeightedBackend {
  /** What the answers name: the cluster that serves this share. */
  name: string;
  weight: number;
}

export interface BackendVerdict {
  name: string;
  weight: number;
  /** weight / Σweights. */
  expectedShare: number;
  /** expectedShare · requests. */
  expectedCount: number;
  /** Accepted counts, inclusive. */
  low: number;
  high: number;
  observed: number;
  ok: boolean;
}

export interface SplitVerdict {
  requests: number;
  /** Requests that got an answer naming some backend or an unexpected name. */
  answered: number;
  /** Requests without a usable answer (connection error, timeout, unparsable body). */
  failed: number;
  /** Answers from names that are not backends of the split, with counts. */
  unexpected: Record<string, number>;
  backends: BackendVerdict[];
  /** Per-backend confidence actually used (after the Bonferroni correction). */
  confidence: number;
  method: 'exact-binomial';
  ok: boolean;
}

/**
 * Smallest interval [low, high] with P(X < low) ≤ α/2 and P(X > high) ≤ α/2 for X ~ Binomial(n, p).
 * The pmf is built in log space (pmf(0) = (1-p)^n underflows for large n in linear space).
 */
export function binomialAcceptance(n: number, p: number, confidence: number): { low: number; high: number } {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`request count must be a whole number >= 0, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must be within [0, 1], got ${p}`);
  if (p === 0) return { low: 0, high: 0 };
  if (p === 1) return { low: n, high: n };
  const tail = (1 - confidence) / 2;
  const logPmf: number[] = [n * Math.log1p(-p)];
  const logRatio = Math.log(p) - Math.log1p(-p);
  for (let k = 0; k < n; k++) logPmf.push(logPmf[k]! + Math.log(n - k) - Math.log(k + 1) + logRatio);
  const pmf = logPmf.map((v) => Math.exp(v));
  let low = 0;
  for (let below = 0; low < n && below + pmf[low]! <= tail; low++) below += pmf[low]!;
  let high = n;
  for (let above = 0; high > 0 && above + pmf[high]! <= tail; high--) above += pmf[high]!;
  return { low, high };
}

/**
 * Verdict for one split: `observed` maps the name each answer carried to its count; `failed` requests got
 * no answer. The denominator is every request sent, so a backend that never answers shows up as its own
 * failing row (0 of an expected 50), not as a silently renormalised split.
 */
export function judgeSplit(backends: readonly WeightedBackend[], observed: Readonly<Record<string, number>>, failed = 0): SplitVerdict {
  const merged = new Map<string, number>();
  for (const b of backends) {
    if (!(Number.isFinite(b.weight) && b.weight >= 0)) throw new RangeError(`backend ${b.name}: weight must be >= 0, got ${b.weight}`);
    merged.set(b.name, (merged.get(b.name) ?? 0) + b.weight);
  }
  const total = [...merged.values()].reduce((a, b) => a + b, 0);
  if (merged.size === 0 || total === 0) throw new RangeError('a split needs at least one backend with a weight above 0');
  const answered = Object.values(observed).reduce((a, b) => a + b, 0);
  const requests = answered + failed;
  const varying = [...merged.values()].filter((w) => w > 0 && w < total).length;
  const confidence = 1 - (1 - SPLIT_CONFIDENCE) / Math.max(1, varying);
  const verdicts: BackendVerdict[] = [...merged].map(([name, weight]) => {
    const expectedShare = weight / total;
    const { low, high } = binomialAcceptance(requests, expectedShare, confidence);
    const count = observed[name] ?? 0;
    return {
      name,
      weight,
      expectedShare,
      expectedCount: expectedShare * requests,
      low,
      high,
      observed: count,
      ok: count >= low && count <= high,
    };
  });
  const unexpected = Object.fromEntries(Object.entries(observed).filter(([name, count]) => !merged.has(name) && count > 0));
  const ok = requests > 0 && failed === 0 && Object.keys(unexpected).length === 0 && verdicts.every((v) => v.ok);
  return { requests, answered, failed, unexpected, backends: verdicts, confidence, method: 'exact-binomial', ok };
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** The verdict as an aligned text table, one row per backend plus rows for failures and strangers. */
export function formatSplitTable(title: string, verdict: SplitVerdict): string {
  const rows: string[][] = [['', 'backend', 'weight', 'expected', 'accepted', 'observed']];
  for (const b of verdict.backends) {
    rows.push([
      b.ok ? '✓' : '✗',
      b.name,
      String(b.weight),
      `${percent(b.expectedShare)} (${b.expectedCount.toFixed(1)})`,
      `${b.low}–${b.high}`,
      String(b.observed),
    ]);
  }
  for (const [name, count] of Object.entries(verdict.unexpected))
    rows.push(['✗', `${name} (not a backend)`, '-', '0.0% (0.0)', '0–0', String(count)]);
  if (verdict.failed > 0) rows.push(['✗', '(no answer)', '-', '0.0% (0.0)', '0–0', String(verdict.failed)]);
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  const lines = rows.map((r) =>
    r
      .map((cell, col) => cell.padEnd(widths[col]!))
      .join('  ')
      .trimEnd(),
  );
  const how = `${verdict.requests} requests, ${(SPLIT_CONFIDENCE * 100).toFixed(0)}% exact binomial interval per split`;
  return [`${verdict.ok ? '✓' : '✗'} ${title} (${how})`, ...lines.map((l) => `    ${l}`)].join('\n');
}
