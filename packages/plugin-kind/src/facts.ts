// What the kind plugin publishes to the plugins that depend on it (read with `ctx.facts(kindPlugin)`).
import type { Topology } from '@meshspec/core/plugin';
import { nodeImagesOf, type ClusterNodeImage } from './node-images.js';
import { pinnedNodeImageWithin, type NodeImagePin } from './pins.js';
import { withDefaults, type KindClusterSpec, type KindSection } from './schema.js';
import { clusterStepId, NETWORK_STEP } from './steps.js';

export interface ClusterSubnets {
  pods?: string;
  services?: string;
}

/** Where other clusters reach a cluster's API server: an output of the step that creates it. */
export interface ReachableAt {
  step: string;
  output: 'apiServerUrl';
}

export interface KindFacts {
  /** The clusters kind creates: every topology cluster when the section is present, else none. */
  clusters: string[];
  /** Docker network the clusters join (undefined when kind creates no cluster). */
  network: string | undefined;
  /** The step that ensures the docker network and outputs its `subnet`/`gateway` (undefined when kind is unused). */
  networkStep: string | undefined;
  /** The step that creates `cluster` (a plain id: ordering on it is harmless when kind does not create it). */
  clusterStep(cluster: string): string;
  /** Pod and service subnets written on (or defaulted into) each cluster entry. */
  subnets: Record<string, ClusterSubnets>;
  /** Node image per kind cluster, its Kubernetes version and where the topology sets it (empty when kind is unused). */
  nodeImages: ClusterNodeImage[];
  /** The newest node image kind pins whose Kubernetes minor is in 1.min-1.max (a fix to suggest), if any. */
  pinnedNodeImageWithin(min: number, max: number): NodeImagePin | undefined;
  /** Where other clusters reach the API server of a kind cluster (undefined when kind does not create it). */
  reachableAt(cluster: string): ReachableAt | undefined;
  /**
   * Can pods of `cluster` reach pods of other clusters directly (pod-to-pod multicluster)? false for the
   * clusters kind creates: their nodes share one docker network, but no node has a route to another
   * cluster's pod subnet (kind's kindnet routes only its own nodes' pod CIDRs). undefined: not kind's to say.
   */
  podNetworksRoutable(cluster: string): false | undefined;
}

export function kindFacts(topology: Topology, section: KindSection | undefined): KindFacts {
  const clusters = section === undefined ? [] : Object.keys(topology.clusters);
  const subnets: Record<string, ClusterSubnets> = {};
  for (const [cluster, spec] of Object.entries(topology.clusters as Record<string, KindClusterSpec>)) {
    subnets[cluster] = { ...(spec?.podSubnet ? { pods: spec.podSubnet } : {}), ...(spec?.serviceSubnet ? { services: spec.serviceSubnet } : {}) };
  }
  return {
    clusters,
    network: section === undefined ? undefined : withDefaults(section).network,
    networkStep: section === undefined ? undefined : NETWORK_STEP,
    clusterStep: clusterStepId,
    subnets,
    nodeImages: nodeImagesOf(topology),
    pinnedNodeImageWithin,
    // The control plane's address on the docker network (the kubeconfig's 127.0.0.1 is useless from another cluster).
    reachableAt: (cluster) => (clusters.includes(cluster) ? { step: clusterStepId(cluster), output: 'apiServerUrl' } : undefined),
    podNetworksRoutable: (cluster) => (clusters.includes(cluster) ? false : undefined),
  };
}
