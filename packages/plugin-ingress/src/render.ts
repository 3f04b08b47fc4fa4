// Pure renderers: host names, the controller's Helm values, and Ingress objects.
import type { KubeObject } from '@meshspec/core';
import type { ExposeSpec, IngressOptions } from './schema.js';

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
export function renderIngress(expose: ExposeSpec, host: string, options: Pick<IngressOptions, 'className'>): KubeObject {
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
          http: { paths: [{ path: expose.path ?? '/', pathType: 'Prefix', backend: { service: { name: expose.service, port: { number: expose.port } } } }] },
        },
      ],
    },
  };
}
