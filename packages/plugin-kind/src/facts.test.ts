import { describe, expect, it } from 'vitest';
import { type Topology } from '@meshspec/core/plugin';
import { clusterDirectory, factsOf } from '@meshspec/core/testing';
import { kindPlugin } from './plugin.js';

const topology = (extra: Record<string, unknown>): Topology => ({
  apiVersion: 'meshspec.dev/v1alpha1',
  kind: 'Topology',
  metadata: { name: 't' },
  clusters: { demo: { context: 'kind-demo', podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16' }, other: { context: 'ctx-other' } },
  ...extra,
});

describe('kind facts and the clusters it provides', () => {
  it.each([
    {
      name: "with the kindClusters section: every cluster is kind's, reached at its cluster step output",
      extra: { kindClusters: { network: 'meshnet' } },
      clusters: ['demo', 'other'],
      network: 'meshnet',
      networkStep: 'kind:network',
      demo: {
        cluster: 'demo',
        provider: 'kind',
        createdBy: 'kind:cluster@demo',
        context: 'kind-demo',
        podSubnet: '10.244.0.0/16',
        serviceSubnet: '10.96.0.0/16',
        reachableAt: { step: 'kind:cluster@demo', output: 'apiServerUrl' },
        realContainers: true,
      },
      after: ['kind:cluster@demo'],
    },
    {
      name: 'without it: kind provides nothing, the cluster is given by its context',
      extra: {},
      clusters: [],
      network: undefined,
      networkStep: undefined,
      demo: {
        cluster: 'demo',
        provider: undefined,
        createdBy: undefined,
        context: 'kind-demo',
        // The subnets written on the cluster (nothing defaults them when no provider creates it).
        podSubnet: '10.244.0.0/16',
        serviceSubnet: '10.96.0.0/16',
        reachableAt: { kubeconfig: true },
        realContainers: true,
      },
      after: [],
    },
  ])('$name', ({ extra, clusters, network, networkStep, demo, after }) => {
    const t = topology(extra);
    const facts = factsOf(kindPlugin, t);
    expect(facts.clusters).toEqual(clusters);
    expect(facts.network).toBe(network);
    expect(facts.networkStep).toBe(networkStep);
    const directory = clusterDirectory(t, [kindPlugin]);
    expect(directory.of('demo')).toEqual(demo);
    expect(directory.after('demo')).toEqual(after);
  });
});
