import type { Topology } from './types.js';

/** A cluster's kube context: its `context` key (plugins that create clusters fill it in `resolve`), else its name. */
export function contextOf(topology: Topology, cluster: string): string {
  return topology.clusters[cluster]?.context ?? cluster;
}
