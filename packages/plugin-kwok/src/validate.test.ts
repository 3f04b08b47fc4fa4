import { describe, expect, it } from 'vitest';
import { TopologyError, validateTopology } from '@meshspec/core/testing';
import { kwokPlugin } from './plugin.js';

const text = (clusters: string, section: string) =>
  [
    'apiVersion: meshspec.dev/v1alpha1',
    'kind: Topology',
    'metadata: { name: t }',
    'clusters:',
    clusters,
    'kwokClusters:',
    section,
    '',
  ].join('\n');

async function problems(t: string): Promise<string[]> {
  const error = await validateTopology({ text: t, file: 'topology.yaml', plugins: [kwokPlugin] }).catch((e: unknown) => e);
  if (!(error instanceof TopologyError)) return [];
  return error.diagnostics.map((d) => `${d.line}:${d.column} ${d.path}: ${d.message} (${d.fix})`);
}

describe('kwokClusters validation', () => {
  it('resolves contexts kwok-<name>, distinct /16 subnets and a pool per cluster', async () => {
    const { topology } = await validateTopology({
      text: text('  east: {}\n  west: {}', '  nodes: 2'),
      file: 'topology.yaml',
      plugins: [kwokPlugin],
    });
    expect(topology.clusters).toEqual({
      east: { context: 'kwok-east', podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16' },
      west: { context: 'kwok-west', podSubnet: '10.245.0.0/16', serviceSubnet: '10.97.0.0/16' },
    });
  });

  it.each([
    {
      name: 'a context kwokctl will not name so',
      clusters: '  east: { context: my-east }',
      section: '  nodes: 1',
      expected: [
        '5:20 clusters.east.context: kwokctl names the kube context of cluster east "kwok-east", not "my-east" (remove context or write context: kwok-east)',
      ],
    },
    {
      name: "two clusters sharing a pod subnet (core's rule, with kwok in the message)",
      clusters: '  east: { podSubnet: 10.244.0.0/16 }\n  west: { podSubnet: 10.244.0.0/16 }',
      section: '  nodes: 1',
      expected: [
        '6:22 clusters.west.podSubnet: podSubnet 10.244.0.0/16 of cluster west overlaps podSubnet 10.244.0.0/16 of cluster east; clusters must not share pod or service ranges (use a free /16 such as podSubnet: 10.245.0.0/16)',
      ],
    },
    {
      name: "a load-balancer range too small for every cluster's pool",
      clusters: '  east: {}\n  west: {}\n  north: {}',
      section: '  loadBalancerRange: 198.51.100.0/29\n  loadBalancerPoolSize: 4',
      expected: [
        '9:22 kwokClusters.loadBalancerRange: loadBalancerRange 198.51.100.0/29 holds no simulated load-balancer pool for west, north: 3 clusters × 4 addresses need 12 (use a larger range (a /28 or wider), or lower loadBalancerPoolSize)',
      ],
    },
    {
      name: 'a load-balancer range with host bits',
      clusters: '  east: {}',
      section: '  loadBalancerRange: 198.51.100.7/24',
      expected: [
        '7:22 kwokClusters.loadBalancerRange: loadBalancerRange 198.51.100.7/24 has host bits set (write the network address, e.g. 198.51.100.0/24)',
      ],
    },
  ])('rejects $name, positioned', async ({ clusters, section, expected }) => {
    expect(await problems(text(clusters, section))).toEqual(expected);
  });
});
