// Which node image each kind cluster of a topology runs, and where the topology sets it, so other plugins
// can check the cluster's Kubernetes version and point at the line to change.
import type { Topology } from '@meshspec/core/plugin';
import { kubernetesVersionOfNodeImage } from './pins.js';
import { KIND_SECTION_KEY, withDefaults, type KindClusterSpec, type KindSection } from './schema.js';

export interface ClusterNodeImage {
  cluster: string;
  image: string;
  /** Topology path of the setting: `clusters.<c>.nodeImage`, else `kindClusters.nodeImage` (also when defaulted). */
  path: (string | number)[];
  /** The Kubernetes version in the image's tag (`kindest/node:v1.35.0@...`); undefined when the tag has none. */
  kubernetes: { major: number; minor: number; patch: number } | undefined;
}

/** Empty when the topology has no kind section (its clusters are not kind's). */
export function nodeImagesOf(topology: Topology): ClusterNodeImage[] {
  const section = topology[KIND_SECTION_KEY] as KindSection | undefined;
  if (section === undefined) return [];
  const fallback = withDefaults(section).nodeImage;
  return Object.entries(topology.clusters).map(([cluster, spec]) => {
    const own = (spec as KindClusterSpec).nodeImage;
    return own !== undefined
      ? { cluster, image: own, path: ['clusters', cluster, 'nodeImage'], kubernetes: kubernetesVersionOfNodeImage(own) }
      : { cluster, image: fallback, path: [KIND_SECTION_KEY, 'nodeImage'], kubernetes: kubernetesVersionOfNodeImage(fallback) };
  });
}
