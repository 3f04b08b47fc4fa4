import { describe, expect, it } from 'vitest';
import { TopologyError } from '../errors.js';
import { validateTopology } from '../topology/validate.js';
import { clusterDirectory } from './clusters.js';
import { definePlugin } from './define.js';
import type { ProvidedCluster } from './clusters.js';
import type { Topology } from './types.js';

// Two providers that claim every cluster when their section is present (as kind and kwok do).
const providerNamed = (name: string, realContainers: boolean) =>
  definePlugin<Record<string, never>>({
    name,
    key: `${name}Clusters`,
    schema: { type: 'object', additionalProperties: false, description: `${name} clusters` },
    steps: () => [],
    // Providers also write each cluster's context in resolve: the engine talks to clusters through it.
    resolve: (topology, section) =>
      section === undefined
        ? topology
        : {
            ...topology,
            clusters: Object.fromEntries(
              Object.entries(topology.clusters).map(([c, spec]) => [c, { ...spec, context: spec.context ?? `${name}-${c}` }]),
            ),
          },
    providesClusters: (topology, section): ProvidedCluster[] =>
      section === undefined
        ? []
        : Object.keys(topology.clusters).map((cluster) => ({
            cluster,
            createdBy: `${name}:cluster@${cluster}`,
            context: `${name}-${cluster}`,
            podSubnet: '10.244.0.0/16',
            reachableAt: { step: `${name}:cluster@${cluster}`, output: 'apiServerUrl' as const },
            realContainers,
            claimedAt: [`${name}Clusters`],
          })),
  });
const real = providerNamed('real', true);
const sim = providerNamed('sim', false);

const topology = (extra: Record<string, unknown> = {}): Topology => ({
  apiVersion: 'meshspec.dev/v1alpha1',
  kind: 'Topology',
  metadata: { name: 't' },
  clusters: { east: { context: 'ctx-east', apiServerUrl: 'https://192.0.2.9:6443' }, west: {} },
  ...extra,
});

describe('cluster-provider contract', () => {
  it('answers for provided clusters from the provider, for the others as given by context', () => {
    const provided = clusterDirectory(topology({ simClusters: {} }), [real, sim]);
    expect(provided.of('west')).toEqual({
      cluster: 'west',
      provider: 'sim',
      createdBy: 'sim:cluster@west',
      context: 'sim-west',
      podSubnet: '10.244.0.0/16',
      reachableAt: { step: 'sim:cluster@west', output: 'apiServerUrl' },
      realContainers: false,
    });
    expect(provided.after('west')).toEqual(['sim:cluster@west']);

    const byContext = clusterDirectory(topology(), [real, sim]);
    expect(byContext.all().map((c) => [c.cluster, c.provider, c.context, c.realContainers])).toEqual([
      ['east', undefined, 'ctx-east', true],
      ['west', undefined, 'west', true],
    ]);
    expect(byContext.of('east').reachableAt).toEqual({ kubeconfig: true });
    expect(byContext.after('east')).toEqual([]);
  });

  it('rejects two providers claiming one cluster, positioned at the second claim, one error per cluster', async () => {
    const text = [
      'apiVersion: meshspec.dev/v1alpha1',
      'kind: Topology',
      'metadata: { name: t }',
      'clusters:',
      '  east: {}',
      '  west: {}',
      'realClusters: {}',
      'simClusters: {}',
      '',
    ].join('\n');
    const error = await validateTopology({ text, file: 'topology.yaml', plugins: [real, sim] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TopologyError);
    const lines = (error as TopologyError).diagnostics.map((d) => `${d.line}:${d.column} ${d.path}: ${d.message} (${d.fix})`);
    expect(lines).toEqual([
      '8:14 simClusters: cluster east is provided by both real (realClusters) and sim (simClusters); a cluster has one provider (keep one of realClusters and simClusters)',
      '8:14 simClusters: cluster west is provided by both real (realClusters) and sim (simClusters); a cluster has one provider (keep one of realClusters and simClusters)',
    ]);
  });

  it('accepts one provider', async () => {
    const text = [
      'apiVersion: meshspec.dev/v1alpha1',
      'kind: Topology',
      'metadata: { name: t }',
      'clusters:',
      '  east: {}',
      'simClusters: {}',
      '',
    ].join('\n');
    await expect(validateTopology({ text, file: 'topology.yaml', plugins: [real, sim] })).resolves.toBeDefined();
  });
});
