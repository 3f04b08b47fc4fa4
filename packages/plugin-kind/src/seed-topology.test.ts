// The seed procedure's topology through core's real pipeline (YAML, composed schema, resolve, validate).
import { describe, expect, it } from 'vitest';
import { TopologyError, validateTopology } from '@meshspec/core/testing';
import { metallbPlugin } from '@meshspec/plugin-metallb';
import { kindPlugin } from './plugin.js';
import { seedTopology } from './__fixtures__/seed.js';

const seed = seedTopology;

describe('the seed topology', () => {
  it('fails with the host-bits error and the collision with demo, at demo3.serviceSubnet', async () => {
    const error = await validateTopology({ text: seed('10.97.0.0/12'), file: 'topology.yaml', plugins: [kindPlugin, metallbPlugin] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TopologyError);
    expect(
      (error as TopologyError).diagnostics.map((d) => `${d.file}:${d.line}:${d.column} [${d.source}] ${d.message} | ${d.fix}`),
    ).toEqual([
      'topology.yaml:10:20 [kind] 10.97.0.0/12 has host bits set; its network is 10.96.0.0/12 | use a free range of the same size instead, e.g. serviceSubnet: 10.112.0.0/12',
      'topology.yaml:10:20 [kind] serviceSubnet 10.97.0.0/12 (network 10.96.0.0/12) of cluster demo3 overlaps serviceSubnet 10.96.0.0/12 of cluster demo; clusters must not share pod or service ranges | use a free /12 such as serviceSubnet: 10.128.0.0/12',
    ]);
  });

  it('resolves once corrected: kind contexts, defaults filled in', async () => {
    const { topology } = await validateTopology({
      text: seed('10.112.0.0/12'),
      file: 'topology.yaml',
      plugins: [kindPlugin, metallbPlugin],
    });
    expect(topology.clusters['demo3']).toMatchObject({ context: 'kind-demo3', serviceSubnet: '10.112.0.0/12' });
    expect(topology['kindClusters']).toMatchObject({ workers: 2, network: 'kind' });
    expect(topology['metallb']).toMatchObject({ chartVersion: '0.14.9', namespace: 'metallb-system', poolSize: 10 });
  });

  it('rejects a node image without a digest, via the schema', async () => {
    const text = seed('10.112.0.0/12').replace(/@sha256:[0-9a-f]+/, '');
    const error = (await validateTopology({ text, file: 't.yaml', plugins: [kindPlugin, metallbPlugin] }).catch(
      (e: unknown) => e,
    )) as TopologyError;
    expect(error.diagnostics.map((d) => d.path)).toEqual(['kindClusters.nodeImage']);
  });
});
