// Pure renderers for splits: which backends a cluster gets, and the TrafficSplit / HTTPRoute objects.
import type { KubeObject } from '@meshspec/core/plugin';
import type { LinkerdFacts } from '@meshspec/plugin-linkerd';
import type { ResolvedSplitSpec, SplitSpec } from './schema.js';

export interface Backend {
  /** Service name in the cluster the split lives in: the local service or a mirror `<svc>-<remote>`. */
  service: string;
  weight: number;
}

/** What the splits read of Linkerd: its facts (links resolved with multicluster.enabled, exports, mirrors). */
export type MeshFacts = Pick<LinkerdFacts, 'mirrorIn' | 'mirrorName' | 'isExported' | 'isLinked' | 'multicluster'>;

/**
 * `n` equal integer weights summing to 100, earlier entries taking the remainder (3 → 34/33/33).
 * Weights are relative for both APIs, so 1/1/1 would split the same; percentages read better in
 * `kubectl get` and in the plan.
 */
export function equalWeights(n: number): number[] {
  const base = Math.floor(100 / n);
  return Array.from({ length: n }, (_, i) => base + (i < 100 - base * n ? 1 : 0));
}

/**
 * Backends of `split` as seen from `cluster`. Explicit backends name the cluster that serves each share,
 * so the same list means the same global distribution everywhere: in its own cluster a backend is the
 * local service, elsewhere the mirror. Default: local + the mirror of every cluster that exports the service
 * and is linked into `cluster`, with equal weights.
 */
export function backendsFor(split: SplitSpec, cluster: string, clusters: readonly string[], mesh: MeshFacts): Backend[] {
  if (split.backends) {
    // In a backend's own cluster "local" and "<that cluster>" are the same service: merge their weights.
    const merged = new Map<string, number>();
    for (const b of split.backends) {
      const service = b.service ?? split.service;
      const name = b.cluster === undefined || b.cluster === cluster ? service : mesh.mirrorName(service, b.cluster);
      merged.set(name, (merged.get(name) ?? 0) + b.weight);
    }
    return [...merged].map(([service, weight]) => ({ service, weight }));
  }
  const mirrors = clusters
    .filter((c) => c !== cluster)
    .flatMap((remote) => mesh.mirrorIn(cluster, split.namespace, split.service, remote) ?? []);
  const names = [split.service, ...mirrors];
  const weights = equalWeights(names.length);
  return names.map((service, i) => ({ service, weight: weights[i]! }));
}

const LABELS = { 'app.kubernetes.io/managed-by': 'meshspec' };

/** SMI TrafficSplit (linkerd-smi turns it into a ServiceProfile's dstOverrides). */
export function renderTrafficSplit(split: SplitSpec, backends: Backend[]): KubeObject {
  return {
    apiVersion: 'split.smi-spec.io/v1alpha1',
    kind: 'TrafficSplit',
    metadata: { name: split.service, namespace: split.namespace, labels: LABELS },
    spec: { service: split.service, backends: backends.map((b) => ({ service: b.service, weight: b.weight })) },
  };
}

/** Gateway API HTTPRoute attached to the Service itself (GAMMA), as Linkerd 2.18+ reads it. */
export function renderHttpRoute(split: ResolvedSplitSpec, backends: Backend[]): KubeObject {
  const { port } = split;
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: split.service, namespace: split.namespace, labels: LABELS },
    spec: {
      parentRefs: [{ group: 'core', kind: 'Service', name: split.service, port }],
      rules: [{ backendRefs: backends.map((b) => ({ name: b.service, port, weight: b.weight })) }],
    },
  };
}
