// Benchmark 5: big topologies. `meshspec plan` of 120 clusters (full mesh: 14,280 links) and `meshspec
// validate` of 20,000 exports, as the CLI runs them (spawned, like startup.mjs), against a bare `node -e 0`.
// The goal is absolute (≤ 1 s each, issue 11), so the median is flagged above it; the ratio to bare node
// says how much of it this machine's process start-up explains.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmtMs, fmtRatio, ratio, summarize, table, timeSync } from './lib/stats.mjs';

const GOAL_MS = 1000;
// Linkerd 2.13 supports Kubernetes 1.21-1.28: the image the examples pin.
const NODE_IMAGE = 'kindest/node:v1.24.7@sha256:577c630ce8e509131eab1aea12c022190978dd2f745aac5eb1fe65c0807eb315';

export function manyClusters(n) {
  const clusters = Array.from({ length: n }, (_, i) => `  c${i}: {}`).join('\n');
  return `apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: clusters-${n} }\nclusters:\n${clusters}\nkindClusters: { workers: 0, nodeImage: "${NODE_IMAGE}" }\nmetallb: {}\nlinkerd:\n  version: stable-2.13.3\n  export: [{ namespace: test, service: podinfo }]\nsmi:\n  splits: [{ namespace: test, service: podinfo }]\nworkloads:\n  demo: { namespace: test }\n`;
}

export function manyExports(n) {
  const exports = Array.from({ length: n }, (_, i) => `    - { namespace: ns${i % 100}, service: svc${i} }`).join('\n');
  return `apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: exports-${n} }\nclusters:\n  a: {}\n  b: {}\nkindClusters: { workers: 0, nodeImage: "${NODE_IMAGE}" }\nmetallb: {}\nlinkerd:\n  version: stable-2.13.3\n  export:\n${exports}\n`;
}

export async function benchPlanSize({ repoRoot, cliBin, runs, clusters, exports }) {
  const dir = mkdtempSync(join(tmpdir(), 'meshspec-bench-size-'));
  try {
    const big = join(dir, 'clusters.yaml');
    const wide = join(dir, 'exports.yaml');
    writeFileSync(big, manyClusters(clusters));
    writeFileSync(wide, manyExports(exports));
    const cases = [
      { name: 'node -e 0 (baseline)', args: ['-e', '0'] },
      { name: `meshspec plan (${clusters} clusters)`, args: [cliBin, 'plan', big], goal: true },
      { name: `meshspec validate (${exports.toLocaleString('en')} exports)`, args: [cliBin, 'validate', wide], goal: true },
    ];
    const spawnOnce = (c) =>
      timeSync(() =>
        spawnSync(process.execPath, c.args, {
          cwd: repoRoot,
          encoding: 'utf8',
          maxBuffer: 512 * 2 ** 20,
          env: { ...process.env, NO_COLOR: '1' },
        }),
      );
    for (const c of cases) {
      const { value: r } = spawnOnce(c);
      if (r.status !== 0)
        throw new Error(`\`node ${c.args.join(' ')}\` exited ${r.status ?? r.signal}:\n${(r.stderr || r.stdout || '').slice(0, 2000)}`);
      c.summaryLine = (c.args[1] === 'plan' ? r.stdout.split('\n')[0] : r.stdout.trim().split('\n').pop()) ?? '';
    }
    const samples = new Map(cases.map((c) => [c.name, []]));
    for (let i = 0; i < runs + 1; i++)
      for (const c of cases)
        if (i > 0) samples.get(c.name).push(spawnOnce(c).ms);
        else spawnOnce(c);
    const base = summarize(samples.get(cases[0].name));
    const flags = [];
    const results = cases.map((c) => {
      const s = summarize(samples.get(c.name));
      if (c.goal && s.medianMs > GOAL_MS) flags.push(`${c.name}: median ${fmtMs(s.medianMs)} (goal ≤ 1 s)`);
      return {
        name: c.name,
        ...s,
        ratioVsNode: ratio(s.medianMs, base.medianMs),
        ...(c.goal ? { goalMs: GOAL_MS, what: c.summaryLine.replace(dir, '<tmp>') } : {}),
      };
    });
    const text = [
      `5. Big topologies — spawned CLI, median of ${runs} after a warm-up (goal ≤ 1 s each)`,
      table(
        ['command', 'median', 'min', 'max', 'vs node -e 0'],
        results.map((r) => [r.name, fmtMs(r.medianMs), fmtMs(r.minMs), fmtMs(r.maxMs), fmtRatio(r.ratioVsNode)]),
      ),
      ...results.filter((r) => r.what).map((r) => `   ${r.name}: ${r.what}`),
    ].join('\n');
    return { json: { runs, results }, text, flags };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
