// The pools `meshspec plan` shows: explicit ones as given, automatic ones carved from the docker network
// when its subnet is known (dockerSubnet, or the kind:network step of an earlier apply), else said to wait.
import type { PlannedAddress, Topology } from '@meshspec/core/plugin';
import { formatRange } from '@meshspec/core/plugin';
import { automaticClusters, planPools } from './pools.js';
import { withDefaults, type MetallbSection } from './schema.js';
import type { KindFacts } from '@meshspec/plugin-kind';

export function metallbAddresses(
  topology: Topology,
  rawSection: MetallbSection | undefined,
  known: { outputOf<T>(stepId: string): T | undefined },
  kind: KindFacts,
): PlannedAddress[] {
  if (rawSection === undefined) return [];
  const section = withDefaults(rawSection);
  const clusters = Object.keys(topology.clusters);
  const recorded = kind.networkStep === undefined ? undefined : known.outputOf<{ subnet?: string; gateway?: string }>(kind.networkStep);
  const network =
    section.dockerSubnet !== undefined
      ? { subnet: section.dockerSubnet }
      : recorded?.subnet
        ? { subnet: recorded.subnet, ...(recorded.gateway ? { gateway: recorded.gateway } : {}) }
        : undefined;
  const from =
    section.dockerSubnet !== undefined
      ? `dockerSubnet ${section.dockerSubnet}`
      : network
        ? `the kind network ${network.subnet}, as the last apply found it`
        : undefined;
  const automatic = new Set(automaticClusters(clusters, section));
  let pools: Map<string, string> | undefined;
  let problem: string | undefined;
  if (automatic.size === 0 || network) {
    try {
      pools = new Map(planPools(clusters, section, network).map((pool) => [pool.cluster, formatRange(pool.range)]));
    } catch (error) {
      problem = (error as Error).message;
    }
  }
  return clusters.map((cluster): PlannedAddress => {
    const what = 'MetalLB pool';
    if (!automatic.has(cluster)) return { cluster, what, range: section.pools[cluster]!, note: 'given' };
    const range = pools?.get(cluster);
    if (range) return { cluster, what, range, note: `${section.poolSize} addresses carved from ${from}` };
    return {
      cluster,
      what,
      note: problem ?? `${section.poolSize} addresses from the top of the kind network, carved once kind:network has run`,
    };
  });
}
