// Defaults that depend on the whole topology: kube contexts and non-overlapping pod/service subnets.
import { assignClusterSubnets, type Topology } from '@meshspec/core/plugin';
import { KIND_SECTION_KEY, withDefaults, type KindClusterSpec, type KindSection } from './schema.js';

/** kind names the kube context of cluster `demo` `kind-demo`; it cannot be changed at creation. */
export const kindContext = (cluster: string) => `kind-${cluster}`;

/**
 * Fills in, for every cluster: `context` (kind-<name>), `podSubnet` (free /16s from 10.244.0.0 up) and
 * `serviceSubnet` (free /16s from 10.96.0.0 up). Automatic subnets never overlap any subnet written in
 * the topology nor each other, so clusters can route to each other's pods through a multicluster mesh.
 * An absent `kind` section means the clusters are not kind's: nothing is changed.
 */
export function resolveKind(topology: Topology, section: KindSection | undefined): Topology {
  if (section === undefined) return topology;
  const clusters = assignClusterSubnets(topology.clusters as Record<string, KindClusterSpec>);
  for (const [name, spec] of Object.entries(clusters)) spec.context ??= kindContext(name);
  return { ...topology, clusters, [KIND_SECTION_KEY]: { ...section, ...withDefaults(section) } };
}
