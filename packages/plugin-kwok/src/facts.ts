// What the kwok plugin publishes: its own facts (read with `ctx.facts(kwokPlugin)`) and, through core's
// cluster-provider contract, the clusters it provides (read by everyone as `ctx.clusters`).
import type { ProvidedCluster, Topology } from '@meshspec/core/plugin';
import { kwokContext, loadBalancerPools } from './resolve.js';
import { KWOK_SECTION_KEY, withDefaults, type KwokClusterSpec, type KwokSection } from './schema.js';
import { clusterStepId } from './steps.js';

export interface KwokFacts {
  /** The clusters kwok creates: every topology cluster when the section is present, else none. */
  clusters: string[];
  /** Simulated load-balancer pool (a.b.c.d-a.b.c.e) of each cluster. */
  loadBalancerPools: Record<string, string>;
  /** Kubernetes version of the control planes (undefined when kwok is unused). */
  kubernetesVersion: string | undefined;
}

export function kwokFacts(topology: Topology, section: KwokSection | undefined): KwokFacts {
  if (section === undefined) return { clusters: [], loadBalancerPools: {}, kubernetesVersion: undefined };
  const clusters = Object.keys(topology.clusters);
  const resolved = withDefaults(section);
  return { clusters, loadBalancerPools: loadBalancerPools(clusters, resolved), kubernetesVersion: resolved.kubernetesVersion };
}

/**
 * kwok provides every topology cluster when its section is present. Its API servers listen on
 * 127.0.0.1: every kwok cluster runs on this host, so the loopback URL is where the others reach it.
 * Nothing runs in the pods: `realContainers: false` (MetalLB refuses; verify refuses).
 */
export function kwokProvidedClusters(topology: Topology, section: KwokSection | undefined): ProvidedCluster[] {
  if (section === undefined) return [];
  return Object.entries(topology.clusters as Record<string, KwokClusterSpec>).map(([cluster, spec]) => ({
    cluster,
    createdBy: clusterStepId(cluster),
    context: spec.context ?? kwokContext(cluster),
    ...(spec.podSubnet ? { podSubnet: spec.podSubnet } : {}),
    ...(spec.serviceSubnet ? { serviceSubnet: spec.serviceSubnet } : {}),
    reachableAt: { step: clusterStepId(cluster), output: 'apiServerUrl' },
    realContainers: false,
    claimedAt: [KWOK_SECTION_KEY],
  }));
}
