// The `metallb` section of a topology, its JSON Schema and defaults.
import { K8S_NAMESPACE, type JsonSchema } from '@meshspec/core/plugin';
import { METALLB_SEED_PIN } from './pins.js';

/** A chart version known to install cleanly with Kubernetes 1.24+ (metallb.io/v1beta1 pools, webhooks). */
export const DEFAULT_CHART_VERSION = METALLB_SEED_PIN.version;
export const DEFAULT_NAMESPACE = 'metallb-system';
export const DEFAULT_POOL_SIZE = 10;
export const CHART = { release: 'metallb', chart: 'metallb', repo: 'https://metallb.github.io/metallb' } as const;
/** The name the seed procedure gives each cluster's pool (and we give its L2Advertisement). */
export const POOL_NAME = 'first-pool';

export interface MetallbSection {
  chartVersion?: string;
  namespace?: string;
  poolSize?: number;
  /** cluster name → `a.b.c.d-a.b.c.e` or CIDR. Clusters not listed get an automatic pool. */
  pools?: Record<string, string>;
  /** IPv4 subnet of the docker network the nodes are on; without it, read from the `kind:network` step. */
  dockerSubnet?: string;
}

export type ResolvedMetallbSection = Required<Pick<MetallbSection, 'chartVersion' | 'namespace' | 'poolSize'>> & {
  pools: Record<string, string>;
  dockerSubnet?: string;
};

export function withDefaults(section: MetallbSection | undefined): ResolvedMetallbSection {
  return {
    chartVersion: section?.chartVersion ?? DEFAULT_CHART_VERSION,
    namespace: section?.namespace ?? DEFAULT_NAMESPACE,
    poolSize: section?.poolSize ?? DEFAULT_POOL_SIZE,
    pools: section?.pools ?? {},
    ...(section?.dockerSubnet !== undefined ? { dockerSubnet: section.dockerSubnet } : {}),
  };
}

export const metallbSectionSchema: JsonSchema = {
  type: 'object',
  description: 'MetalLB in every cluster, so LoadBalancer Services (the Linkerd gateways) get addresses on the docker network.',
  additionalProperties: false,
  properties: {
    chartVersion: { type: 'string', pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+$', default: DEFAULT_CHART_VERSION, description: 'Version of the metallb chart from https://metallb.github.io/metallb.' },
    namespace: { ...K8S_NAMESPACE, default: DEFAULT_NAMESPACE, description: 'Namespace MetalLB is installed in.' },
    poolSize: { type: 'integer', minimum: 1, maximum: 1024, default: DEFAULT_POOL_SIZE, description: 'Addresses per cluster in automatic pools.' },
    pools: {
      type: 'object',
      default: {},
      description: 'Explicit address pool per cluster (`a.b.c.d-a.b.c.e` or a CIDR); clusters not listed get a pool carved from the top of the docker network.',
      additionalProperties: { type: 'string', description: 'Address range `a.b.c.d-a.b.c.e` or IPv4 CIDR.' },
    },
    dockerSubnet: { type: 'string', description: 'IPv4 subnet of the docker network (e.g. 172.18.0.0/16): checks explicit pools and replaces the kind network lookup.' },
  },
};
