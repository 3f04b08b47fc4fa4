// The image-pull model of the fake toolchain: every kind node has its own containerd image store, so a
// pod's images are pulled by each node it lands on — from the internet, or, when containerd's
// `config_path` host directory names a registry mirror that runs on the cluster's docker network, from
// that mirror, which itself pulls from its upstream only on a cache miss (a `registry:2` pull-through
// cache). Every pull is logged to <state>/registry/pulls.jsonl, so tests can count how often each
// distinct image crossed the internet.
// Placement, as the real scheduler would do it for these workloads on kind: a DaemonSet runs on every
// worker (and on the control plane when it tolerates its taint, or when there are no workers); a
// Deployment/StatefulSet's replicas spread over the workers; a Job/Pod runs on one node.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KubeObject } from '../../packages/core/src/kube/types.js';
import type { MemoryKube } from '../../packages/core/src/testing/memory-kube.js';

export interface ImagePull {
  /** Normalized reference, e.g. `docker.io/library/nginx:latest`, `cr.l5d.io/linkerd/proxy:stable-2.13.3`. */
  image: string;
  /** The node (`demo-worker`) or registry container (`meshspec-registry-quay-io`) that pulled it. */
  by: string;
  /** `upstream` (the internet) or the mirror endpoint it came from. */
  from: string;
  cluster: string;
}

interface ClusterRecord {
  name: string;
  network: string;
  workers: number;
  containerdConfigPatches?: string[];
}

interface ContainerRecord {
  Name: string;
  Env: Record<string, string>;
  Networks: string[];
  Running: boolean;
}

interface PodSpec {
  containers?: { image?: string }[];
  initContainers?: { image?: string }[];
  tolerations?: { key?: string; operator?: string }[];
}
type Workload = KubeObject & { spec?: { replicas?: number; template?: { spec?: PodSpec } } & PodSpec };

const CONFIG_PATH = /config_path\s*=\s*"\/etc\/containerd\/certs\.d"/;

export const pullLogPath = (fakeStateDir: string) => join(fakeStateDir, 'registry', 'pulls.jsonl');

export function readPulls(fakeStateDir: string): ImagePull[] {
  const file = pullLogPath(fakeStateDir);
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as ImagePull)
    : [];
}

/** How many times each distinct image was pulled from the internet (by nodes or by mirrors). */
export function internetPullsByImage(pulls: ImagePull[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of pulls) if (p.from === 'upstream') counts.set(p.image, (counts.get(p.image) ?? 0) + 1);
  return counts;
}

/** `nginx` → `docker.io/library/nginx:latest`; a registry host is the first component with a dot, a colon, or `localhost`. */
export function normalizeImage(ref: string): { host: string; image: string } {
  const first = ref.split('/')[0]!;
  const hasHost = ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  const host = hasHost ? first : 'docker.io';
  let path = hasHost ? ref.slice(first.length + 1) : ref;
  if (host === 'docker.io' && !path.includes('/')) path = `library/${path}`;
  const lastSegment = path.split('/').pop()!;
  if (!lastSegment.includes(':') && !lastSegment.includes('@')) path = `${path}:latest`;
  return { host, image: `${host}/${path}` };
}

/** Pulls what the workloads of one cluster need and its nodes do not have yet. */
export async function syncImagePulls(fakeStateDir: string, kube: MemoryKube, clusterName: string): Promise<void> {
  const clusterRoot = join(fakeStateDir, 'kind', 'clusters', clusterName);
  const record = readJsonFile<ClusterRecord>(join(clusterRoot, 'cluster.json'));
  if (!record) return;
  const workers = Array.from({ length: record.workers }, (_, i) => `${clusterName}-worker${i === 0 ? '' : i + 1}`);
  const controlPlane = `${clusterName}-control-plane`;
  const schedulable = workers.length > 0 ? workers : [controlPlane];
  const wanted = new Map<string, Set<string>>(); // node -> image refs
  const want = (node: string, refs: string[]) => {
    const set = wanted.get(node) ?? new Set<string>();
    refs.forEach((r) => set.add(r));
    wanted.set(node, set);
  };
  for (const [apiVersion, kind] of [
    ['apps/v1', 'DaemonSet'],
    ['apps/v1', 'Deployment'],
    ['apps/v1', 'StatefulSet'],
    ['batch/v1', 'Job'],
    ['v1', 'Pod'],
  ] as const) {
    for (const w of (await kube.list(apiVersion, kind).catch(() => [])) as Workload[]) {
      const pod = kind === 'Pod' ? w.spec : w.spec?.template?.spec;
      const refs = [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])]
        .map((c) => c.image)
        .filter((i): i is string => typeof i === 'string');
      if (refs.length === 0) continue;
      if (kind === 'DaemonSet') {
        const onControlPlane =
          workers.length === 0 ||
          (pod?.tolerations ?? []).some(
            (t) => (t.operator === 'Exists' && !t.key) || /node-role\.kubernetes\.io\/(control-plane|master)/.test(t.key ?? ''),
          );
        for (const node of onControlPlane ? [controlPlane, ...workers] : schedulable) want(node, refs);
      } else {
        const replicas = kind === 'Deployment' || kind === 'StatefulSet' ? Math.max(1, w.spec?.replicas ?? 1) : 1;
        for (const node of schedulable.slice(0, Math.min(replicas, schedulable.length))) want(node, refs);
      }
    }
  }
  for (const [node, refs] of wanted) for (const ref of refs) pullOnNode(fakeStateDir, record, clusterRoot, node, ref);
}

function pullOnNode(fakeStateDir: string, cluster: ClusterRecord, clusterRoot: string, node: string, ref: string): void {
  const { host, image } = normalizeImage(ref);
  const storeFile = join(clusterRoot, 'nodes', node, 'images.json');
  const store = readJsonFile<string[]>(storeFile) ?? [];
  if (store.includes(image)) return;
  const mirror = reachableMirror(fakeStateDir, cluster, clusterRoot, node, host);
  if (mirror) {
    const cacheFile = join(fakeStateDir, 'docker', 'containers', `${mirror.container}.cache`, 'images.json');
    const cache = readJsonFile<string[]>(cacheFile) ?? [];
    if (!cache.includes(image)) {
      logPull(fakeStateDir, { image, by: mirror.container, from: 'upstream', cluster: cluster.name });
      writeJsonFile(cacheFile, [...cache, image]);
    }
    logPull(fakeStateDir, { image, by: node, from: mirror.endpoint, cluster: cluster.name });
  } else {
    logPull(fakeStateDir, { image, by: node, from: 'upstream', cluster: cluster.name });
  }
  writeJsonFile(storeFile, [...store, image]);
}

/**
 * The mirror containerd would use for `host` on this node: only with `config_path` set at creation, a
 * hosts.toml for the host in the node, and its `[host."http://<container>:<port>"]` a running
 * registry:2 proxy on the cluster's network for that same upstream. Anything else falls back to the
 * upstream server (containerd's behaviour when a mirror fails).
 */
function reachableMirror(
  fakeStateDir: string,
  cluster: ClusterRecord,
  clusterRoot: string,
  node: string,
  host: string,
): { container: string; endpoint: string } | undefined {
  if (!(cluster.containerdConfigPatches ?? []).some((p) => CONFIG_PATH.test(p))) return undefined;
  const hostsFile = join(clusterRoot, 'nodes', node, 'etc', 'containerd', 'certs.d', host, 'hosts.toml');
  if (!existsSync(hostsFile)) return undefined;
  const toml = readFileSync(hostsFile, 'utf8');
  const server = /^server\s*=\s*"([^"]+)"/m.exec(toml)?.[1];
  for (const [, endpoint] of toml.matchAll(/^\[host\."([^"]+)"\]/gm)) {
    const name = /^https?:\/\/([^:/]+)(?::\d+)?\/?$/.exec(endpoint!)?.[1];
    const container = name ? readJsonFile<ContainerRecord>(join(fakeStateDir, 'docker', 'containers', `${name}.json`)) : undefined;
    if (!container?.Running || !container.Networks.includes(cluster.network)) continue;
    if (container.Env['REGISTRY_PROXY_REMOTEURL'] !== server) continue;
    return { container: container.Name, endpoint: endpoint! };
  }
  return undefined;
}

function logPull(fakeStateDir: string, pull: ImagePull): void {
  const file = pullLogPath(fakeStateDir);
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(pull)}\n`);
}

function readJsonFile<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function writeJsonFile(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value)}\n`);
}
