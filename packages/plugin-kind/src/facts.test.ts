import { describe, expect, it } from 'vitest';
import { type Topology } from '@meshspec/core/plugin';
import { factsOf } from '@meshspec/core/testing';
import { kindPlugin } from './plugin.js';

const topology = (extra: Record<string, unknown>): Topology => ({
  apiVersion: 'meshspec.dev/v1alpha1',
  kind: 'Topology',
  metadata: { name: 't' },
  clusters: { demo: { context: 'kind-demo', podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16' }, other: { context: 'ctx-other' } },
  ...extra,
});

describe('kind facts', () => {
  it.each([
    {
      name: 'with the kindClusters section: every cluster is kind\'s, reached at its cluster step output',
      extra: { kindClusters: { network: 'meshnet' } },
      clusters: ['demo', 'other'],
      network: 'meshnet',
      networkStep: 'kind:network',
      reachable: { step: 'kind:cluster@demo', output: 'apiServerUrl' },
    },
    { name: 'without it: kind provides nothing', extra: {}, clusters: [], network: undefined, networkStep: undefined, reachable: undefined },
  ])('$name', ({ extra, clusters, network, networkStep, reachable }) => {
    const facts = factsOf(kindPlugin, topology(extra));
    expect(facts.clusters).toEqual(clusters);
    expect(facts.network).toBe(network);
    expect(facts.networkStep).toBe(networkStep);
    expect(facts.reachableAt('demo')).toEqual(reachable);
    expect(facts.clusterStep('demo')).toBe('kind:cluster@demo');
    expect(facts.subnets).toEqual({ demo: { pods: '10.244.0.0/16', services: '10.96.0.0/16' }, other: {} });
  });
});
