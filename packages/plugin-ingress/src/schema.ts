import { K8S_NAMESPACE, K8S_SERVICE_NAME, type JsonSchema } from '@meshspec/core';

export const DEFAULT_CHART_VERSION = '4.11.5';
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
  chartVersion?: string;
  className?: string;
  hostPattern?: string;
  inject?: boolean;
  expose?: ExposeSpec[];
}

export type IngressOptions = Required<Omit<IngressSection, 'expose'>>;

export function ingressOptions(section: IngressSection = {}): IngressOptions {
  return {
    chartVersion: section.chartVersion ?? DEFAULT_CHART_VERSION,
    className: section.className ?? 'nginx',
    hostPattern: section.hostPattern ?? DEFAULT_HOST_PATTERN,
    inject: section.inject ?? true,
  };
}

export const ingressSchema: JsonSchema = {
  type: 'object',
  description: 'ingress-nginx in every cluster, and Ingresses that expose services under per-cluster host names.',
  additionalProperties: false,
  properties: {
    chartVersion: { type: 'string', default: DEFAULT_CHART_VERSION, description: `ingress-nginx Helm chart version (${CHART_REPO}).` },
    className: { type: 'string', default: 'nginx', description: 'IngressClass the controller serves and the Ingresses use.' },
    hostPattern: {
      type: 'string',
      default: DEFAULT_HOST_PATTERN,
      description: 'Host name of each exposed service; placeholders {service}, {namespace}, {cluster}, {context}. sslip.io names resolve without DNS setup.',
    },
    inject: { type: 'boolean', default: true, description: 'Mesh the controller (pod annotation linkerd.io/inject: enabled); Ingresses then use service-upstream so Linkerd balances.' },
    expose: {
      type: 'array',
      default: [],
      description: 'Services to expose through the ingress controller.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['namespace', 'service', 'port'],
        description: 'One Ingress (named after the service) per cluster.',
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
