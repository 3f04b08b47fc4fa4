// The `kind` section of a topology, its cluster keys, their JSON Schemas and defaults.
import type { ClusterSpec, JsonSchema } from '@meshspec/core';
import { pinnedNodeImageWithin } from './pins.js';

/**
 * Kubernetes 1.35 (kind v0.33.0), pinned by digest so every machine runs the same Kubernetes: the newest
 * minor that the default Linkerd (2.20, Kubernetes 1.31-1.35) supports. Not kind v0.33's own default
 * (1.37), which no Linkerd release supports yet. The seed example names its 1.24 image explicitly.
 */
export const DEFAULT_NODE_IMAGE = pinnedNodeImageWithin(31, 35)!.image;
export const DEFAULT_WORKERS = 2;
export const DEFAULT_NETWORK = 'kind';

/**
 * The topology key of this plugin's section. Not `kind`: every topology already has `kind: Topology`
 * at the top level (apiVersion/kind header), and YAML allows a key only once per mapping.
 */
export const KIND_SECTION_KEY = 'kindClusters';

export interface KindSection {
  nodeImage?: string;
  workers?: number;
  network?: string;
  apiServerPort?: number;
}

export type ResolvedKindSection = Required<Pick<KindSection, 'nodeImage' | 'workers' | 'network'>> & Pick<KindSection, 'apiServerPort'>;

/** The cluster keys this plugin adds (after `resolve`, podSubnet/serviceSubnet/context are always set). */
export interface KindClusterSpec extends ClusterSpec {
  workers?: number;
  nodeImage?: string;
  apiServerAddress?: string;
  apiServerPort?: number;
}

export function withDefaults(section: KindSection | undefined): ResolvedKindSection {
  return {
    nodeImage: section?.nodeImage ?? DEFAULT_NODE_IMAGE,
    workers: section?.workers ?? DEFAULT_WORKERS,
    network: section?.network ?? DEFAULT_NETWORK,
    ...(section?.apiServerPort !== undefined ? { apiServerPort: section.apiServerPort } : {}),
  };
}

// A digest pin is required: tags of kindest/node are rebuilt, and kind's release notes list the digest
// that matches each kind version.
const NODE_IMAGE_SCHEMA: JsonSchema = {
  type: 'string',
  pattern: '^[^\\s@]+:[^\\s@]+@sha256:[0-9a-f]{64}$',
  description: 'kindest/node image pinned by digest (`kindest/node:<version>@sha256:<digest>`, from the kind release notes).',
};
const WORKERS_SCHEMA: JsonSchema = { type: 'integer', minimum: 0, maximum: 20, description: 'Number of worker nodes besides the control-plane node.' };
const PORT_SCHEMA: JsonSchema = { type: 'integer', minimum: 0, maximum: 65535, description: 'Host port of the API server (0 or absent: kind picks a free port).' };

export const kindSectionSchema: JsonSchema = {
  type: 'object',
  description: 'Local Kubernetes clusters in docker, created with kind (one per entry of `clusters`).',
  additionalProperties: false,
  properties: {
    nodeImage: { ...NODE_IMAGE_SCHEMA, default: DEFAULT_NODE_IMAGE },
    workers: { ...WORKERS_SCHEMA, default: DEFAULT_WORKERS },
    network: {
      type: 'string',
      pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]*$',
      default: DEFAULT_NETWORK,
      description: 'Docker network the clusters join (kind uses `kind`; other names are passed as KIND_EXPERIMENTAL_DOCKER_NETWORK).',
    },
    apiServerPort: { ...PORT_SCHEMA, description: 'Host port of the API server for all clusters; only sensible with one cluster (prefer the per-cluster key).' },
  },
};

export const kindClusterSchema: Record<string, JsonSchema> = {
  workers: { ...WORKERS_SCHEMA, description: 'Worker nodes of this cluster (overrides kind.workers).' },
  nodeImage: { ...NODE_IMAGE_SCHEMA, description: 'Node image of this cluster (overrides kind.nodeImage); pinned by digest.' },
  apiServerAddress: { type: 'string', description: 'Host address the API server listens on (kind default 127.0.0.1).' },
  apiServerPort: PORT_SCHEMA,
};
