// The `metallb` section of a topology: its JSON Schema is the one definition; the TypeScript types and the
// defaults come from it.
import { applySchemaDefaults, K8S_NAMESPACE, type FromSchema, type JsonSchema, type ResolvedFromSchema } from '@meshspec/core/plugin';
import { METALLB_SEED_PIN } from './pins.js';

/** A chart version known to install cleanly with Kubernetes 1.24+ (metallb.io/v1beta1 pools, webhooks). */
export const DEFAULT_CHART_VERSION = METALLB_SEED_PIN.version;
export const CHART = { release: 'metallb', chart: 'metallb', repo: 'https://metallb.github.io/metallb' } as const;
/** The name the seed procedure gives each cluster's pool (and we give its L2Advertisement). */
export const POOL_NAME = 'first-pool';

export const metallbSectionSchema = {
  type: 'object',
  description: 'MetalLB in every cluster, so LoadBalancer Services (the Linkerd gateways) get addresses on the docker network.',
  additionalProperties: false,
  properties: {
    chartVersion: {
      type: 'string',
      pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+$',
      default: DEFAULT_CHART_VERSION,
      description: 'Version of the metallb chart from https://metallb.github.io/metallb.',
    },
    namespace: { ...K8S_NAMESPACE, default: 'metallb-system', description: 'Namespace MetalLB is installed in.' },
    poolSize: { type: 'integer', minimum: 1, maximum: 1024, default: 10, description: 'Addresses per cluster in automatic pools.' },
    pools: {
      type: 'object',
      default: {},
      description:
        'Explicit address pool per cluster (`a.b.c.d-a.b.c.e` or a CIDR); clusters not listed get a pool carved from the top of the docker network.',
      additionalProperties: { type: 'string', description: 'Address range `a.b.c.d-a.b.c.e` or IPv4 CIDR.' },
    },
    dockerSubnet: {
      type: 'string',
      description: 'IPv4 subnet of the docker network (e.g. 172.18.0.0/16): checks explicit pools and replaces the kind network lookup.',
    },
  },
} as const satisfies JsonSchema;

/** The section as written: `pools` maps a cluster name to `a.b.c.d-a.b.c.e` or a CIDR (others get an automatic pool). */
export type MetallbSection = FromSchema<typeof metallbSectionSchema>;
/** The section with the schema's defaults filled in (chartVersion, namespace, poolSize, pools). */
export type ResolvedMetallbSection = ResolvedFromSchema<typeof metallbSectionSchema>;

/** The section with the schema's defaults filled in; an absent section resolves like an empty one. */
export function withDefaults(section: MetallbSection | undefined): ResolvedMetallbSection {
  return applySchemaDefaults(metallbSectionSchema, section ?? {});
}
