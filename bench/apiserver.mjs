// Benchmark 3: meshspec's KubeClient against `kubectl apply --server-side` on a real kube-apiserver.
// One control plane (etcd + kube-apiserver, no controllers: nothing here needs reconciling) from the
// integration harness. Each round applies the same ~300 objects twice per tool — a first apply that
// creates everything and a no-op re-apply — meshspec into namespaces `bench-m<round>-*`, kubectl into
// `bench-k<round>-*`. Both send one server-side-apply request per object, so the ratio shows client
// overhead (process start, discovery, parsing, request handling), with the server's work equal.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmtMs, fmtRatio, ratio, summarize, table, timeAsync, timeSync } from './lib/stats.mjs';
import { enableTsImports } from './lib/ts-hooks.mjs';
import { toYamlDocuments } from './lib/yaml.mjs';

/** Raised when binaries are missing: the section prints `message` and the bench exits non-zero. */
export class MissingPrerequisite extends Error {}

/**
 * ConfigMaps, Services and ServiceAccounts spread over `namespaces` namespaces (Namespace objects
 * first). Services are headless: the harness's service CIDR is a /24, and several rounds of 100
 * ClusterIP Services per tool would exhaust it; allocation would cost both tools the same anyway.
 */
export function benchObjects(prefix, { perKind, namespaces }) {
  const nsNames = Array.from({ length: namespaces }, (_, i) => `${prefix}-${i + 1}`);
  const objects = nsNames.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  const labels = { 'app.kubernetes.io/part-of': 'meshspec-bench' };
  for (let i = 0; i < perKind; i++) {
    const namespace = nsNames[i % namespaces];
    const name = `bench-${String(i).padStart(3, '0')}`;
    objects.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace, labels },
      data: { index: String(i), config: `key-${i}: value-${i}\n`.repeat(8) },
    });
    objects.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace, labels },
      spec: { clusterIP: 'None', selector: { app: name }, ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }] },
    });
    objects.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, labels } });
  }
  return objects;
}

/** Multi-document block YAML: the same text (up to namespace names) goes to both tools. */
const toYaml = toYamlDocuments;

function findKubectl() {
  const candidates = [process.env.KUBECTL, '/usr/bin/kubectl'].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (found) return found;
  const which = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  throw new MissingPrerequisite(
    'kubectl not found (looked at $KUBECTL, /usr/bin/kubectl and PATH); install kubectl 1.32 or set KUBECTL=/path/to/kubectl',
  );
}

export async function benchApiServer({ repoRoot, core, rounds, shape, log }) {
  const kubectl = findKubectl();
  enableTsImports();
  const harness = await import(join(repoRoot, 'test/integration/harness/control-plane.ts'));
  let assets;
  try {
    assets = harness.resolveAssets();
  } catch (e) {
    throw new MissingPrerequisite(e.message);
  }

  const workDir = mkdtempSync(join(tmpdir(), 'meshspec-bench-api-'));
  let planes;
  let keepWorkDir = false;
  try {
    const started = Date.now();
    try {
      planes = await harness.startControlPlanes({
        count: 1,
        workDir,
        assets,
        controllers: false,
        log: (m) => log(`  [control plane] ${m}`),
      });
    } catch (e) {
      keepWorkDir = true;
      throw new Error(`control plane failed to start (logs kept in ${workDir}): ${e.message}`, { cause: e });
    }
    log(`  [control plane] up in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    const { kubeconfig } = planes;
    const context = planes.clusters[0].context;
    const objectCount = benchObjects('count', shape).length;

    const kubectlApply = (file, cacheDir) => {
      const { ms, value: r } = timeSync(() =>
        spawnSync(
          kubectl,
          ['apply', '--server-side', '-f', file, '--kubeconfig', kubeconfig, '--context', context, '--cache-dir', cacheDir],
          { encoding: 'utf8', maxBuffer: 16 << 20 },
        ),
      );
      if (r.status !== 0)
        throw new Error(
          `kubectl apply --server-side -f ${file} exited ${r.status ?? r.signal}:\n${(r.stderr || r.stdout).trim().split('\n').slice(-10).join('\n')}`,
        );
      // kubectl prints one line per object it applied; anything less means it skipped some.
      const applied = r.stdout
        .trim()
        .split('\n')
        .filter((l) => l.endsWith(' serverside-applied')).length;
      if (applied !== objectCount) throw new Error(`kubectl applied ${applied} of ${objectCount} objects:\n${r.stdout}`);
      return { ms };
    };
    // Requests per HTTP method of the apply being timed, through the client's onRequest hook (a core
    // without the hook never calls it: the counts then read "n/a").
    let sent = {};
    const meshspecApply = async (client, text) => {
      sent = {};
      const { ms, value } = await timeAsync(() => client.apply(text));
      return { ms, outcomes: countOutcomes(value.objects), requests: sent };
    };

    const samples = { meshspecFirst: [], kubectlFirst: [], meshspecNoop: [], kubectlNoop: [] };
    let lastOutcomes;
    let lastRequests = {};
    for (let round = 1; round <= rounds; round++) {
      const mText = toYaml(benchObjects(`bench-m${round}`, shape));
      const kObjects = benchObjects(`bench-k${round}`, shape);
      const kFile = join(workDir, `kubectl-round${round}.yaml`);
      writeFileSync(kFile, toYaml(kObjects));
      // Each round starts cold for both: a new meshspec client (no discovery cache) and an empty
      // kubectl discovery cache; the re-apply then reuses each tool's cache, as real use would.
      const client = core
        .createKubeClientFactory({ kubeconfigPath: kubeconfig, onRequest: ({ method }) => (sent[method] = (sent[method] ?? 0) + 1) })
        .forContext(context);
      const cacheDir = join(workDir, `kubectl-cache-${round}`);
      const runMeshspec = async () => {
        const first = await meshspecApply(client, mText);
        if (first.outcomes.created !== objectCount)
          throw new Error(`meshspec first apply: expected ${objectCount} created, got ${JSON.stringify(first.outcomes)}`);
        samples.meshspecFirst.push(first.ms);
      };
      const runKubectl = () => {
        samples.kubectlFirst.push(kubectlApply(kFile, cacheDir).ms);
      };
      // Alternate who goes first so neither always meets the warmer server.
      if (round % 2 === 1) {
        await runMeshspec();
        runKubectl();
      } else {
        runKubectl();
        await runMeshspec();
      }
      const again = await meshspecApply(client, mText);
      if (again.outcomes.unchanged !== objectCount) throw new Error(`meshspec re-apply changed objects: ${JSON.stringify(again.outcomes)}`);
      if (again.requests.PATCH) throw new Error(`meshspec no-op re-apply sent ${again.requests.PATCH} PATCH requests (expected none)`);
      lastRequests = again.requests;
      samples.meshspecNoop.push(again.ms);
      samples.kubectlNoop.push(kubectlApply(kFile, cacheDir).ms);
      lastOutcomes = again.outcomes;
      log(
        `  round ${round}/${rounds}: first ${fmtMs(samples.meshspecFirst.at(-1))} vs ${fmtMs(samples.kubectlFirst.at(-1))}, re-apply ${fmtMs(samples.meshspecNoop.at(-1))} vs ${fmtMs(samples.kubectlNoop.at(-1))} (meshspec vs kubectl)`,
      );
    }

    const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
    const json = {
      objects: objectCount,
      shape,
      rounds,
      kubectl: { path: kubectl, version: kubectlVersion(kubectl) },
      firstApply: {
        meshspec: s.meshspecFirst,
        kubectl: s.kubectlFirst,
        ratioMeshspecOverKubectl: ratio(s.meshspecFirst.medianMs, s.kubectlFirst.medianMs),
      },
      noopReapply: {
        meshspec: s.meshspecNoop,
        kubectl: s.kubectlNoop,
        ratioMeshspecOverKubectl: ratio(s.meshspecNoop.medianMs, s.kubectlNoop.medianMs),
        meshspecOutcomes: lastOutcomes,
        meshspecRequests: lastRequests,
      },
    };
    const row = (label, m, k, r) => [
      label,
      fmtMs(m.medianMs),
      fmtMs(k.medianMs),
      fmtRatio(r),
      `${fmtMs(m.medianMs / objectCount)} vs ${fmtMs(k.medianMs / objectCount)}`,
    ];
    const text = [
      `3. Real API server — ${objectCount} objects (${shape.namespaces} Namespaces + ${shape.perKind} each of ConfigMap, headless Service, ServiceAccount); median of ${rounds} rounds`,
      `   meshspec = core KubeClient.apply in-process; kubectl = \`kubectl apply --server-side -f\` (${json.kubectl.version ?? kubectl}), a process per apply`,
      table(
        ['apply', 'meshspec', 'kubectl', 'meshspec / kubectl', 'per object'],
        [
          row('first apply (creates all)', s.meshspecFirst, s.kubectlFirst, json.firstApply.ratioMeshspecOverKubectl),
          row('no-op re-apply', s.meshspecNoop, s.kubectlNoop, json.noopReapply.ratioMeshspecOverKubectl),
        ],
      ),
      `   meshspec's no-op re-apply sent ${
        Object.keys(lastRequests).length > 0
          ? Object.entries(lastRequests)
              .map(([m, n]) => `${n} ${m}`)
              .join(', ')
          : 'n/a (this core has no onRequest hook)'
      } requests`,
    ].join('\n');
    return { json, text, flags: [] };
  } finally {
    await planes?.stop();
    if (!keepWorkDir) rmSync(workDir, { recursive: true, force: true });
  }
}

function kubectlVersion(kubectl) {
  const r = spawnSync(kubectl, ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  try {
    return JSON.parse(r.stdout).clientVersion?.gitVersion;
  } catch {
    return undefined;
  }
}

function countOutcomes(objects) {
  const counts = { created: 0, configured: 0, unchanged: 0 };
  for (const o of objects) counts[o.outcome]++;
  return counts;
}
