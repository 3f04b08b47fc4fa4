// Which cluster should serve which share of a split, as rendered by render.ts (pure).
import type { Topology, WeightedBackend } from '@meshspec/core/plugin';
import { backendsFor, type MeshFacts } from '../render.js';
import type { SplitSpec } from '../schema.js';

export interface ExpectedBackend extends WeightedBackend {
  /** Service the split object forwards to in `from`: local service or mirror `<svc>-<cluster>`. */
  service: string;
  /** True when `service` is a mirror (a remote cluster's service reached through its gateway). */
  mirror: boolean;
}

/**
 * The backends of `split` as seen from `from`, named by the cluster that serves them. Explicit backends
 * carry their cluster; the default backends are the local service plus `<svc>-<remote>` mirrors.
 * Weights stay relative (render.ts writes them as given; TrafficSplit and HTTPRoute both normalise).
 */
export function expectedBackends(split: SplitSpec, from: string, topology: Topology, mesh: MeshFacts): ExpectedBackend[] {
  if (split.backends) {
    return split.backends.map((b) => {
      const cluster = b.cluster ?? from;
      const service = b.service ?? split.service;
      const mirror = cluster !== from;
      return { name: cluster, weight: b.weight, service: mirror ? mesh.mirrorName(service, cluster) : service, mirror };
    });
  }
  const clusters = Object.keys(topology.clusters);
  const remotes = new Map(clusters.map((c) => [mesh.mirrorName(split.service, c), c]));
  return backendsFor(split, from, clusters, mesh).map((b) => {
    const remote = b.service === split.service ? undefined : remotes.get(b.service);
    return { name: remote ?? from, weight: b.weight, service: b.service, mirror: remote !== undefined };
  });
}

/** podinfo's JSON answer: `message` is the serving cluster's name (the demo workload sets PODINFO_UI_MESSAGE), `hostname` the pod. */
export interface PodinfoAnswer {
  hostname?: string;
  message?: string;
}

/**
 * Names the cluster behind an answer: the podinfo `message` when it is a cluster name, else the cluster
 * that has a pod called `hostname` (for workloads that do not set the message), else `unknown`.
 */
export function attributeAnswer(
  body: string,
  clusters: readonly string[],
  podsByCluster: ReadonlyMap<string, ReadonlySet<string>>,
): string {
  let answer: PodinfoAnswer;
  try {
    answer = JSON.parse(body) as PodinfoAnswer;
  } catch {
    return 'unparsable answer';
  }
  if (answer.message && clusters.includes(answer.message)) return answer.message;
  for (const [cluster, pods] of podsByCluster) if (answer.hostname && pods.has(answer.hostname)) return cluster;
  return `unknown (${answer.hostname ?? 'no hostname'})`;
}
