import { K8S_NAMESPACE, K8S_SERVICE_NAME, type JsonSchema } from '@meshspec/core/plugin';
import { ENVOY_GATEWAY_PIN, INGRESS_NGINX_PIN } from './pins.js';

export const DEFAULT_CHART_VERSION = INGRESS_NGINX_PIN.version;
export const DEFAULT_ENVOY_GATEWAY_VERSION = ENVOY_GATEWAY_PIN.version;
export type IngressController = 'ingress-nginx' | 'envoy-gateway';
/** Envoy Gateway: chart, release and namespace (its proxies run there too, so meshing the namespace meshes them). */
export const ENVOY_GATEWAY_CHART = 'oci://docker.io/envoyproxy/gateway-helm';
export const ENVOY_GATEWAY_RELEASE = 'eg';
export const ENVOY_GATEWAY_NAMESPACE = 'envoy-gateway-system';
export const ENVOY_GATEWAY_DEPLOYMENT = 'envoy-gateway';
/** Names of meshspec's EnvoyProxy, GatewayClass and Gateway. */
export const GATEWAY_NAME = 'meshspec';
export const GATEWAY_CLASS_NAME = 'meshspec-envoy';
export const ENVOY_CONTROLLER_NAME = 'gateway.envoyproxy.io/gatewayclass-controller';
export const DEFAULT_HOST_PATTERN = '{service}-{context}.127-0-0-1.sslip.io';
export const CHART_REPO = 'https://kubernetes.github.io/ingress-nginx';
export const CONTROLLER_NAMESPACE = 'ingress-nginx';
export const RELEASE = 'ingress-nginx';
/** The chart names its controller Deployment and Service `<release>-controller`. */
export const CONTROLLER_NAME = `${RELEASE}-controller`;

export interface ExposeSpec {
  namespace: string;
  service: string;
  port: number;
  path?: string;
  clusters?: string[];
}

export interface IngressSection {
  controller?: IngressController;
  envoyGatewayVersion?: string;
  chartVersion?: string;
  className?: string;
  hostPattern?: string;
  inject?: boolean;
  expose?: ExposeSpec[];
}

export type IngressOptions = Required<Omit<IngressSection, 'expose'>>;

export function ingressOptions(section: IngressSection = {}): IngressOptions {
  return {
    controller: section.controller ?? 'ingress-nginx',
    envoyGatewayVersion: section.envoyGatewayVersion ?? DEFAULT_ENVOY_GATEWAY_VERSION,
    chartVersion: section.chartVersion ?? DEFAULT_CHART_VERSION,
    className: section.className ?? 'nginx',
    hostPattern: section.hostPattern ?? DEFAULT_HOST_PATTERN,
    inject: section.inject ?? true,
  };
}

export const ingressSchema: JsonSchema = {
  type: 'object',
  description: 'A meshed ingress in every cluster that exposes services under per-cluster host names: Envoy Gateway with Gateway API HTTPRoutes, or the retired ingress-nginx with Ingresses.',
  additionalProperties: false,
  properties: {
    controller: {
      type: 'string',
      enum: ['ingress-nginx', 'envoy-gateway'],
      default: 'ingress-nginx',
      description: '`envoy-gateway`: Envoy Gateway (Gateway API: GatewayClass, Gateway, an HTTPRoute per service), routing to Services so Linkerd balances and splits. `ingress-nginx`: retired since March 2026, kept for the seed example.',
    },
    envoyGatewayVersion: { type: 'string', default: DEFAULT_ENVOY_GATEWAY_VERSION, description: `Envoy Gateway Helm chart version (${ENVOY_GATEWAY_CHART}).` },
    chartVersion: { type: 'string', default: DEFAULT_CHART_VERSION, description: `ingress-nginx Helm chart version (${CHART_REPO}); ingress-nginx only.` },
    className: { type: 'string', default: 'nginx', description: 'IngressClass the controller serves and the Ingresses use; ingress-nginx only.' },
    hostPattern: {
      type: 'string',
      default: DEFAULT_HOST_PATTERN,
      description: 'Host name of each exposed service; placeholders {service}, {namespace}, {cluster}, {context}. sslip.io names resolve without DNS setup.',
    },
    inject: { type: 'boolean', default: true, description: 'Mesh the ingress: ingress-nginx pods get linkerd.io/inject: enabled (Ingresses use service-upstream); for Envoy Gateway its namespace gets the annotation, so the proxies it creates are meshed.' },
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
          clusters: { type: 'array', items: { type: 'string', description: 'Cluster name.' }, description: 'Clusters to expose it in; default all.' },
        },
      },
    },
  },
};
