// The `ingress` section: its JSON Schema is the one definition; the TypeScript types and defaults come from it.
import {
  applySchemaDefaults,
  K8S_NAMESPACE,
  K8S_SERVICE_NAME,
  type FromSchema,
  type JsonSchema,
  type ResolvedFromSchema,
} from '@meshspec/core/plugin';
import { ENVOY_GATEWAY_PIN, INGRESS_NGINX_PIN } from './pins.js';

export const DEFAULT_CHART_VERSION = INGRESS_NGINX_PIN.version;
export const DEFAULT_ENVOY_GATEWAY_VERSION = ENVOY_GATEWAY_PIN.version;
/** Envoy Gateway: chart, release and namespace (its proxies run there too, so meshing the namespace meshes them). */
export const ENVOY_GATEWAY_CHART = 'oci://docker.io/envoyproxy/gateway-helm';
export const ENVOY_GATEWAY_RELEASE = 'eg';
export const ENVOY_GATEWAY_NAMESPACE = 'envoy-gateway-system';
export const ENVOY_GATEWAY_DEPLOYMENT = 'envoy-gateway';
/** Names of meshspec's EnvoyProxy, GatewayClass and Gateway. */
export const GATEWAY_NAME = 'meshspec';
export const GATEWAY_CLASS_NAME = 'meshspec-envoy';
export const ENVOY_CONTROLLER_NAME = 'gateway.envoyproxy.io/gatewayclass-controller';
export const CHART_REPO = 'https://kubernetes.github.io/ingress-nginx';
export const CONTROLLER_NAMESPACE = 'ingress-nginx';
export const RELEASE = 'ingress-nginx';
/** The chart names its controller Deployment and Service `<release>-controller`. */
export const CONTROLLER_NAME = `${RELEASE}-controller`;

export const ingressSchema = {
  type: 'object',
  description:
    'A meshed ingress in every cluster that exposes services under per-cluster host names: Envoy Gateway with Gateway API HTTPRoutes, or the retired ingress-nginx with Ingresses.',
  additionalProperties: false,
  properties: {
    controller: {
      type: 'string',
      enum: ['ingress-nginx', 'envoy-gateway'],
      default: 'ingress-nginx',
      description:
        '`envoy-gateway`: Envoy Gateway (Gateway API: GatewayClass, Gateway, an HTTPRoute per service), routing to Services so Linkerd balances and splits. `ingress-nginx`: retired since March 2026, kept for the seed example.',
    },
    envoyGatewayVersion: {
      type: 'string',
      default: DEFAULT_ENVOY_GATEWAY_VERSION,
      description: `Envoy Gateway Helm chart version (${ENVOY_GATEWAY_CHART}).`,
    },
    chartVersion: {
      type: 'string',
      default: DEFAULT_CHART_VERSION,
      description: `ingress-nginx Helm chart version (${CHART_REPO}); ingress-nginx only.`,
    },
    className: {
      type: 'string',
      default: 'nginx',
      description: 'IngressClass the controller serves and the Ingresses use; ingress-nginx only.',
    },
    hostPattern: {
      type: 'string',
      default: '{service}-{context}.127-0-0-1.sslip.io',
      description:
        'Host name of each exposed service; placeholders {service}, {namespace}, {cluster}, {context}. sslip.io names resolve without DNS setup.',
    },
    inject: {
      type: 'boolean',
      default: true,
      description:
        'Mesh the ingress: ingress-nginx pods get linkerd.io/inject: enabled (Ingresses use service-upstream); for Envoy Gateway its namespace gets the annotation, so the proxies it creates are meshed.',
    },
    expose: {
      type: 'array',
      default: [],
      description: 'Services to expose through the ingress controller.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['namespace', 'service', 'port'],
        description: 'One Ingress (named after the service) or HTTPRoute (`<service>-ingress`) per cluster.',
        properties: {
          namespace: { ...K8S_NAMESPACE, description: 'Namespace of the service (and of the Ingress).' },
          service: { ...K8S_SERVICE_NAME, description: 'Service to expose.' },
          port: { type: 'integer', minimum: 1, maximum: 65535, description: 'Service port.' },
          path: { type: 'string', pattern: '^/', default: '/', description: 'Path prefix routed to the service.' },
          clusters: {
            type: 'array',
            items: { type: 'string', description: 'Cluster name.' },
            description: 'Clusters to expose it in; default all.',
          },
        },
      },
    },
  },
} as const satisfies JsonSchema;

/** The section as written. */
export type IngressSection = FromSchema<typeof ingressSchema>;
/** The section with the schema's defaults filled in (every option, `expose`, each entry's `path`). */
export type IngressOptions = ResolvedFromSchema<typeof ingressSchema>;
export type IngressController = IngressOptions['controller'];
/** One exposed service as written (`path` absent = `/`). */
export type ExposeSpec = NonNullable<IngressSection['expose']>[number];
/** One exposed service with its defaults (`path`). */
export type ResolvedExposeSpec = IngressOptions['expose'][number];

/** The default host name pattern (`hostPattern`). */
export const DEFAULT_HOST_PATTERN = ingressSchema.properties.hostPattern.default;

/** The section with the schema's defaults filled in; an absent section resolves like an empty one. */
export function ingressOptions(section: IngressSection = {}): IngressOptions {
  return applySchemaDefaults(ingressSchema, section);
}

/** One exposed service with the schema's defaults filled in. */
export function resolveExpose(expose: ExposeSpec): ResolvedExposeSpec {
  return applySchemaDefaults(ingressSchema.properties.expose.items, expose);
}
