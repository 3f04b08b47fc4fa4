// The `smi` section: its JSON Schema is the one definition; the TypeScript types and defaults come from it.
import {
  applySchemaDefaults,
  K8S_NAMESPACE,
  K8S_SERVICE_NAME,
  type FromSchema,
  type JsonSchema,
  type ResolvedFromSchema,
} from '@meshspec/core/plugin';

export const smiSchema = {
  type: 'object',
  description:
    'Traffic splitting across clusters. Linkerd before 2.18 gets SMI TrafficSplit objects (through the linkerd-smi extension); 2.18 and later get Gateway API HTTPRoutes with weighted backendRefs.',
  additionalProperties: false,
  properties: {
    extensionVersion: {
      type: 'string',
      pattern: '^v\\d+\\.\\d+\\.\\d+$',
      // The latest linkerd-smi release; Linkerd 2.13+ needs v0.2.3 or later.
      default: 'v0.2.7',
      description:
        'linkerd-smi version (the `linkerd-smi` CLI on PATH must be this version; it renders the extension). Linkerd 2.13+ needs v0.2.3 or later.',
    },
    splits: {
      type: 'array',
      default: [],
      description: 'One split per service; applied in every listed cluster.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['namespace', 'service'],
        description: 'Splits traffic for a service between the local service and the mirrors of remote clusters.',
        properties: {
          namespace: { ...K8S_NAMESPACE, description: 'Namespace of the service.' },
          service: { ...K8S_SERVICE_NAME, description: 'The apex service clients call; also the name of the TrafficSplit/HTTPRoute.' },
          port: {
            type: 'integer',
            minimum: 1,
            maximum: 65535,
            default: 9898,
            description: 'Service port (HTTPRoute mode attaches to and forwards to it). Default 9898, the demo podinfo port.',
          },
          clusters: {
            type: 'array',
            items: { type: 'string', description: 'Cluster name.' },
            description: 'Clusters that get the split; default all.',
          },
          backends: {
            type: 'array',
            minItems: 1,
            description:
              'Weighted backends. Default: the local service plus the mirror of every other cluster that exports it, with equal weights.',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['weight'],
              description:
                'A share of the traffic. In each cluster it becomes the local service (its own cluster) or the mirror `<service>-<cluster>` (any other).',
              properties: {
                cluster: { type: 'string', description: 'Cluster that serves this share; absent = the cluster the split is applied in.' },
                service: { ...K8S_SERVICE_NAME, description: 'Service in that cluster; default the split service.' },
                weight: { type: 'integer', minimum: 0, description: 'Relative weight (the weights of a split need not add up to 100).' },
              },
            },
          },
        },
      },
    },
  },
} as const satisfies JsonSchema;

/** The section as written. */
export type SmiSection = FromSchema<typeof smiSchema>;
/** The section with the schema's defaults filled in. */
export type ResolvedSmiSection = ResolvedFromSchema<typeof smiSchema>;
/** One split (`port` absent = the default, 9898). */
export type SplitSpec = NonNullable<SmiSection['splits']>[number];
/** A split with its defaults (`port`) filled in, as steps and verify use it. */
export type ResolvedSplitSpec = ResolvedSmiSection['splits'][number];
/** A weighted share: `cluster` absent = the cluster the split is applied in; `service` absent = the split's service. */
export type BackendSpec = NonNullable<SplitSpec['backends']>[number];

/** The section with the schema's defaults (extensionVersion, splits, each split's port) filled in. */
export function resolveSmi(section: SmiSection | undefined): ResolvedSmiSection {
  return applySchemaDefaults(smiSchema, section ?? {});
}
