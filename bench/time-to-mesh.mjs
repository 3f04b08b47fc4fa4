// Benchmark 4: time to mesh. The real plans of the examples (2, 3 and 6 clusters) applied by the built
// Session through the fake toolchain (test/fake-toolchain), whose calls sleep for the durations of the
// timing model (lib/time-model.mjs) scaled down, and whose clusters pay for image pulls. Each apply's
// wall time is compared with
// - the critical path of the model's durations (what no scheduler can beat on a real machine, scaled);
// - the critical path of the durations the steps really took in that run (state's durationMs): on a
//   busy 2-CPU machine every fake call also costs a Node start-up, and this ratio leaves that out, so it
//   shows the scheduler's own quality;
// - a sequential run (three clusters), and the earlier scheduler (plan order, a flat 4 at once).
// Alongside, the same plans on a logical clock (simulateSchedule): the list schedule each scheduler
// makes with exactly the model's durations, free of any machine noise.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { enableFakeToolchainImports } from './lib/ts-hooks.mjs';
import { disagreements, modelMs, sleepRules } from './lib/time-model.mjs';
import { fmtMs, fmtRatio, ratio, table } from './lib/stats.mjs';

const nullStream = { write: () => true, isTTY: false };

export const EXAMPLES = [
  { name: 'linkerd-multicluster', clusters: 2 },
  { name: 'three-clusters', clusters: 3 },
  { name: 'six-clusters', clusters: 6 },
];

export async function benchTimeToMesh({ repoRoot, core, log, scale, pullSeconds }) {
  // The simulation's experimental TypeScript transform warns once; nothing to act on in a bench.
  const quiet = process.emitWarning;
  process.emitWarning = (w, ...rest) => (String(w).includes('stripTypeScriptTypes') ? undefined : quiet.call(process, w, ...rest));
  await enableFakeToolchainImports(repoRoot);
  // Every fake call is a Node process: let them share compiled code, so less of the wall time is start-up.
  process.env.NODE_COMPILE_CACHE ??= join(tmpdir(), 'meshspec-bench-compile-cache');
  const { withFakeToolchain } = await import(pathToFileURL(join(repoRoot, 'test/fake-toolchain/index.ts')).href);
  const { builtinPlugins } = await import(pathToFileURL(join(repoRoot, 'packages/cli/dist/builtin-plugins.js')).href);
  const { Session, createLogger, criticalPath, simulateSchedule, defaultResourceLimits } = core;
  const machineLimits = defaultResourceLimits();
  const pullMs = Math.round(pullSeconds * 1000 * scale);

  /** One apply of `example` from scratch; returns wall time, per-step durations and the plan. */
  async function apply(example, run) {
    const fake = withFakeToolchain({ kindCreateMs: 0, sleep: sleepRules(scale), ...(run.pulls ? { pullMs } : {}) });
    try {
      const logger = createLogger({ stream: nullStream, verbose: false });
      const runner = fake.runner(logger);
      const stateDir = join(fake.root, 'state');
      const file = join(repoRoot, 'examples', example.name, 'topology.yaml');
      const session = await Session.open({
        file,
        plugins: builtinPlugins,
        log: logger,
        stateDir,
        runner,
        kube: fake.clusters,
        helm: fake.helm(runner),
      });
      await session.prepare();
      const began = performance.now();
      const summary = await session.apply({ renderer: 'json', stdout: nullStream, ...run.options });
      const wallMs = performance.now() - began;
      if (!summary.ok) throw new Error(`${example.name} (${run.label}): apply failed: ${JSON.stringify(summary.failed)}`);
      const recorded = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')).steps;
      const measuredCp = criticalPath(session.plan, (n) => recorded[n.id]?.durationMs ?? 0).totalMs;
      const pulls = readPulls(fake.stateDir);
      return { wallMs, measuredCpMs: measuredCp, pulls, plan: session.plan };
    } finally {
      fake.cleanup();
    }
  }

  const rows = [];
  const json = { scale, pullSeconds, machineLimits, examples: {} };
  for (const example of EXAMPLES) {
    const createsUnbounded = { ...machineLimits, 'cluster-create': Math.max(machineLimits['cluster-create'], example.clusters) };
    const runs = [
      {
        key: 'flat4',
        label: 'before: plan order, flat 4',
        options: { order: 'plan', limits: {}, concurrency: 4 },
        sim: { order: 'plan', limits: {}, total: 4 },
      },
      {
        key: 'criticalPath',
        label: `after: critical path, this machine's limits`,
        options: { limits: machineLimits },
        sim: { limits: machineLimits },
      },
      ...(createsUnbounded['cluster-create'] !== machineLimits['cluster-create']
        ? [
            {
              key: 'criticalPathAllCreates',
              label: `after, ${example.clusters} kind creates at once`,
              options: { limits: createsUnbounded },
              sim: { limits: createsUnbounded },
            },
          ]
        : []),
      ...(example.clusters === 3
        ? [{ key: 'sequential', label: 'sequential (concurrency 1)', options: { concurrency: 1 }, sim: { limits: {}, total: 1 } }]
        : []),
      { key: 'withPulls', label: `after, + image pulls (${pullSeconds} s each)`, options: { limits: machineLimits }, pulls: true },
    ];
    const results = {};
    let modelCp;
    for (const run of runs) {
      log(`  time-to-mesh: ${example.name}, ${run.label} ...`);
      const r = await apply(example, run);
      if (modelCp === undefined) {
        const problems = disagreements(r.plan);
        if (problems.length > 0)
          throw new Error(
            `the timing model and the plugins' estimates differ ("the same durations" would not hold):\n${problems.join('\n')}`,
          );
        modelCp = criticalPath(r.plan, (n) => modelMs(n, scale)).totalMs;
      }
      const simulated = run.sim ? simulateSchedule(r.plan, { ...run.sim, durationOf: (n) => modelMs(n, scale) }).makespanMs : undefined;
      results[run.key] = {
        label: run.label,
        wallMs: Math.round(r.wallMs),
        vsModelCriticalPath: ratio(r.wallMs, modelCp),
        measuredCriticalPathMs: r.measuredCpMs,
        vsMeasuredCriticalPath: ratio(r.wallMs, r.measuredCpMs),
        ...(simulated !== undefined ? { listScheduleMs: simulated, listScheduleVsCriticalPath: ratio(simulated, modelCp) } : {}),
        ...(run.pulls ? { pulls: summarizePulls(r.pulls) } : {}),
      };
    }
    const sequentialSpeedUp = results.sequential ? ratio(results.sequential.wallMs, results.criticalPath.wallMs) : undefined;
    json.examples[example.name] = {
      clusters: example.clusters,
      modelCriticalPathMs: modelCp,
      runs: results,
      ...(sequentialSpeedUp ? { sequentialSpeedUp } : {}),
    };
    for (const [key, r] of Object.entries(results)) {
      rows.push([
        `${example.clusters} clusters: ${r.label}`,
        fmtMs(r.wallMs),
        fmtRatio(r.vsModelCriticalPath),
        fmtRatio(r.vsMeasuredCriticalPath),
        r.listScheduleVsCriticalPath !== undefined ? fmtRatio(r.listScheduleVsCriticalPath) : '',
        key === 'sequential'
          ? `${fmtRatio(sequentialSpeedUp)} slower than critical path sched.`
          : r.pulls
            ? `${r.pulls.total} pulls of ${r.pulls.distinctImages} images, each up to ${r.pulls.maxUpstreamPullsPerImage}× from the internet (${fmtMs(r.pulls.totalMs)})`
            : '',
      ]);
    }
  }
  const flags = [];
  for (const [name, e] of Object.entries(json.examples)) {
    const best = Math.min(...['criticalPath', 'criticalPathAllCreates'].map((k) => e.runs[k]?.vsMeasuredCriticalPath ?? Infinity));
    if (best > 1.05) flags.push(`time-to-mesh ${name}: best wall / measured critical path ${fmtRatio(best)} (goal ≤ 1.05×)`);
  }
  if (json.examples['three-clusters']?.sequentialSpeedUp < 3)
    flags.push(
      `time-to-mesh three-clusters: ${fmtRatio(json.examples['three-clusters'].sequentialSpeedUp)} faster than sequential (goal ≥ 3×)`,
    );
  const text = [
    `4. Time to mesh — the examples' real plans through the fake toolchain, durations × ${scale} (kind create ${fmtMs(35000 * scale)}, control plane ${fmtMs(90000 * scale)}, ...); this machine's limits: ${Object.entries(
      machineLimits,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    '   vs model CP = wall / critical path of the model durations; vs measured CP = wall / critical path of what the steps took in that run; list schedule = the same scheduler on a logical clock with the model durations / model CP',
    table(['run', 'wall', 'vs model CP', 'vs measured CP', 'list schedule', ''], rows),
    ...Object.entries(json.examples).map(([name, e]) => `   ${name}: model critical path ${fmtMs(e.modelCriticalPathMs)}`),
  ].join('\n');
  return { json, text, flags };
}

function readJsonLines(file) {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  } catch {
    return [];
  }
}

/**
 * The fake's two pull logs: images/pulls.jsonl (the timing model: what each pull cost, per cluster) and
 * registry/pulls.jsonl (the exact model: every node's and every mirror's pull, and where from).
 */
function readPulls(fakeStateDir) {
  return {
    timed: readJsonLines(join(fakeStateDir, 'images', 'pulls.jsonl')),
    exact: readJsonLines(join(fakeStateDir, 'registry', 'pulls.jsonl')),
  };
}

function summarizePulls({ timed, exact }) {
  // From the internet: the exact model's `from: 'upstream'` (a node without a mirror, or a mirror's cache miss).
  const fromInternet = new Map();
  for (const p of exact) if (p.from === 'upstream') fromInternet.set(p.image, (fromInternet.get(p.image) ?? 0) + 1);
  const distinct = new Set(exact.map((p) => p.image));
  return {
    total: exact.length,
    distinctImages: distinct.size,
    /** Pulls from the internet (by nodes or by mirrors) per image, at most. */
    maxUpstreamPullsPerImage: Math.max(0, ...fromInternet.values()),
    /** What the timing model charged for its pulls. */
    totalMs: timed.reduce((sum, p) => sum + p.ms, 0),
  };
}
