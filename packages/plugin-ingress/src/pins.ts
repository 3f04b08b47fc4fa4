// Every version plugin-ingress pins, with where it comes from.

import type { Pin } from '@meshspec/core/plugin';

export type { Pin };

/**
 * The seed's controller. ingress-nginx is retired: no releases or security fixes after March 2026
 * (final chart 4.15.1); kept only so the seed example stays as it was, with a deprecation warning.
 */
export const INGRESS_NGINX_PIN: Pin = {
  what: 'ingress-nginx Helm chart (retired)',
  version: '4.11.5',
  source:
    'https://kubernetes.github.io/ingress-nginx, chart 4.11.5 = controller v1.11.5 (rendered in ../shared/conformance/ingress-nginx/4.11.5); retirement: ../shared/conformance/README.md',
};

/**
 * The Gateway API ingress of the modern path. v1.9 supports Kubernetes 1.33-1.36 (so 1.35, Linkerd 2.20's
 * newest, is inside); v1.9.2 is its latest patch seen (envoyproxy/gateway v1.9.2 release announcement,
 * via the gateway-helm 1.9.1 -> 1.9.2 update in https://gitlab.com/gitlab-org/charts/gitlab/-/merge_requests/5431).
 */
export const ENVOY_GATEWAY_PIN: Pin = {
  what: 'Envoy Gateway Helm chart (oci://docker.io/envoyproxy/gateway-helm)',
  version: 'v1.9.2',
  source: 'https://github.com/envoyproxy/gateway/releases/tag/v1.9.2; compatibility: https://gateway.envoyproxy.io/news/releases/matrix',
};

export const PLUGIN_INGRESS_PINS: readonly Pin[] = [INGRESS_NGINX_PIN, ENVOY_GATEWAY_PIN];
