import { K8S_NAMESPACE, K8S_SERVICE_NAME, type JsonSchema } from '@meshspec/core/plugin';

/** Latest linkerd-smi release; Linkerd 2.13+ needs v0.2.3 or later. */
export const DEFAULT_EXTENSION_VERSION = 'v0.2.7';
export const DEFAULT_SPLIT_PORT = 9898;

export interface BackendSpec {
  /** Cluster serving this share; absent = the cluster the split is applied in (the local service). */
  cluster?: string;
  /** Service name in that cluster; default the split's service. */
  service?: string;
  weight: number;
}

export interface SplitSpec {
  namespace: string;
  service: string;
  /** Service port (HTTPRoute parentRef and backendRefs need it). */
  port?: number;
  /** Clusters that get the split; default all. */
  clusters?: string[];
  backends?: BackendSpec[];
}

export interface SmiSection {
  extensionVersion?: string;
  splits?: SplitSpec[];
}


export const smiSchema: JsonSchema = {
  type: 'object',
  description:
    'Traffic splitting across clusters. Linkerd before 2.18 gets SMI TrafficSplit objects (through the linkerd-smi extension); 2.18 and later get Gateway API HTTPRoutes with weighted backendRefs.',
  additionalProperties: false,
  properties: {
    extensionVersion: {
      type: 'string',
      pattern: '^v\\d+\\.\\d+\\.\\d+$',
      default: DEFAULT_EXTENSION_VERSION,
      description: 'linkerd-smi version (the `linkerd-smi` CLI on PATH must be this version; it renders the extension). Linkerd 2.13+ needs v0.2.3 or later.',
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
          port: { type: 'integer', minimum: 1, maximum: 65535, default: DEFAULT_SPLIT_PORT, description: 'Service port (HTTPRoute mode attaches to and forwards to it). Default 9898, the demo podinfo port.' },
          clusters: { type: 'array', items: { type: 'string', description: 'Cluster name.' }, description: 'Clusters that get the split; default all.' },
          backends: {
            type: 'array',
            minItems: 1,
            description: 'Weighted backends. Default: the local service plus the mirror of every other cluster that exports it, with equal weights.',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['weight'],
              description: 'A share of the traffic. In each cluster it becomes the local service (its own cluster) or the mirror `<service>-<cluster>` (any other).',
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
};
