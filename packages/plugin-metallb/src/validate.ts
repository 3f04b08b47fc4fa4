// Checks of explicit MetalLB pools: parseable, disjoint across clusters (two clusters announcing one
// address break both gateways), and inside the docker network when its subnet is given.
import {
  contains,
  formatCidr,
  hasHostBits,
  networkOf,
  overlaps,
  parseCidr,
  parseIpv4Range,
  rangeSize,
  type Diagnostic,
  type Ipv4Cidr,
  type Ipv4Range,
  type Topology,
  type ValidateContext,
} from '@meshspec/core/plugin';
import { kindPlugin, type KindFacts } from '@meshspec/plugin-kind';
import { automaticClusters, planPools, suggestFreeRange } from './pools.js';
import { withDefaults, type MetallbSection } from './schema.js';

/** A /16: a cluster's gateways and ingress need a handful of addresses; anything near 0.0.0.0/0 is a mistake. */
const MAX_POOL_SIZE = 65_536;

export function validateMetallb(
  topology: Topology,
  rawSection: MetallbSection | undefined,
  ctx: ValidateContext,
  kind: KindFacts,
): Diagnostic[] {
  if (rawSection === undefined) return [];
  const section = withDefaults(rawSection);
  const clusters = Object.keys(topology.clusters);
  const diagnostics: Diagnostic[] = [];
  const report = (path: (string | number)[], message: string, fix: string) =>
    diagnostics.push({ ...ctx.diagnostic(path, message, fix), source: 'metallb' });

  // MetalLB announces addresses from real speaker pods; on simulated clusters (kwok) nothing would run.
  const simulated = ctx.clusters.all().filter((c) => !c.realContainers);
  if (simulated.length > 0) {
    report(
      ['metallb'],
      `MetalLB needs real containers, but ${simulated.map((c) => `${c.cluster} (${c.provider ?? 'given by context'})`).join(', ')} ${simulated.length === 1 ? 'has' : 'have'} simulated nodes and pods`,
      `remove the metallb section: on kwok clusters, kwokClusters.loadBalancerRange assigns LoadBalancer addresses (marked simulated)`,
    );
  }

  let subnet: Ipv4Cidr | undefined;
  if (section.dockerSubnet !== undefined) {
    const parsed = parseCidr(section.dockerSubnet);
    if (parsed?.family !== 4) {
      report(
        ['metallb', 'dockerSubnet'],
        `dockerSubnet ${JSON.stringify(section.dockerSubnet)} is not an IPv4 CIDR`,
        'write the IPv4 subnet shown by `docker network inspect kind`, e.g. 172.18.0.0/16',
      );
    } else {
      subnet = networkOf(parsed);
      if (hasHostBits(parsed))
        report(
          ['metallb', 'dockerSubnet'],
          `${section.dockerSubnet} has host bits set; its network is ${formatCidr(subnet)}`,
          `write dockerSubnet: ${formatCidr(subnet)}`,
        );
    }
  }

  const explicit: { cluster: string; text: string; range: Ipv4Range }[] = [];
  for (const [cluster, text] of Object.entries(section.pools)) {
    const path = ['metallb', 'pools', cluster];
    if (!clusters.includes(cluster)) {
      report(
        path,
        `metallb pool for ${cluster}, which is not a cluster of this topology`,
        `remove it or rename it to one of: ${clusters.join(', ')}`,
      );
      continue;
    }
    const range = parseIpv4Range(text);
    if (!range) {
      report(
        path,
        `pool ${JSON.stringify(text)} of cluster ${cluster} is not an address range (a.b.c.d-a.b.c.e) or IPv4 CIDR`,
        `write a range such as 172.18.255.200-172.18.255.209`,
      );
      continue;
    }
    if (rangeSize(range) > MAX_POOL_SIZE) {
      report(
        path,
        `pool ${text} of cluster ${cluster} is too large: ${rangeSize(range)} addresses (at most ${MAX_POOL_SIZE}); MetalLB would announce addresses that belong to other networks`,
        `use a small range inside the docker network, e.g. ${cluster}: 172.18.255.200-172.18.255.209`,
      );
      continue;
    }
    const cidr = parseCidr(text);
    if (cidr?.family === 4 && hasHostBits(cidr))
      report(
        path,
        `${text} has host bits set; its network is ${formatCidr(networkOf(cidr))}`,
        `write ${cluster}: ${formatCidr(networkOf(cidr))}, or a range a.b.c.d-a.b.c.e`,
      );
    explicit.push({ cluster, text, range });
  }

  explicit.forEach((pool, index) => {
    const path = ['metallb', 'pools', pool.cluster];
    const others = explicit.filter((p) => p !== pool).map((p) => p.range);
    const free = () => suggestFreeRange(rangeSize(pool.range), others, subnet);
    const clash = explicit.slice(0, index).find((earlier) => overlaps(earlier.range, pool.range));
    if (clash) {
      const suggestion = free();
      report(
        path,
        `pool ${pool.text} of cluster ${pool.cluster} overlaps pool ${clash.text} of cluster ${clash.cluster}; two clusters must never announce the same address`,
        suggestion ? `use a free range such as ${pool.cluster}: ${suggestion}` : `choose a range that overlaps no other cluster's pool`,
      );
    }
    if (subnet && !contains(subnet, pool.range)) {
      const suggestion = free();
      report(
        path,
        `pool ${pool.text} of cluster ${pool.cluster} is outside the docker network ${formatCidr(subnet)}; its addresses would not be reachable`,
        suggestion
          ? `use a range inside ${formatCidr(subnet)}, e.g. ${pool.cluster}: ${suggestion}`
          : `use a range inside ${formatCidr(subnet)}`,
      );
    }
  });

  // Automatic pools read the subnet from the kind plugin's `kind:network` step; without the kind section
  // that step does not exist, which would otherwise surface later as an unknown-step error.
  const automatic = automaticClusters(clusters, section);
  if (section.dockerSubnet === undefined && automatic.length > 0 && kind.networkStep === undefined) {
    report(
      ['metallb'],
      `clusters ${automatic.join(', ')} need an automatic pool, carved from the kind docker network, but the topology has no ${kindPlugin.key} section`,
      `give metallb.pools.<cluster> for every cluster, or metallb.dockerSubnet (the IPv4 subnet of the network the nodes are on)`,
    );
  }

  // With a known subnet, the automatic pools can be checked for room now rather than failing mid-apply.
  if (subnet && automatic.length > 0 && diagnostics.length === 0) {
    try {
      planPools(clusters, section, { subnet: formatCidr(subnet) });
    } catch (error) {
      report(['metallb', 'poolSize'], (error as Error).message, 'lower poolSize, or give some clusters explicit pools');
    }
  }
  return diagnostics;
}
