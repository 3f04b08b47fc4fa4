// Defaults that depend on the whole topology: kube contexts and non-overlapping pod/service subnets.
import { allocateSubnets, formatCidr, networkOf, parseIpv4Cidr, type Ipv4Cidr, type Topology } from '@meshspec/core/plugin';
import { DEFAULT_POD_SUBNET_START, DEFAULT_SERVICE_SUBNET_START, DEFAULT_SUBNET_PREFIX, KIND_SECTION_KEY, withDefaults, type KindClusterSpec, type KindSection } from './schema.js';

/** Private address space the automatic subnets come from. */
export const SUBNET_POOL = '10.0.0.0/8';

/** kind names the kube context of cluster `demo` `kind-demo`; it cannot be changed at creation. */
export const kindContext = (cluster: string) => `kind-${cluster}`;

/** IPv4 networks written explicitly in the topology (host bits cleared), to keep automatic ones away from them. */
export function explicitSubnets(clusters: Record<string, KindClusterSpec>): Ipv4Cidr[] {
  return Object.values(clusters)
    .flatMap((c) => [c.podSubnet, c.serviceSubnet])
    .map((text) => (typeof text === 'string' ? parseIpv4Cidr(text) : undefined))
    .filter((c): c is Ipv4Cidr => c !== undefined)
    .map(networkOf);
}

/**
 * Fills in, for every cluster: `context` (kind-<name>), `podSubnet` (free /16s from 10.244.0.0 up) and
 * `serviceSubnet` (free /16s from 10.96.0.0 up). Automatic subnets never overlap any subnet written in
 * the topology nor each other, so clusters can route to each other's pods through a multicluster mesh.
 * An absent `kind` section means the clusters are not kind's: nothing is changed.
 */
export function resolveKind(topology: Topology, section: KindSection | undefined): Topology {
  if (section === undefined) return topology;
  const clusters = Object.fromEntries(Object.entries(topology.clusters).map(([name, spec]) => [name, { ...spec }])) as Record<string, KindClusterSpec>;
  const taken = explicitSubnets(clusters);
  const allocate = (key: 'podSubnet' | 'serviceSubnet', startAt: string) => {
    const missing = Object.keys(clusters).filter((name) => clusters[name]![key] === undefined);
    const subnets = allocateSubnets({ within: SUBNET_POOL, startAt, prefix: DEFAULT_SUBNET_PREFIX, count: missing.length, avoid: taken });
    // Fewer subnets than clusters only when 10/8 is exhausted; validate() then reports the missing key.
    missing.forEach((name, i) => {
      const subnet = subnets[i];
      if (subnet) clusters[name]![key] = formatCidr(subnet);
    });
    taken.push(...subnets);
  };
  allocate('podSubnet', DEFAULT_POD_SUBNET_START);
  allocate('serviceSubnet', DEFAULT_SERVICE_SUBNET_START);
  for (const [name, spec] of Object.entries(clusters)) spec.context ??= kindContext(name);
  return { ...topology, clusters, [KIND_SECTION_KEY]: { ...section, ...withDefaults(section) } };
}
