// Semantic checks of kwok clusters: core's subnet rules, the contexts kwokctl names, and room for every
// cluster's simulated load-balancer pool.
import {
  clusterSubnetDiagnostics,
  hasHostBits,
  parseCidr,
  type Diagnostic,
  type Topology,
  type ValidateContext,
} from '@meshspec/core/plugin';
import { kwokContext, loadBalancerPools } from './resolve.js';
import { KWOK_SECTION_KEY, withDefaults, type KwokClusterSpec, type KwokSection } from './schema.js';

export function validateKwok(topology: Topology, section: KwokSection | undefined, ctx: ValidateContext): Diagnostic[] {
  if (section === undefined) return [];
  const resolved = withDefaults(section);
  const clusters = topology.clusters as Record<string, KwokClusterSpec>;
  const diagnostics: Diagnostic[] = clusterSubnetDiagnostics(clusters, ctx, 'kwok', 'kwok');
  const report = (path: (string | number)[], message: string, fix: string) =>
    diagnostics.push({ ...ctx.diagnostic(path, message, fix), source: 'kwok' });

  for (const [cluster, spec] of Object.entries(clusters)) {
    const expected = kwokContext(cluster);
    if (spec.context !== undefined && spec.context !== expected) {
      report(
        ['clusters', cluster, 'context'],
        `kwokctl names the kube context of cluster ${cluster} "${expected}", not "${spec.context}"`,
        `remove context or write context: ${expected}`,
      );
    }
  }

  const rangePath = [KWOK_SECTION_KEY, 'loadBalancerRange'];
  const range = parseCidr(resolved.loadBalancerRange);
  if (range?.family !== 4) {
    report(rangePath, `loadBalancerRange ${resolved.loadBalancerRange} is not an IPv4 CIDR`, `write an IPv4 range such as 198.51.100.0/24`);
  } else if (hasHostBits(range)) {
    report(
      rangePath,
      `loadBalancerRange ${resolved.loadBalancerRange} has host bits set`,
      `write the network address, e.g. ${resolved.loadBalancerRange.replace(/\.\d+\//, '.0/')}`,
    );
  } else {
    const names = Object.keys(clusters);
    const pools = loadBalancerPools(names, resolved);
    const missing = names.filter((c) => pools[c] === undefined);
    if (missing.length > 0) {
      const needed = names.length * resolved.loadBalancerPoolSize;
      report(
        rangePath,
        `loadBalancerRange ${resolved.loadBalancerRange} holds no simulated load-balancer pool for ${missing.join(', ')}: ${names.length} clusters × ${resolved.loadBalancerPoolSize} addresses need ${needed}`,
        `use a larger range (a /${32 - Math.ceil(Math.log2(needed + 2))} or wider), or lower loadBalancerPoolSize`,
      );
    }
  }
  return diagnostics;
}
