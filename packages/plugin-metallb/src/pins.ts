// Every version plugin-metallb pins, with where it comes from.

import type { Pin } from '@meshspec/core/plugin';

export type { Pin };

/** The seed's chart (and the default): metallb.io/v1beta1 pools, Kubernetes 1.24+. */
export const METALLB_SEED_PIN: Pin = {
  what: 'MetalLB Helm chart (seed, default)',
  version: '0.14.9',
  source: 'https://metallb.github.io/metallb, chart 0.14.9 (rendered in ../shared/conformance/metallb/v0.14.9)',
};

/** The newest MetalLB (late 2026), used by the modern example; its chart includes frr-k8s. */
export const METALLB_CURRENT_PIN: Pin = {
  what: 'MetalLB Helm chart (modern example)',
  version: '0.16.1',
  source:
    'https://github.com/metallb/metallb/releases/tag/v0.16.1 (rendered in ../shared/conformance/metallb/v0.16.1; newest per ../shared/conformance/README.md)',
};

export const PLUGIN_METALLB_PINS: readonly Pin[] = [METALLB_SEED_PIN, METALLB_CURRENT_PIN];
