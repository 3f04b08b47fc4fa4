// Every image version plugin-workloads pins for the demo app, with where it comes from.

import type { Pin } from '@meshspec/core/plugin';

export type { Pin };

/** The seed's podinfo (and the default image). */
export const PODINFO_SEED_PIN: Pin = {
  what: 'podinfo (seed, default)',
  version: '6.7.1',
  source: 'https://github.com/stefanprodan/podinfo/releases/tag/6.7.1 (../shared/conformance/podinfo/6.7.1)',
};
/** podinfo's newest tag in the recorded data (late 2026), used by the modern example. */
export const PODINFO_CURRENT_PIN: Pin = {
  what: 'podinfo (modern example)',
  version: '6.14.1',
  source: 'https://github.com/stefanprodan/podinfo/releases/tag/6.14.1 (../shared/conformance/podinfo/6.14.1)',
};

export const podinfoImage = (pin: Pin) => `ghcr.io/stefanprodan/podinfo:${pin.version}`;

export const PLUGIN_WORKLOADS_PINS: readonly Pin[] = [PODINFO_SEED_PIN, PODINFO_CURRENT_PIN];
