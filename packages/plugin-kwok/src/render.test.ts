import { describe, expect, it } from 'vitest';
import { kwokctlCreateArgs, renderKwokctlConfig, renderKwokctlConfigYaml, renderSimulatedNodes } from './render.js';
import { withDefaults } from './schema.js';

const controller = { node: '/usr/bin/node', script: '/opt/meshspec/plugin-kwok/dist/lb-controller.js' };

describe('kwok renderings', () => {
  it('kwokctl config: control plane on loopback at the topology version, the load-balancer controller as a component', async () => {
    const config = renderKwokctlConfig(
      'east',
      withDefaults({ kubernetesVersion: 'v1.32.13' }),
      '198.51.100.1-198.51.100.4',
      '/state/kwok',
      controller,
    );
    await expect(renderKwokctlConfigYaml(config)).toMatchFileSnapshot('__golden__/kwokctl-east.yaml');
  });

  it('create argv: binary runtime, the service subnet and a non-loopback advertise address per cluster', () => {
    expect(kwokctlCreateArgs('west', { serviceSubnet: '10.97.0.0/16' }, 1, '/state/kwok/west.yaml')).toEqual([
      'create',
      'cluster',
      '--name',
      'west',
      '--runtime',
      'binary',
      '--config',
      '/state/kwok/west.yaml',
      '--extra-args',
      'kube-apiserver=service-cluster-ip-range=10.97.0.0/16',
      '--extra-args',
      'kube-apiserver=advertise-address=192.0.2.2',
      '--wait',
      '120s',
    ]);
  });

  it.each([
    {
      name: 'a /24 of the pod subnet per node, in order',
      podSubnet: '10.245.0.0/16',
      count: 3,
      cidrs: ['10.245.0.0/24', '10.245.1.0/24', '10.245.2.0/24'],
    },
    { name: 'no pod CIDR when the subnet is narrower than a /24', podSubnet: '10.245.0.0/25', count: 1, cidrs: [undefined] },
  ])('simulated nodes: $name', ({ podSubnet, count, cidrs }) => {
    const nodes = renderSimulatedNodes({ podSubnet }, count);
    expect(nodes.map((n) => n.metadata.name)).toEqual(Array.from({ length: count }, (_, i) => `kwok-node-${i}`));
    expect(nodes.map((n) => (n['spec'] as { podCIDR?: string }).podCIDR)).toEqual(cidrs);
    for (const node of nodes) expect(node.metadata.annotations).toMatchObject({ 'kwok.x-k8s.io/node': 'fake' });
  });

  it('simulated nodes golden', async () => {
    await expect(renderKwokctlConfigYaml({ items: renderSimulatedNodes({ podSubnet: '10.244.0.0/16' }, 2) })).toMatchFileSnapshot(
      '__golden__/nodes-east.yaml',
    );
  });
});
