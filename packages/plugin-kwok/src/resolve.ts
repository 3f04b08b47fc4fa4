// Defaults that depend on the whole topology: kube contexts, disjoint pod/service subnets (core's rule,
// the same as kind's) and each cluster's share of the simulated load-balancer range.
import { assignClusterSubnets, carveRanges, formatRange, parseIpv4Cidr, type Topology } from '@meshspec/core/plugin';
import { KWOK_SECTION_KEY, withDefaults, type KwokClusterSpec, type KwokSection, type ResolvedKwokSection } from './schema.js';

/** kwokctl names the kube context of cluster `east` `kwok-east`. */
export const kwokContext = (cluster: string) => `kwok-${cluster}`;

export function resolveKwok(topology: Topology, section: KwokSection | undefined): Topology {
  if (section === undefined) return topology;
  const clusters = assignClusterSubnets(topology.clusters as Record<string, KwokClusterSpec>);
  for (const [name, spec] of Object.entries(clusters)) spec.context ??= kwokContext(name);
  return { ...topology, clusters, [KWOK_SECTION_KEY]: withDefaults(section) };
}

/**
 * Each cluster's simulated load-balancer pool, in topology order from the bottom of the range (network
 * address excluded). Clusters left without a pool (range too small) are missing: validate reports them.
 */
export function loadBalancerPools(clusters: string[], section: ResolvedKwokSection): Record<string, string> {
  const range = parseIpv4Cidr(section.loadBalancerRange);
  if (!range) return {};
  const pools = carveRanges(range, { count: clusters.length, size: section.loadBalancerPoolSize, from: 'bottom' });
  return Object.fromEntries(pools.map((pool, i) => [clusters[i]!, formatRange(pool)]));
}
