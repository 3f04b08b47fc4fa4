import { describe, expect, it } from 'vitest';
import { yamlValidateContext } from '@meshspec/core/testing';
import type { MetallbSection } from './schema.js';
import { metallbPlugin } from './plugin.js';

// Through the plugin, with the engine's ctx.facts (checks metallb declares kind).
const validateMetallb = metallbPlugin.validate!;

function check(metallb: string, kind = 'kindClusters: {}\n') {
  const { ctx, topology } = yamlValidateContext(
    `clusters:\n  demo: {}\n  demo3: {}\n${kind}metallb:\n${metallb}`,
    'topology.yaml',
    metallbPlugin,
  );
  return validateMetallb(topology, topology['metallb'] as MetallbSection, ctx).map((d) => ({
    at: `${d.line}:${d.column}`,
    path: d.path,
    message: d.message,
    fix: d.fix,
    source: d.source,
  }));
}

describe('validateMetallb', () => {
  it("accepts the seed's explicit, disjoint pools", () => {
    expect(check(`  pools: { demo: 172.17.0.61-172.17.0.70, demo3: 172.17.0.71-172.17.0.80 }\n  dockerSubnet: 172.17.0.0/16\n`)).toEqual(
      [],
    );
  });

  it('reports overlapping pools on the later cluster, naming both and proposing a free range of the same size', () => {
    expect(check(`  pools:\n    demo: 172.17.0.61-172.17.0.70\n    demo3: 172.17.0.70-172.17.0.79\n`)).toEqual([
      {
        at: '8:12',
        path: 'metallb.pools.demo3',
        message:
          'pool 172.17.0.70-172.17.0.79 of cluster demo3 overlaps pool 172.17.0.61-172.17.0.70 of cluster demo; two clusters must never announce the same address',
        fix: 'use a free range such as demo3: 172.17.0.71-172.17.0.80',
        source: 'metallb',
      },
    ]);
  });

  it('with a docker subnet, proposes free ranges inside it and reports pools outside it', () => {
    const diagnostics = check(`  dockerSubnet: 172.18.0.0/16\n  pools:\n    demo: 172.17.0.61-172.17.0.70\n    demo3: 172.18.0.64/28\n`);
    expect(diagnostics).toEqual([
      {
        at: '8:11',
        path: 'metallb.pools.demo',
        message:
          'pool 172.17.0.61-172.17.0.70 of cluster demo is outside the docker network 172.18.0.0/16; its addresses would not be reachable',
        fix: 'use a range inside 172.18.0.0/16, e.g. demo: 172.18.255.245-172.18.255.254',
        source: 'metallb',
      },
    ]);
  });

  it.each([
    [
      'a pool for an unknown cluster',
      `  pools: { demo2: 172.18.0.1-172.18.0.2 }\n`,
      'metallb.pools.demo2',
      'metallb pool for demo2, which is not a cluster of this topology',
      'remove it or rename it to one of: demo, demo3',
    ],
    [
      'an unparsable pool',
      `  pools: { demo: 172.18.0.9-172.18.0.1 }\n`,
      'metallb.pools.demo',
      'pool "172.18.0.9-172.18.0.1" of cluster demo is not an address range (a.b.c.d-a.b.c.e) or IPv4 CIDR',
      'write a range such as 172.18.255.200-172.18.255.209',
    ],
    [
      'a CIDR pool with host bits',
      `  pools: { demo: 172.18.0.65/28 }\n`,
      'metallb.pools.demo',
      '172.18.0.65/28 has host bits set; its network is 172.18.0.64/28',
      'write demo: 172.18.0.64/28, or a range a.b.c.d-a.b.c.e',
    ],
    [
      'an IPv6 docker subnet',
      `  dockerSubnet: fc00:f853:ccd:e793::/64\n`,
      'metallb.dockerSubnet',
      'dockerSubnet "fc00:f853:ccd:e793::/64" is not an IPv4 CIDR',
      'write the IPv4 subnet shown by `docker network inspect kind`, e.g. 172.18.0.0/16',
    ],
    [
      'automatic pools too big for the docker subnet',
      `  dockerSubnet: 172.18.0.0/24\n  poolSize: 100\n`,
      'metallb.poolSize',
      'the upper half of 172.18.0.0/24 has no room for 2 pools of 100 addresses',
      'lower poolSize, or give some clusters explicit pools',
    ],
  ])('reports %s', (_, yaml, path, message, fix) => {
    expect(check(yaml)).toMatchObject([{ path, message, fix, source: 'metallb' }]);
  });

  it('points at the metallb: key (where the engine positions block maps) and needs explicit pools or a docker subnet when there is no kindClusters section to read the network from', () => {
    expect(check(`  pools: { demo: 172.18.0.1-172.18.0.10 }\n`, '')).toMatchObject([
      {
        path: 'metallb',
        at: '4:1',
        message: 'clusters demo3 need an automatic pool, carved from the kind docker network, but the topology has no kindClusters section',
      },
    ]);
    expect(check(`  pools: { demo: 172.18.0.1-172.18.0.10, demo3: 172.18.0.11-172.18.0.20 }\n`, '')).toEqual([]);
    expect(check(`  dockerSubnet: 172.18.0.0/16\n`, '')).toEqual([]);
  });

  it('does nothing without a metallb section', () => {
    const { ctx, topology } = yamlValidateContext(`clusters:\n  demo: {}\n`, 'topology.yaml', metallbPlugin);
    expect(validateMetallb(topology, undefined, ctx)).toEqual([]);
  });
});
