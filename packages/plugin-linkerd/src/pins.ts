// Every version plugin-linkerd pins, with where it comes from. (Kubernetes support per release line is in
// kubernetes-support.ts; the release/edge table in version.ts.)

import type { Pin } from '@meshspec/core/plugin';

export type { Pin };

/** Linkerd 2.20: the default `linkerd.version`. */
export const LINKERD_PIN: Pin = {
  what: 'Linkerd',
  version: 'edge-26.6.3',
  source: 'Linkerd 2.20 = edge-26.6.3 (tagged version-2.20), the real CLI recorded in ../shared/conformance/linkerd/edge-26.6.3',
};

/**
 * The Gateway API standard-channel CRDs installed before `linkerd install --crds` (Linkerd 2.18+ refuses
 * to install without them). Linkerd 2.18-2.19 support Gateway API 1.1.1-1.2.1
 * (https://linkerd.io/2/features/gateway-api, "Gateway API version compatibility"); Linkerd 2.20 supports
 * 1.2.1-1.5.1 and recommends 1.2.1 (../shared/conformance/README.md). 1.2.1 fits all three.
 */
export const GATEWAY_API_PIN: Pin = {
  what: 'Gateway API CRDs (standard channel)',
  version: 'v1.2.1',
  source:
    'https://github.com/kubernetes-sigs/gateway-api/releases/tag/v1.2.1 (standard-install.yaml); Linkerd compatibility: https://linkerd.io/2/features/gateway-api',
};

/** Linkerd lines and the Gateway API versions they support (same sources as GATEWAY_API_PIN). */
export const GATEWAY_API_SUPPORT: readonly { linkerd: [number, number]; min: string; max: string }[] = [
  { linkerd: [20, 20], min: 'v1.2.1', max: 'v1.5.1' },
  { linkerd: [18, 19], min: 'v1.1.1', max: 'v1.2.1' },
  { linkerd: [15, 17], min: 'v0.7.0', max: 'v1.1.1' },
];

export const PLUGIN_LINKERD_PINS: readonly Pin[] = [LINKERD_PIN, GATEWAY_API_PIN];

/** The release asset of a Gateway API version's standard-channel CRDs. */
export function gatewayApiStandardUrl(version: string): string {
  return `https://github.com/kubernetes-sigs/gateway-api/releases/download/${version}/standard-install.yaml`;
}
