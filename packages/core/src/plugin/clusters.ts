// The cluster-provider contract: plugins that create clusters (kind, kwok) say, as plain data, which
// clusters they provide and what others need to know about them. Everyone else (linkerd, metallb,
// workloads, smi, ingress) asks `ctx.clusters` instead of reading a provider's facts by name. A cluster no
// provider claims is "given by context": it exists already, reached through its kube context.
import type { Diagnostic } from '../errors.js';
import type { Plugin, Topology, ValidateContext } from './types.js';

/** Where other clusters reach a cluster's API server. */
export type ApiServerReach =
  /** an output (`apiServerUrl`) of the step that creates the cluster, known once it ran */
  | { step: string; output: 'apiServerUrl' }
  /** the server of the cluster's kube context (what the linkerd CLI copies by default) */
  | { kubeconfig: true };

/** What a provider publishes about one cluster it creates. */
export interface ProvidedCluster {
  cluster: string;
  /** The step after which the cluster exists (others order `after` it). */
  createdBy: string;
  /** kube context the provider writes into the kubeconfig. */
  context: string;
  podSubnet?: string;
  serviceSubnet?: string;
  /** Where other clusters reach its API server. */
  reachableAt: ApiServerReach;
  /** false when nodes and pods are simulated (kwok): nothing runs, no traffic flows. */
  realContainers: boolean;
  /** Topology path where the provider claims it (its section), for positioned errors. */
  claimedAt: readonly (string | number)[];
}

/** A cluster as every plugin sees it, provided or given by context. */
export interface ClusterInfo extends Omit<ProvidedCluster, 'createdBy' | 'claimedAt'> {
  /** Name of the providing plugin; undefined for a cluster given by context. */
  provider: string | undefined;
  createdBy: string | undefined;
}

export interface ClusterDirectory {
  /** Every topology cluster, in topology order. */
  all(): ClusterInfo[];
  of(cluster: string): ClusterInfo;
  /** `after` entries for steps that need `cluster` to exist: [] for a cluster given by context. */
  after(cluster: string): string[];
}

/** Plugins that can provide clusters (only these are asked). */
export type ClusterProviderPlugin = Pick<Plugin, 'name' | 'key' | 'providesClusters'>;

/** Every claim, in plugin order (duplicates included: validate reports them). */
export function clusterClaims(
  topology: Topology,
  plugins: readonly ClusterProviderPlugin[],
): { provider: string; claim: ProvidedCluster }[] {
  return plugins.flatMap((plugin) =>
    plugin.providesClusters
      ? plugin.providesClusters(topology, topology[plugin.key] as never).map((claim) => ({ provider: plugin.name, claim }))
      : [],
  );
}

export function clusterDirectory(topology: Topology, plugins: readonly ClusterProviderPlugin[]): ClusterDirectory {
  const provided = new Map<string, ClusterInfo>();
  for (const { provider, claim } of clusterClaims(topology, plugins)) {
    if (provided.has(claim.cluster)) continue; // the first claim wins; validate rejects the topology anyway
    const { claimedAt: _claimedAt, ...rest } = claim;
    provided.set(claim.cluster, { ...rest, provider });
  }
  const of = (cluster: string): ClusterInfo => {
    const found = provided.get(cluster);
    if (found) return found;
    const spec = topology.clusters[cluster];
    return {
      cluster,
      provider: undefined,
      createdBy: undefined,
      context: spec?.context ?? cluster,
      // Core cluster keys: written by the user for a cluster someone else runs (nothing defaults them).
      ...(typeof spec?.podSubnet === 'string' ? { podSubnet: spec.podSubnet } : {}),
      ...(typeof spec?.serviceSubnet === 'string' ? { serviceSubnet: spec.serviceSubnet } : {}),
      reachableAt: { kubeconfig: true },
      // A cluster someone else runs: assumed real (verify and MetalLB work there as on any cluster).
      realContainers: true,
    };
  };
  return {
    all: () => Object.keys(topology.clusters).map(of),
    of,
    after: (cluster) => {
      const step = provided.get(cluster)?.createdBy;
      return step ? [step] : [];
    },
  };
}

/** Two providers claiming one cluster: one positioned error per cluster, at the second claim. */
export function providerConflicts(
  topology: Topology,
  plugins: readonly ClusterProviderPlugin[],
  ctx: Pick<ValidateContext, 'diagnostic'>,
): Diagnostic[] {
  const first = new Map<string, { provider: string; claim: ProvidedCluster }>();
  const diagnostics: Diagnostic[] = [];
  for (const entry of clusterClaims(topology, plugins)) {
    const earlier = first.get(entry.claim.cluster);
    if (!earlier) {
      first.set(entry.claim.cluster, entry);
      continue;
    }
    diagnostics.push({
      ...ctx.diagnostic(
        entry.claim.claimedAt,
        `cluster ${entry.claim.cluster} is provided by both ${earlier.provider} (${earlier.claim.claimedAt.join('.')}) and ${entry.provider} (${entry.claim.claimedAt.join('.')}); a cluster has one provider`,
        `keep one of ${earlier.claim.claimedAt.join('.')} and ${entry.claim.claimedAt.join('.')}`,
      ),
      source: 'core',
    });
  }
  return diagnostics;
}
