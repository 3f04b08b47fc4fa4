import { describe, expect, it } from 'vitest';
import type { Topology } from '@meshspec/core/plugin';
import { renderKindConfig, renderKindConfigYaml } from './render.js';
import { NODE_IMAGE_PINS } from './pins.js';
import { resolveKind } from './resolve.js';
import { DEFAULT_NODE_IMAGE, type KindClusterSpec, type KindSection } from './schema.js';

const topology = (clusters: Record<string, KindClusterSpec>, section: KindSection | undefined = {}): Topology => ({
  apiVersion: 'meshspec.dev/v1alpha1',
  kind: 'Topology',
  metadata: { name: 't' },
  clusters,
  ...(section ? { kindClusters: section } : {}),
});

describe('resolveKind', () => {
  it('gives each cluster its kind context and kind-like, distinct subnets around explicit ones', () => {
    const resolved = resolveKind(
      topology({ a: {}, b: { podSubnet: '10.245.0.0/16', serviceSubnet: '10.97.0.0/16' }, c: {}, d: { context: 'kind-d' } }),
      {},
    );
    expect(resolved.clusters).toEqual({
      a: { context: 'kind-a', podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16' },
      b: { context: 'kind-b', podSubnet: '10.245.0.0/16', serviceSubnet: '10.97.0.0/16' },
      c: { context: 'kind-c', podSubnet: '10.246.0.0/16', serviceSubnet: '10.98.0.0/16' },
      d: { context: 'kind-d', podSubnet: '10.247.0.0/16', serviceSubnet: '10.99.0.0/16' },
    });
    expect(resolved['kindClusters']).toEqual({ nodeImage: DEFAULT_NODE_IMAGE, workers: 2, network: 'kind' });
  });

  it('steps automatic subnets around an explicit range with host bits (its real network)', () => {
    const resolved = resolveKind(topology({ a: { serviceSubnet: '10.97.0.0/12' }, b: {} }), {});
    expect(resolved.clusters['b']).toMatchObject({ serviceSubnet: '10.112.0.0/16' });
  });

  it('does not mutate its input and leaves topologies without the section alone', () => {
    const input = topology({ a: {} }, undefined);
    expect(resolveKind(input, undefined)).toBe(input);
    const withSection = topology({ a: {} });
    resolveKind(withSection, {});
    expect(withSection.clusters).toEqual({ a: {} });
  });
});

describe('renderKindConfig', () => {
  // The seed's clusters, corrected (demo3 gets its own service range), with the seed's node image.
  const SEED_NODE_IMAGE = NODE_IMAGE_PINS.find((p) => p.kubernetes === '1.24')!.image;
  const seed = resolveKind(
    topology(
      {
        demo: { podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/12' },
        demo3: { podSubnet: '10.245.0.0/16', serviceSubnet: '10.112.0.0/12' },
      },
      { workers: 2 },
    ),
    { workers: 2 },
  );

  it.each(['demo', 'demo3'])('seed cluster %s', async (name) => {
    // The seed names its node image (Kubernetes 1.24), as examples/linkerd-multicluster does.
    const config = renderKindConfig(name, seed.clusters[name] as KindClusterSpec, { workers: 2, nodeImage: SEED_NODE_IMAGE });
    expect(config.nodes.map((n) => n.role)).toEqual(['control-plane', 'worker', 'worker']);
    await expect(renderKindConfigYaml(config)).toMatchFileSnapshot(`__golden__/kind-${name}.yaml`);
  });

  it('per-cluster overrides win over the section', async () => {
    const cluster: KindClusterSpec = {
      podSubnet: '10.244.0.0/16',
      serviceSubnet: '10.96.0.0/16',
      workers: 0,
      nodeImage: 'kindest/node:v1.32.2@sha256:f226345927d7e348497136874b6d207e0b32cc52154ad8323129352923a3142f',
      apiServerAddress: '192.168.1.20',
      apiServerPort: 6443,
    };
    await expect(
      renderKindConfigYaml(renderKindConfig('edge', cluster, { workers: 3, apiServerPort: 7000, registryMirror: { enabled: false } })),
    ).toMatchFileSnapshot('__golden__/kind-overrides.yaml');
  });

  it("sets containerd's registry host directory while the registry mirror is on (the default), and not when it is off", () => {
    const spec = seed.clusters['demo'] as KindClusterSpec;
    expect(renderKindConfig('demo', spec, { workers: 0 }).containerdConfigPatches).toEqual([
      '[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/etc/containerd/certs.d"\n',
    ]);
    expect(renderKindConfig('demo', spec, { workers: 0, registryMirror: { enabled: false } })).not.toHaveProperty(
      'containerdConfigPatches',
    );
  });
});
