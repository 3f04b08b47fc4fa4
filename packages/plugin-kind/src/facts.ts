// What the kind plugin publishes to the plugins that depend on it (read with `ctx.facts(kindPlugin)`).
import type { ProvidedCluster, Topology } from '@meshspec/core/plugin';
import { nodeImagesOf, type ClusterNodeImage } from './node-images.js';
import { pinnedNodeImageWithin, type NodeImagePin } from './pins.js';
import { kindContext } from './resolve.js';
import { KIND_SECTION_KEY, withDefaults, type KindClusterSpec, type KindSection } from './schema.js';
import { clusterStepId, NETWORK_STEP } from './steps.js';

export interface KindFacts {
  /** The clusters kind creates: every topology cluster when the section is present, else none. */
  clusters: string[];
  /** Docker network the clusters join (undefined when kind creates no cluster). */
  network: string | undefined;
  /** The step that ensures the docker network and outputs its `subnet`/`gateway` (undefined when kind is unused). */
  networkStep: string | undefined;
  /** Node image per kind cluster and where the topology sets it (empty when kind is unused). */
  nodeImages: ClusterNodeImage[];
  /** The newest node image kind pins whose Kubernetes minor is in 1.min-1.max (a fix to suggest), if any. */
  pinnedNodeImageWithin(min: number, max: number): NodeImagePin | undefined;
  /**
   * Can pods of `cluster` reach pods of other clusters directly (pod-to-pod multicluster)? false for the
   * clusters kind creates: their nodes share one docker network, but no node has a route to another
   * cluster's pod subnet (kind's kindnet routes only its own nodes' pod CIDRs). undefined: not kind's to say.
   */
  podNetworksRoutable(cluster: string): false | undefined;
}

// What every cluster provider says (step, context, subnets, API address) is not here: it is published
// through core's cluster-provider contract (`kindProvidedClusters`, read by others as `ctx.clusters`).
export function kindFacts(topology: Topology, section: KindSection | undefined): KindFacts {
  const clusters = section === undefined ? [] : Object.keys(topology.clusters);
  return {
    clusters,
    network: section === undefined ? undefined : withDefaults(section).network,
    networkStep: section === undefined ? undefined : NETWORK_STEP,
    nodeImages: nodeImagesOf(topology),
    pinnedNodeImageWithin,
    podNetworksRoutable: (cluster) => (clusters.includes(cluster) ? false : undefined),
  };
}

/** kind provides every topology cluster when its section is present: real containers in docker. */
export function kindProvidedClusters(topology: Topology, section: KindSection | undefined): ProvidedCluster[] {
  if (section === undefined) return [];
  return Object.entries(topology.clusters as Record<string, KindClusterSpec>).map(([cluster, spec]) => ({
    cluster,
    createdBy: clusterStepId(cluster),
    context: spec.context ?? kindContext(cluster),
    ...(spec.podSubnet ? { podSubnet: spec.podSubnet } : {}),
    ...(spec.serviceSubnet ? { serviceSubnet: spec.serviceSubnet } : {}),
    // The control plane's address on the docker network (the kubeconfig's 127.0.0.1 is useless from another cluster).
    reachableAt: { step: clusterStepId(cluster), output: 'apiServerUrl' },
    realContainers: true,
    claimedAt: [KIND_SECTION_KEY],
  }));
}
