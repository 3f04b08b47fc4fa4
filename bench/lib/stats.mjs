// Small statistics and formatting helpers shared by the benchmark sections.
import { performance } from 'node:perf_hooks';

export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median, min and max of a list of millisecond samples, rounded for the JSON file. */
export function summarize(samples) {
  const round = (v) => Math.round(v * 100) / 100;
  return {
    medianMs: round(median(samples)),
    minMs: round(Math.min(...samples)),
    maxMs: round(Math.max(...samples)),
    runs: samples.length,
    samplesMs: samples.map(round),
  };
}

export function ratio(numerator, denominator) {
  return Math.round((numerator / denominator) * 1000) / 1000;
}

export async function timeAsync(fn) {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

export function timeSync(fn) {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

export const fmtMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`);
export const fmtRatio = (r) => (r >= 10 ? `${r.toFixed(1)}×` : r >= 0.1 ? `${r.toFixed(2)}×` : `${r.toFixed(3)}×`);

/** A plain aligned text table; the first column is left-aligned, the rest right-aligned. */
export function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)));
  const pad = (cell, i) => {
    const gap = ' '.repeat(widths[i] - [...cell].length);
    return i === 0 ? cell + gap : gap + cell;
  };
  const lines = all.map((r) => '  ' + r.map(pad).join('   ').trimEnd());
  lines.splice(1, 0, '  ' + widths.map((w) => '-'.repeat(w)).join('   '));
  return lines.join('\n');
}
