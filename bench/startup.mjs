// Benchmark 1: CLI start-up. Wall time of spawning the built CLI, as a ratio of spawning a bare
// `node -e 0` with the same node binary — the ratio cancels out how fast this machine starts processes.
import { spawnSync } from 'node:child_process';
import { fmtMs, fmtRatio, ratio, summarize, table, timeSync } from './lib/stats.mjs';

/** `validate` of the example should feel instant; above this we flag it (never fail: machines differ). */
export const VALIDATE_BUDGET_MS = 300;

export async function benchStartup({ repoRoot, cliBin, runs, warmups }) {
  const cases = [
    { name: 'node -e 0 (baseline)', args: ['-e', '0'] },
    { name: 'meshspec validate --help', args: [cliBin, 'validate', '--help'] },
    { name: 'meshspec validate examples/linkerd-multicluster/topology.yaml', args: [cliBin, 'validate', 'examples/linkerd-multicluster/topology.yaml'], budgetMs: VALIDATE_BUDGET_MS },
  ];
  const spawnOnce = (c) =>
    timeSync(() => spawnSync(process.execPath, c.args, { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }));

  // A failing command would benchmark its error path: check each once, clearly.
  for (const c of cases) {
    const { value: r } = spawnOnce(c);
    if (r.status !== 0) throw new Error(`\`node ${c.args.join(' ')}\` exited ${r.status ?? r.signal}:\n${(r.stderr || r.stdout || '').trim()}`);
  }
  const samples = new Map(cases.map((c) => [c.name, []]));
  // Round-robin, so slow drift of the machine (thermal, other work) hits every case alike.
  for (let i = 0; i < warmups + runs; i++) {
    for (const c of cases) {
      const { ms } = spawnOnce(c);
      if (i >= warmups) samples.get(c.name).push(ms);
    }
  }

  const baseline = summarize(samples.get(cases[0].name));
  const flags = [];
  const results = cases.map((c) => {
    const s = summarize(samples.get(c.name));
    const over = c.budgetMs !== undefined && s.medianMs > c.budgetMs;
    if (over) flags.push(`${c.name}: median ${fmtMs(s.medianMs)} exceeds the ${c.budgetMs} ms budget`);
    return { name: c.name, command: `node ${c.args.join(' ').replace(cliBin, 'packages/cli/dist/bin.js')}`, ...s, ratioVsBaseline: ratio(s.medianMs, baseline.medianMs), ...(c.budgetMs ? { budgetMs: c.budgetMs, overBudget: over } : {}) };
  });

  const text = [
    `1. CLI start-up — ${runs} runs each after ${warmups} warm-ups, interleaved; wall time of spawnSync`,
    table(
      ['command', 'median', 'min', 'max', 'ratio vs node -e 0', 'note'],
      results.map((r) => [r.name, fmtMs(r.medianMs), fmtMs(r.minMs), fmtMs(r.maxMs), fmtRatio(r.ratioVsBaseline), r.overBudget ? `⚠ over ${r.budgetMs} ms` : '']),
    ),
  ].join('\n');
  return { json: { runs, warmups, budgetMs: VALIDATE_BUDGET_MS, cases: results }, text, flags };
}
