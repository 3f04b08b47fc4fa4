// Scale on kwok: a full-mesh topology of N simulated clusters (kwokClusters + Linkerd, every cluster linked
// into every other). Two parts:
// - plan (default section `kwok-plan`): `meshspec plan` of the 50-cluster topology, wall and CPU time of the
//   process (CPU is what the machine's load does not inflate), against `node -e 0` as the baseline;
// - apply (opt-in section `kwok-apply`, minutes and GiBs): for each size (5, 20, 50 by default) `meshspec
//   apply` with the REAL kwokctl and control planes from the test assets and the FAKE linkerd CLI
//   (test/fake-toolchain), then the apply time per cluster and the memory of every process the clusters
//   run (RSS summed over processes whose working directory is in the size's kwok work dir). Before a size,
//   the memory it will need (clusters × the last size's RSS per cluster, +15 %) is compared with
//   MemAvailable: a size that does not fit is not started, and the report says where it stops and why.
//   Clusters are removed with `kwokctl delete cluster` after each size (not timed).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarize } from './lib/stats.mjs';

export class KwokPrerequisite extends Error {}

/** The scale topology: `n` clusters c00..c<n-1>, kwok, Linkerd full mesh exporting the demo app's podinfo. */
export function fullMeshTopology(n) {
  const names = Array.from({ length: n }, (_, i) => `c${String(i).padStart(2, '0')}`);
  // 4 addresses per cluster: 50 clusters need 200 of TEST-NET-2's 254.
  return [
    'apiVersion: meshspec.dev/v1alpha1',
    'kind: Topology',
    `metadata: { name: kwok-${n} }`,
    'clusters:',
    ...names.map((c) => `  ${c}: {}`),
    'kwokClusters:',
    '  loadBalancerRange: 198.51.100.0/24',
    '  loadBalancerPoolSize: 4',
    'linkerd:',
    '  version: stable-2.13.3',
    '  viz: false',
    '  links: full-mesh',
    '  export: [{ namespace: test, service: podinfo }]',
    // The exported service must exist: the demo app deploys it (simulated pods).
    'workloads:',
    '  demo: { namespace: test }',
    '',
  ].join('\n');
}

/** Wall, user+sys CPU (s) and max RSS (KiB) of a child, through GNU time. */
function timed(command, args, options) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', command, ...args], { encoding: 'utf8', maxBuffer: 512 * 2 ** 20, ...options });
  const last = r.stderr.trim().split('\n').at(-1) ?? '';
  const [wall, user, sys, rss] = last.split(' ').map(Number);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, wallMs: wall * 1000, cpuMs: (user + sys) * 1000, maxRssKiB: rss };
}

export async function benchKwokPlan({ cliBin, runs = 5, size = 50 }) {
  if (!existsSync('/usr/bin/time'))
    throw new KwokPrerequisite('the kwok-plan section reads CPU time through /usr/bin/time (GNU time), which is missing');
  const dir = mkdtempSync(join(tmpdir(), 'meshspec-bench-plan-'));
  try {
    const file = join(dir, 'topology.yaml');
    writeFileSync(file, fullMeshTopology(size));
    const base = [];
    const plan = [];
    let steps;
    for (let i = 0; i < runs + 1; i++) {
      const b = timed(process.execPath, ['-e', '0'], { cwd: dir });
      const p = timed(process.execPath, [cliBin, 'plan', file, '-o', 'json'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
      if (p.status !== 0) throw new Error(`meshspec plan of the ${size}-cluster topology failed:\n${p.stderr}`);
      steps ??= JSON.parse(p.stdout).steps.length;
      if (i === 0) continue; // warm-up: the composed schema's validator is compiled and cached
      base.push(b);
      plan.push(p);
    }
    const wall = summarize(plan.map((p) => p.wallMs));
    const cpu = summarize(plan.map((p) => p.cpuMs));
    const baseline = summarize(base.map((p) => p.wallMs));
    const flags = cpu.medianMs > 1000 ? [`plan of ${size} clusters used ${(cpu.medianMs / 1000).toFixed(2)} s of CPU (budget 1 s)`] : [];
    const text = [
      `kwok-plan: meshspec plan of a ${size}-cluster full mesh (${steps} steps), ${runs} runs after a warm-up`,
      `  wall ${Math.round(wall.medianMs)} ms median (min ${Math.round(wall.minMs)}), CPU ${Math.round(cpu.medianMs)} ms median (min ${Math.round(cpu.minMs)}); node -e 0: ${Math.round(baseline.medianMs)} ms wall → plan/baseline ${(wall.medianMs / baseline.medianMs).toFixed(1)}×`,
    ].join('\n');
    return { json: { size, steps, wallMs: wall, cpuMs: cpu, baselineMs: baseline }, text, flags };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function memAvailableKiB() {
  const m = /MemAvailable:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'));
  return m ? Number(m[1]) : 0;
}

/** Summed RSS (KiB) and count of the processes whose working directory lies under `dir`. */
function rssUnder(dir) {
  let kib = 0;
  let count = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readlinkSync(`/proc/${pid}/cwd`).startsWith(dir)) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (rss) {
        kib += Number(rss[1]);
        count++;
      }
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return { kib, count };
}

function assetsDir(repoRoot) {
  const r = spawnSync('bash', [join(repoRoot, 'scripts/test-assets/provision.sh'), '--check', '--print-dir'], { encoding: 'utf8' });
  const dir = r.stdout.trim().split('\n').at(-1);
  const need = ['kwokctl', 'kwok', 'etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];
  if (r.status !== 0 || !dir || need.some((b) => !existsSync(join(dir, b)))) {
    throw new KwokPrerequisite(
      `kwok-apply needs ${need.join(', ')} from the test assets; build them with \`bash scripts/test-assets/provision.sh\``,
    );
  }
  return dir;
}

function run(command, args, options, timeoutMs) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out = (out + c).slice(-20000)));
    child.stderr.on('data', (c) => (out = (out + c).slice(-20000)));
    const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, ms: Date.now() - started, timedOut: Date.now() - started >= timeoutMs });
    });
  });
}

export async function benchKwokApply({ repoRoot, cliBin, log, sizes = [5, 20, 50], timeoutMs = 30 * 60_000 }) {
  const bin = assetsDir(repoRoot);
  const etcdVersion = /etcd Version:\s*(\S+)/.exec(execFileSync(join(bin, 'etcd'), ['--version'], { encoding: 'utf8' }))?.[1];
  const rows = [];
  let perClusterKiB = 700 * 1024; // first guess until a size is measured: a control plane is ~0.5-0.7 GiB
  let stoppedAt;
  for (const n of sizes) {
    const need = Math.round(n * perClusterKiB * 1.15);
    const available = memAvailableKiB();
    if (need > available) {
      stoppedAt = {
        size: n,
        reason: `needs ~${(need / 2 ** 20).toFixed(1)} GiB (${n} × ${(perClusterKiB / 1024).toFixed(0)} MiB + 15 %), ${(available / 2 ** 20).toFixed(1)} GiB available; about ${Math.floor(available / (perClusterKiB * 1.15))} clusters would fit`,
      };
      log(`kwok-apply: not starting ${n} clusters: ${stoppedAt.reason}`);
      break;
    }
    const dir = mkdtempSync(join(tmpdir(), `meshspec-bench-kwok-${n}-`));
    const workdir = join(dir, '.meshspec', `kwok-${n}`, 'kwok');
    const kubeconfig = join(dir, 'kubeconfig');
    const tools = join(dir, 'bin');
    execFileSync('mkdir', ['-p', tools]);
    execFileSync('ln', ['-s', join(bin, 'kwokctl'), join(tools, 'kwokctl')]);
    execFileSync('ln', ['-s', join(repoRoot, 'test/fake-toolchain/bin/linkerd'), join(tools, 'linkerd')]);
    writeFileSync(join(dir, 'topology.yaml'), fullMeshTopology(n));
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n', { mode: 0o600 });
    const env = {
      ...process.env,
      PATH: `${tools}:${process.env.PATH}`,
      KWOK_KUBE_APISERVER_BINARY: join(bin, 'kube-apiserver'),
      KWOK_KUBE_CONTROLLER_MANAGER_BINARY: join(bin, 'kube-controller-manager'),
      KWOK_KUBE_SCHEDULER_BINARY: join(bin, 'kube-scheduler'),
      KWOK_CONTROLLER_BINARY: join(bin, 'kwok'),
      KWOK_ETCD_BINARY: join(bin, 'etcd'),
      ...(etcdVersion ? { KWOK_ETCD_VERSION: etcdVersion } : {}),
      MESHSPEC_FAKE_CLUSTERS: 'kubeconfig',
      CI: 'true',
      NO_COLOR: '1',
    };
    delete env.KUBECONFIG;
    log(`kwok-apply: ${n} clusters (${n * (n - 1)} links) ...`);
    const apply = await run(process.execPath, [cliBin, 'apply', 'topology.yaml', '--kubeconfig', kubeconfig], { cwd: dir, env }, timeoutMs);
    const memory = rssUnder(workdir);
    const created = existsSync(join(workdir, 'clusters')) ? readdirSync(join(workdir, 'clusters')).length : 0;
    const row = {
      clusters: n,
      ok: apply.code === 0,
      applyMs: apply.ms,
      applyMsPerCluster: apply.ms / n,
      rssKiB: memory.kib,
      rssKiBPerCluster: created ? memory.kib / created : 0,
      processes: memory.count,
      created,
    };
    rows.push(row);
    if (!row.ok) {
      stoppedAt = {
        size: n,
        reason: apply.timedOut
          ? `apply did not finish in ${timeoutMs / 60000} min (${created} clusters created)`
          : `apply failed (exit ${apply.code}, ${created} clusters created):\n${apply.out.slice(-3000)}`,
      };
    } else if (created) perClusterKiB = memory.kib / created;
    log(
      `kwok-apply: ${n} clusters: ${row.ok ? 'ok' : 'FAILED'} in ${(apply.ms / 1000).toFixed(0)} s, ${(memory.kib / 2 ** 20).toFixed(2)} GiB in ${memory.count} processes`,
    );
    // Clean up with kwokctl itself (a meshspec destroy would first undo Linkerd in every cluster).
    const names = spawnSync(join(bin, 'kwokctl'), ['get', 'clusters'], { encoding: 'utf8', env: { ...env, KWOK_WORKDIR: workdir } })
      .stdout.split('\n')
      .filter(Boolean);
    for (const name of names)
      spawnSync(join(bin, 'kwokctl'), ['delete', 'cluster', '--name', name, '--kubeconfig', kubeconfig], {
        env: { ...env, KWOK_WORKDIR: workdir },
      });
    rmSync(dir, { recursive: true, force: true });
    if (stoppedAt) break;
  }
  const text = [
    'kwok-apply: meshspec apply of a full mesh on kwok (real control planes, FAKE linkerd CLI)',
    ...rows.map(
      (r) =>
        `  ${String(r.clusters).padStart(3)} clusters: ${r.ok ? '' : 'FAILED '}apply ${(r.applyMs / 1000).toFixed(0)} s (${(r.applyMsPerCluster / 1000).toFixed(1)} s/cluster), RSS ${(r.rssKiB / 2 ** 20).toFixed(2)} GiB (${(r.rssKiBPerCluster / 1024).toFixed(0)} MiB/cluster, ${r.processes} processes)`,
    ),
    ...(stoppedAt ? [`  stops at ${stoppedAt.size} clusters: ${stoppedAt.reason}`] : []),
  ].join('\n');
  return { json: { rows, stoppedAt }, text, flags: stoppedAt ? [`kwok-apply stops at ${stoppedAt.size} clusters`] : [] };
}
