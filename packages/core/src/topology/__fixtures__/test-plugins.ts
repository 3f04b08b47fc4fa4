// Small plugins standing in for kind and linkerd in topology tests: just enough schema and checks.
import { definePlugin } from '../../plugin/define.js';
import type { ClusterSpec } from '../../plugin/types.js';

interface KindSection {
  workers?: number;
  nodeImage?: string;
}

/** Network address of an IPv4 CIDR, or undefined when host bits are clear. */
function hostBitsNetwork(cidr: string): string | undefined {
  const [address, bitsText] = cidr.split('/');
  const bits = Number(bitsText);
  const value = address!.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - bits);
  const network = value - (value % size);
  if (network === value) return undefined;
  return `${[24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.')}/${bits}`;
}

export const kindLike = definePlugin<KindSection>({
  name: 'kind',
  // `kind` itself is taken by `kind: Topology`, hence the real kind plugin's key too.
  key: 'kindClusters',
  schema: {
    description: 'Clusters as kind clusters.',
    type: 'object',
    additionalProperties: false,
    properties: {
      workers: { description: 'Worker nodes per cluster.', type: 'integer', minimum: 0, default: 2 },
      nodeImage: { description: 'kindest/node image.', type: 'string' },
    },
  },
  // podSubnet/serviceSubnet are core cluster keys (every provider uses them); this adds one of its own.
  clusterSchema: {
    workers: { description: 'Worker nodes.', type: 'integer' },
  },
  resolve(topology) {
    const clusters: Record<string, ClusterSpec> = {};
    for (const [name, cluster] of Object.entries(topology.clusters)) clusters[name] = { context: `kind-${name}`, ...cluster };
    return { ...topology, clusters };
  },
  validate(topology, _section, ctx) {
    return Object.entries(topology.clusters).flatMap(([name, cluster]) => {
      const subnet = cluster.serviceSubnet;
      const network = subnet === undefined ? undefined : hostBitsNetwork(subnet);
      return network === undefined
        ? []
        : [ctx.diagnostic(['clusters', name, 'serviceSubnet'], `${subnet} has host bits set; its network is ${network}`, `write ${network}`)];
    });
  },
  steps: () => [],
});

export const linkerdLike = definePlugin({
  name: 'linkerd',
  dependsOn: ['kind'],
  schema: {
    description: 'Linkerd on every cluster.',
    type: 'object',
    additionalProperties: false,
    properties: {
      version: { description: 'Linkerd release.', type: 'string', default: 'stable-2.13.3' },
      links: {
        description: 'Which clusters link to which.',
        anyOf: [
          { description: 'Every cluster links to every other.', const: 'full-mesh' },
          {
            description: 'Explicit links.',
            type: 'array',
            items: {
              description: 'One link.',
              type: 'object',
              required: ['from', 'to'],
              additionalProperties: false,
              properties: { from: { description: 'Source cluster.', type: 'string' }, to: { description: 'Target cluster.', type: 'string' } },
            },
          },
        ],
      },
      export: {
        description: 'Services mirrored to the other clusters.',
        type: 'array',
        items: {
          description: 'One exported service.',
          type: 'object',
          required: ['namespace', 'service'],
          additionalProperties: false,
          properties: {
            namespace: { description: 'Namespace of the service.', type: 'string' },
            service: { description: 'Name of the service.', type: 'string' },
          },
        },
      },
      proxy: { description: 'Proxy log level.', enum: ['info', 'debug', 'warn'] },
    },
  },
  steps: () => [],
});

/** A plugin whose validate crashes, to check that a broken plugin cannot crash validation. */
export const crashingPlugin = definePlugin({
  name: 'crashy',
  schema: { description: 'Crashes.', type: 'object' },
  validate() {
    throw new Error('boom');
  },
  steps: () => [],
});
