// Benchmark 2: the step runner. A synthetic plan shaped like a real topology (a few global steps and one
// chain of steps per cluster), every step sleeping the same time, run by the built core's runPlan with
// concurrency 1 (sequential) and 4 (DAG-driven) in this process; plus a no-op re-apply (everything
// up to date) against the first apply. Sleeping steps make the ideal numbers exact, so the ratios show
// scheduling quality and runner overhead, not the speed of any tool.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fmtMs, fmtRatio, ratio, summarize, table, timeAsync } from './lib/stats.mjs';

const nullStream = { write: () => true, isTTY: false };

/**
 * Globals `net` and `certs`; per cluster a chain s1..sN where s1 needs `net` and the middle step also
 * needs `certs` (like a control plane needing the trust anchor); a final global `links` needs every
 * chain's last step (like multicluster links).
 */
export function syntheticSteps({ clusters, stepsPerCluster, stepMs }) {
  const run = async (ctx) => {
    await sleep(stepMs, undefined, { signal: ctx.signal });
    return {};
  };
  const step = (id, extra) => ({ id, title: id, plan: [`sleep ${stepMs}ms`], run, ...extra });
  const steps = [step('bench:net'), step('bench:certs')];
  const middle = Math.ceil(stepsPerCluster / 2);
  const names = Array.from({ length: clusters }, (_, i) => `c${i + 1}`);
  for (const c of names) {
    for (let i = 1; i <= stepsPerCluster; i++) {
      const needs = i === 1 ? ['bench:net'] : [`bench:s${i - 1}@${c}`];
      if (i === middle) needs.push('bench:certs');
      steps.push(step(`bench:s${i}@${c}`, { cluster: c, needs }));
    }
  }
  steps.push(step('bench:links', { needs: names.map((c) => `bench:s${stepsPerCluster}@${c}`) }));
  return steps;
}

/** Lower bound of the wall time with `slots` parallel slots: list-scheduling over the longest chain. */
function idealMs({ clusters, stepsPerCluster, stepMs }, slots) {
  const total = 3 + clusters * stepsPerCluster;
  if (slots === 1) return total * stepMs;
  // Critical path: net -> s1..sN -> links; with at least clusters+1 slots nothing else waits.
  const critical = (stepsPerCluster + 2) * stepMs;
  return Math.max(critical, Math.ceil(total / slots) * stepMs);
}

export async function benchRunner({ core, reps, shape }) {
  const { buildPlan, runPlan, StateStore } = core;
  const plan = buildPlan(syntheticSteps(shape));
  const dirs = [];
  const freshDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'meshspec-bench-runner-'));
    dirs.push(d);
    return d;
  };
  const apply = async (dir, concurrency) => {
    const state = await StateStore.open(dir, 'bench');
    const { ms, value: summary } = await timeAsync(() =>
      runPlan({ plan, mode: 'apply', state, concurrency, renderer: 'json', stdout: nullStream, createContext: () => ({}) }),
    );
    if (!summary.ok) throw new Error(`synthetic plan failed: ${JSON.stringify(summary.failed)}`);
    return { ms, summary };
  };

  const sequential = [];
  const dag = [];
  const noop = [];
  try {
    await apply(freshDir(), 4); // warm-up: JIT, module init, first fs writes
    for (let i = 0; i < reps; i++) {
      // Alternate which goes first so neither always runs on a "warmer" process.
      const order = i % 2 === 0 ? [1, 4] : [4, 1];
      for (const concurrency of order) {
        const dir = freshDir();
        const first = await apply(dir, concurrency);
        if (first.summary.completed.length !== plan.steps.length)
          throw new Error(`expected ${plan.steps.length} steps to run, ${first.summary.completed.length} did`);
        (concurrency === 1 ? sequential : dag).push(first.ms);
        if (concurrency === 4) {
          // Re-open state from disk, as a second `meshspec apply` would.
          const again = await apply(dir, 4);
          if (again.summary.upToDate.length !== plan.steps.length)
            throw new Error(`no-op re-apply ran steps: ${again.summary.completed.join(', ')}`);
          noop.push(again.ms);
        }
      }
    }
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }

  const seq = summarize(sequential);
  const par = summarize(dag);
  const re = summarize(noop);
  const json = {
    shape: { ...shape, steps: plan.steps.length },
    reps,
    sequential: { concurrency: 1, ...seq, idealMs: idealMs(shape, 1) },
    dag: { concurrency: 4, ...par, idealMs: idealMs(shape, 4) },
    speedUp: ratio(seq.medianMs, par.medianMs),
    idealSpeedUp: ratio(idealMs(shape, 1), idealMs(shape, 4)),
    noopReapply: { ...re, ratioVsFirstApply: ratio(re.medianMs, par.medianMs) },
  };
  const text = [
    `2. Runner — synthetic plan: ${shape.clusters} clusters × ${shape.stepsPerCluster}-step chains + 3 global steps = ${plan.steps.length} steps of ${shape.stepMs} ms; median of ${reps}`,
    table(
      ['run', 'median', 'min', 'max', 'ideal', 'ratio'],
      [
        [
          'apply, concurrency 1 (sequential)',
          fmtMs(seq.medianMs),
          fmtMs(seq.minMs),
          fmtMs(seq.maxMs),
          fmtMs(json.sequential.idealMs),
          '1.00× (baseline)',
        ],
        [
          'apply, concurrency 4 (DAG)',
          fmtMs(par.medianMs),
          fmtMs(par.minMs),
          fmtMs(par.maxMs),
          fmtMs(json.dag.idealMs),
          `${fmtRatio(json.speedUp)} faster (ideal ${fmtRatio(json.idealSpeedUp)})`,
        ],
        [
          'no-op re-apply (all up to date)',
          fmtMs(re.medianMs),
          fmtMs(re.minMs),
          fmtMs(re.maxMs),
          '0 ms',
          `${fmtRatio(json.noopReapply.ratioVsFirstApply)} of first apply`,
        ],
      ],
    ),
  ].join('\n');
  return { json, text, flags: [] };
}
