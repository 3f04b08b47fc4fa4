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
    {
      name: 'meshspec validate examples/linkerd-multicluster/topology.yaml',
      args: [cliBin, 'validate', 'examples/linkerd-multicluster/topology.yaml'],
      budgetMs: VALIDATE_BUDGET_MS,
    },
  ];
  const spawnOnce = (c) =>
    timeSync(() => spawnSync(process.execPath, c.args, { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }));

  // A failing command would benchmark its error path: check each once, clearly.
  for (const c of cases) {
    const { value: r } = spawnOnce(c);
    if (r.status !== 0)
      throw new Error(`\`node ${c.args.join(' ')}\` exited ${r.status ?? r.signal}:\n${(r.stderr || r.stdout || '').trim()}`);
  }
  const samples = new Map(cases.map((c) => [c.name, []]));
  // Round-robin, so slow drift of the machine (thermal, other work) hits every case alike.
  for (let i = 0; i < warmups + runs; i++) {
    for (const c of cases) {
      const { ms } = spawnOnce(c);
      if (i >= warmups) samples.get(c.name).push(ms);
    }
  }

  // CPU time (user + sys) of the children, from bash's `times`: on a shared machine other processes stretch
  // wall time far more than they stretch the CPU a start-up needs, so this ratio is the steadier one.
  const cpuMs = new Map(cases.map((c) => [c.name, cpuTimePerRun(c.args, runs, repoRoot)]));
  const baselineCpu = cpuMs.get(cases[0].name);

  const baseline = summarize(samples.get(cases[0].name));
  const flags = [];
  const results = cases.map((c) => {
    const s = summarize(samples.get(c.name));
    const over = c.budgetMs !== undefined && s.medianMs > c.budgetMs;
    if (over) flags.push(`${c.name}: median ${fmtMs(s.medianMs)} exceeds the ${c.budgetMs} ms budget`);
    const cpu = cpuMs.get(c.name);
    return {
      name: c.name,
      command: `node ${c.args.join(' ').replace(cliBin, 'packages/cli/dist/bin.js')}`,
      ...s,
      ratioVsBaseline: ratio(s.medianMs, baseline.medianMs),
      ...(cpu !== undefined && baselineCpu !== undefined
        ? { cpuMsPerRun: Math.round(cpu * 10) / 10, cpuRatioVsBaseline: ratio(cpu, baselineCpu) }
        : {}),
      ...(c.budgetMs ? { budgetMs: c.budgetMs, overBudget: over } : {}),
    };
  });

  const text = [
    `1. CLI start-up — ${runs} runs each after ${warmups} warm-ups, interleaved; wall time of spawnSync`,
    table(
      ['command', 'median', 'min', 'max', 'ratio vs node -e 0', 'CPU/run', 'CPU ratio', 'note'],
      results.map((r) => [
        r.name,
        fmtMs(r.medianMs),
        fmtMs(r.minMs),
        fmtMs(r.maxMs),
        fmtRatio(r.ratioVsBaseline),
        r.cpuMsPerRun === undefined ? '-' : fmtMs(r.cpuMsPerRun),
        r.cpuRatioVsBaseline === undefined ? '-' : fmtRatio(r.cpuRatioVsBaseline),
        r.overBudget ? `⚠ over ${r.budgetMs} ms` : '',
      ]),
    ),
  ].join('\n');
  return { json: { runs, warmups, budgetMs: VALIDATE_BUDGET_MS, cases: results }, text, flags };
}

/** Mean user+sys CPU milliseconds of `node <args>` over `runs` runs, or undefined without bash. */
function cpuTimePerRun(args, runs, cwd) {
  const script = `for i in $(seq ${runs}); do "$0" "$@" >/dev/null 2>&1; done; times`;
  const r = spawnSync('bash', ['-c', script, process.execPath, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  // `times` prints the shell's own user/sys, then its children's: "0m1.234s 0m0.456s".
  const children = r.status === 0 ? r.stdout.trim().split('\n')[1] : undefined;
  const parts = children ? [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60_000 + Number(m[2]) * 1000) : [];
  return parts.length === 2 ? (parts[0] + parts[1]) / runs : undefined;
}
