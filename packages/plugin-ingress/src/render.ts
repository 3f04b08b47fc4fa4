// Pure renderers: host names, the controllers' Helm values and namespace, Ingress objects (ingress-nginx),
// and the Gateway API objects of the Envoy Gateway ingress.
import type { KubeObject } from '@meshspec/core/plugin';
import {
  ENVOY_CONTROLLER_NAME,
  ENVOY_GATEWAY_NAMESPACE,
  GATEWAY_CLASS_NAME,
  GATEWAY_NAME,
  type IngressOptions,
  type ResolvedExposeSpec,
} from './schema.js';

const MANAGED = { 'app.kubernetes.io/managed-by': 'meshspec' };
const GATEWAY_API = 'gateway.networking.k8s.io';

const PLACEHOLDER = /\{(service|namespace|cluster|context)\}/g;

/** Host name from the pattern; a kube context like `kind-demo` stays as is (valid in a DNS label). */
export function hostFor(pattern: string, values: { service: string; namespace: string; cluster: string; context: string }): string {
  return pattern.replace(PLACEHOLDER, (_, key: keyof typeof values) => values[key]).toLowerCase();
}

export function unknownPlaceholders(pattern: string): string[] {
  return [...pattern.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!).filter((k) => !['service', 'namespace', 'cluster', 'context'].includes(k));
}

/** Values of the ingress-nginx chart: our class name and, when meshed, the injection annotation on the controller pods. */
export function controllerValues(options: IngressOptions): Record<string, unknown> {
  return {
    controller: {
      ingressClass: options.className,
      ingressClassResource: { name: options.className },
      ...(options.inject ? { podAnnotations: { 'linkerd.io/inject': 'enabled' } } : {}),
    },
  };
}

/**
 * The Ingress for one exposed service. `service-upstream` makes nginx send to the Service's cluster IP
 * instead of pod IPs, so the Linkerd proxy (not nginx) load-balances and applies splits.
 */
export function renderIngress(expose: ResolvedExposeSpec, host: string, options: Pick<IngressOptions, 'className'>): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: expose.service,
      namespace: expose.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'meshspec' },
      annotations: { 'nginx.ingress.kubernetes.io/service-upstream': 'true' },
    },
    spec: {
      ingressClassName: options.className,
      rules: [
        {
          host,
          http: {
            paths: [
              { path: expose.path, pathType: 'Prefix', backend: { service: { name: expose.service, port: { number: expose.port } } } },
            ],
          },
        },
      ],
    },
  };
}

/**
 * Envoy Gateway's namespace. The controller creates its Envoy proxies here (ControllerNamespace mode), so
 * the namespace-level annotation meshes them: pod annotations set through Envoy Gateway's own settings are
 * not reliably applied to the proxies it creates (envoyproxy/gateway#7620), annotating the namespace is.
 */
export function envoyGatewayNamespace(options: Pick<IngressOptions, 'inject'>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: ENVOY_GATEWAY_NAMESPACE,
      labels: MANAGED,
      ...(options.inject ? { annotations: { 'linkerd.io/inject': 'enabled' } } : {}),
    },
  };
}

/**
 * EnvoyProxy (routingType: Service), the GatewayClass pointing at it, and one HTTP Gateway for all exposed
 * services. routingType Service makes Envoy send to the Service's cluster IP instead of pod IPs, so the
 * meshed proxy beside Envoy applies Linkerd's service-level balancing, routes and splits (Envoy Gateway
 * routes to pod IPs by default: envoyproxy/gateway#1900, fixed by #3543).
 */
export function renderGatewayObjects(): KubeObject[] {
  return [
    {
      apiVersion: 'gateway.envoyproxy.io/v1alpha1',
      kind: 'EnvoyProxy',
      metadata: { name: GATEWAY_NAME, namespace: ENVOY_GATEWAY_NAMESPACE, labels: MANAGED },
      spec: { routingType: 'Service' },
    },
    {
      apiVersion: `${GATEWAY_API}/v1`,
      kind: 'GatewayClass',
      metadata: { name: GATEWAY_CLASS_NAME, labels: MANAGED },
      spec: {
        controllerName: ENVOY_CONTROLLER_NAME,
        parametersRef: { group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name: GATEWAY_NAME, namespace: ENVOY_GATEWAY_NAMESPACE },
      },
    },
    {
      apiVersion: `${GATEWAY_API}/v1`,
      kind: 'Gateway',
      metadata: { name: GATEWAY_NAME, namespace: ENVOY_GATEWAY_NAMESPACE, labels: MANAGED },
      spec: {
        gatewayClassName: GATEWAY_CLASS_NAME,
        // Routes live beside their services, in any namespace.
        listeners: [{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } }],
      },
    },
  ];
}

/** The Gateway API objects alone (the EnvoyProxy is Envoy Gateway's own CRD). */
export const gatewayApiObjects = (objects: KubeObject[]) => objects.filter((o) => o.apiVersion.startsWith(`${GATEWAY_API}/`));

/**
 * The HTTPRoute for one exposed service: attached to meshspec's Gateway, matching the host and path prefix,
 * sending to the Service. Named `<service>-ingress` so it never collides with a split HTTPRoute, which is
 * named after the service and attached to the Service itself.
 */
export function renderHttpRoute(expose: ResolvedExposeSpec, host: string): KubeObject {
  return {
    apiVersion: `${GATEWAY_API}/v1`,
    kind: 'HTTPRoute',
    metadata: { name: `${expose.service}-ingress`, namespace: expose.namespace, labels: MANAGED },
    spec: {
      parentRefs: [{ group: GATEWAY_API, kind: 'Gateway', name: GATEWAY_NAME, namespace: ENVOY_GATEWAY_NAMESPACE, sectionName: 'http' }],
      hostnames: [host],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: expose.path } }],
          backendRefs: [{ group: '', kind: 'Service', name: expose.service, port: expose.port, weight: 1 }],
        },
      ],
    },
  };
}
