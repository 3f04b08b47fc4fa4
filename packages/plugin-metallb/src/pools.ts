// Which addresses each cluster's MetalLB may hand out: explicit pools as written, automatic ones carved
// from the docker network so that no two clusters (and no container) ever share an address.
import {
  blockSize,
  carveRanges,
  cidrToRange,
  formatRange,
  networkOf,
  overlaps,
  parseIpv4,
  parseIpv4Cidr,
  parseIpv4Range,
  type Ipv4Cidr,
  type Ipv4Range,
} from '@meshspec/core/plugin';
import type { ResolvedMetallbSection } from './schema.js';

export interface ClusterPool {
  cluster: string;
  range: Ipv4Range;
  explicit: boolean;
}

/** Clusters that need an automatic pool (no explicit one written). */
export function automaticClusters(clusters: string[], section: ResolvedMetallbSection): string[] {
  return clusters.filter((c) => section.pools[c] === undefined);
}

/** An explicit pool as a range; undefined when it is neither `a-b` nor an IPv4 CIDR. */
export function parsePool(text: string): Ipv4Range | undefined {
  return parseIpv4Range(text);
}

/**
 * The upper half of the subnet: docker's IPAM hands container addresses out from the bottom (gateway .1,
 * then one per node in creation order), so the top is the part no kind node will ever get in practice.
 */
export function poolArea(subnet: Ipv4Cidr): Ipv4Range {
  const whole = cidrToRange(subnet);
  return { start: whole.start + blockSize(subnet.prefix) / 2, end: whole.end };
}

/**
 * Every cluster's pool, deterministic in cluster order: explicit pools as written; automatic ones carved
 * downwards from the top of `subnet` (below the broadcast address), avoiding the gateway and every
 * explicit pool. Throws when automatic pools are needed but do not fit.
 */
export function planPools(
  clusters: string[],
  section: ResolvedMetallbSection,
  network?: { subnet: string; gateway?: string },
): ClusterPool[] {
  const explicit = new Map<string, Ipv4Range>();
  for (const cluster of clusters) {
    const text = section.pools[cluster];
    if (text === undefined) continue;
    const range = parsePool(text);
    if (!range) throw new RangeError(`metallb pool ${JSON.stringify(text)} of cluster ${cluster} is not an address range or IPv4 CIDR`);
    explicit.set(cluster, range);
  }
  const automatic = automaticClusters(clusters, section);
  let carved: Ipv4Range[] = [];
  if (automatic.length > 0) {
    const subnetText = network?.subnet;
    const subnet = subnetText === undefined ? undefined : parseIpv4Cidr(subnetText);
    if (!subnet) throw new RangeError(`automatic metallb pools need the docker network's IPv4 subnet (got ${subnetText ?? 'none'})`);
    const gateway = network?.gateway === undefined ? undefined : parseIpv4(network.gateway);
    const avoid = [...explicit.values(), ...(gateway === undefined ? [] : [gateway])];
    carved = carveRanges(networkOf(subnet), {
      size: section.poolSize,
      count: automatic.length,
      from: 'top',
      avoid,
      area: poolArea(networkOf(subnet)),
    });
    if (carved.length < automatic.length) {
      throw new RangeError(`the upper half of ${subnetText} has no room for ${automatic.length} pools of ${section.poolSize} addresses`);
    }
  }
  return clusters.map((cluster) => {
    const range = explicit.get(cluster);
    return range ? { cluster, range, explicit: true } : { cluster, range: carved[automatic.indexOf(cluster)]!, explicit: false };
  });
}

/** A free range of `size` addresses for a fix suggestion: inside `subnet` when known, else just past all `taken`. */
export function suggestFreeRange(size: number, taken: Ipv4Range[], subnet?: Ipv4Cidr): string | undefined {
  if (subnet) {
    const [free] = carveRanges(subnet, { size, count: 1, avoid: taken, area: poolArea(subnet) });
    return free ? formatRange(free) : undefined;
  }
  const start = Math.max(...taken.map((t) => t.end)) + 1;
  const candidate = { start, end: start + size - 1 };
  return candidate.end <= 0xffffffff && !taken.some((t) => overlaps(t, candidate)) ? formatRange(candidate) : undefined;
}
