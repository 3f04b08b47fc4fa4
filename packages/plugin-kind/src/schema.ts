// The `kind` section of a topology and its cluster keys: their JSON Schemas are the one definition; the
// TypeScript types and the defaults come from them.
import { applySchemaDefaults, type ClusterSpec, type FromSchema, type JsonSchema, type ResolvedFromSchema } from '@meshspec/core/plugin';
import { pinnedNodeImageWithin } from './pins.js';
import { DEFAULT_REGISTRY_IMAGE, MIRRORED_UPSTREAMS } from './registry-mirror.js';

/**
 * Kubernetes 1.35 (kind v0.33.0), pinned by digest so every machine runs the same Kubernetes: the newest
 * minor that the default Linkerd (2.20, Kubernetes 1.31-1.35) supports. Not kind v0.33's own default
 * (1.37), which no Linkerd release supports yet. The seed example names its 1.24 image explicitly.
 */
export const DEFAULT_NODE_IMAGE = pinnedNodeImageWithin(31, 35)!.image;

/**
 * The topology key of this plugin's section. Not `kind`: every topology already has `kind: Topology`
 * at the top level (apiVersion/kind header), and YAML allows a key only once per mapping.
 */
export const KIND_SECTION_KEY = 'kindClusters';

// A digest pin is required: tags of kindest/node are rebuilt, and kind's release notes list the digest
// that matches each kind version.
const NODE_IMAGE_SCHEMA = {
  type: 'string',
  pattern: '^[^\\s@]+:[^\\s@]+@sha256:[0-9a-f]{64}$',
  description: 'kindest/node image pinned by digest (`kindest/node:<version>@sha256:<digest>`, from the kind release notes).',
} as const satisfies JsonSchema;
const WORKERS_SCHEMA = {
  type: 'integer',
  minimum: 0,
  maximum: 20,
  description: 'Number of worker nodes besides the control-plane node.',
} as const satisfies JsonSchema;
const PORT_SCHEMA = {
  type: 'integer',
  minimum: 0,
  maximum: 65535,
  description: 'Host port of the API server (0 or absent: kind picks a free port).',
} as const satisfies JsonSchema;

export const kindSectionSchema = {
  type: 'object',
  description: 'Local Kubernetes clusters in docker, created with kind (one per entry of `clusters`).',
  additionalProperties: false,
  properties: {
    nodeImage: { ...NODE_IMAGE_SCHEMA, default: DEFAULT_NODE_IMAGE },
    workers: { ...WORKERS_SCHEMA, default: 2 },
    network: {
      type: 'string',
      pattern: '^[a-zA-Z0-9][a-zA-Z0-9_.-]*$',
      default: 'kind',
      description: 'Docker network the clusters join (kind uses `kind`; other names are passed as KIND_EXPERIMENTAL_DOCKER_NETWORK).',
    },
    apiServerPort: {
      ...PORT_SCHEMA,
      description: 'Host port of the API server for all clusters; only sensible with one cluster (prefer the per-cluster key).',
    },
    registryMirror: {
      type: 'object',
      additionalProperties: false,
      description: `Pull-through registry caches shared by every kind cluster (one \`registry:2\` container per upstream: ${MIRRORED_UPSTREAMS.join(', ')}), so each image is pulled from the internet once, not once per cluster. On unless \`enabled: false\`. Kept across applies; \`destroy\` removes only the caches meshspec created.`,
      properties: {
        enabled: { type: 'boolean', default: true, description: 'false: no caches; every node pulls from the internet itself.' },
        image: { type: 'string', minLength: 1, default: DEFAULT_REGISTRY_IMAGE, description: 'Registry image the caches run.' },
        reuse: {
          type: 'object',
          additionalProperties: false,
          description:
            'An existing registry already mirroring an upstream (e.g. one ctlptl made), by upstream: its endpoint as the nodes reach it. meshspec neither creates nor removes it.',
          properties: Object.fromEntries(
            MIRRORED_UPSTREAMS.map((u) => [
              u,
              { type: 'string', pattern: '^https?://[^\\s/]+/?$', description: `Endpoint mirroring ${u}, e.g. http://my-cache:5000.` },
            ]),
          ),
        },
      },
    },
  },
} as const satisfies JsonSchema;

/** The section as written. */
export type KindSection = FromSchema<typeof kindSectionSchema>;
/** The section with the schema's defaults (nodeImage, workers, network) filled in. */
export type ResolvedKindSection = ResolvedFromSchema<typeof kindSectionSchema>;

/** The section with the schema's defaults filled in; an absent section resolves like an empty one. */
export function withDefaults(section: KindSection | undefined): ResolvedKindSection {
  return applySchemaDefaults(kindSectionSchema, section ?? {});
}

export const kindClusterSchema = {
  workers: { ...WORKERS_SCHEMA, description: 'Worker nodes of this cluster (overrides kind.workers).' },
  nodeImage: { ...NODE_IMAGE_SCHEMA, description: 'Node image of this cluster (overrides kind.nodeImage); pinned by digest.' },
  apiServerAddress: { type: 'string', description: 'Host address the API server listens on (kind default 127.0.0.1).' },
  apiServerPort: PORT_SCHEMA,
} as const satisfies Record<string, JsonSchema>;

/** The cluster keys this plugin adds (after `resolve`, podSubnet/serviceSubnet/context are always set). */
export type KindClusterSpec = ClusterSpec & FromSchema<{ type: 'object'; properties: typeof kindClusterSchema }>;
