import { describe, expect, it } from 'vitest';
import type { Topology } from '@meshspec/core/plugin';
import { yamlValidateContext } from '@meshspec/core/testing';
import { resolveKind } from './resolve.js';
import type { KindSection } from './schema.js';
import { validateKind } from './validate.js';
import { seedTopology } from './__fixtures__/seed.js';

/** Resolve (defaults) then validate, the order the engine uses. */
function check(text: string) {
  const { ctx, topology } = yamlValidateContext(text);
  const section = topology['kindClusters'] as KindSection | undefined;
  const resolved = resolveKind(topology, section);
  return validateKind(resolved, section, ctx).map((d) => ({
    at: `${d.line}:${d.column}`,
    path: d.path,
    message: d.message,
    fix: d.fix,
    source: d.source,
  }));
}

const SEED = seedTopology();

describe('validateKind', () => {
  it("reports the seed's host bits AND the collision with demo, positioned at demo3.serviceSubnet", () => {
    expect(check(SEED)).toEqual([
      {
        at: '10:20',
        path: 'clusters.demo3.serviceSubnet',
        message: '10.97.0.0/12 has host bits set; its network is 10.96.0.0/12',
        fix: 'use a free range of the same size instead, e.g. serviceSubnet: 10.112.0.0/12',
        source: 'kind',
      },
      {
        at: '10:20',
        path: 'clusters.demo3.serviceSubnet',
        message:
          'serviceSubnet 10.97.0.0/12 (network 10.96.0.0/12) of cluster demo3 overlaps serviceSubnet 10.96.0.0/12 of cluster demo; clusters must not share pod or service ranges',
        // Not the range proposed just above: two fixes must not collide with each other.
        fix: 'use a free /12 such as serviceSubnet: 10.128.0.0/12',
        source: 'kind',
      },
    ]);
  });

  it('suggests the network itself when host bits are the only problem', () => {
    expect(check(`clusters:\n  demo: { serviceSubnet: 10.97.0.0/16 }\nkindClusters: {}\n`)).toEqual([]);
    const hostBits = check(`clusters:\n  demo: { serviceSubnet: 10.97.1.0/16 }\nkindClusters: {}\n`);
    expect(hostBits).toEqual([
      {
        at: '2:26',
        path: 'clusters.demo.serviceSubnet',
        message: '10.97.1.0/16 has host bits set; its network is 10.97.0.0/16',
        fix: 'write serviceSubnet: 10.97.0.0/16',
        source: 'kind',
      },
    ]);
  });

  it.each([
    [
      'pod vs pod',
      'a: { podSubnet: 10.244.0.0/16 }\n  b: { podSubnet: 10.244.0.0/15 }',
      'clusters.b.podSubnet',
      'podSubnet 10.244.0.0/15 of cluster b overlaps podSubnet 10.244.0.0/16 of cluster a',
      'podSubnet: 10.246.0.0/15',
    ],
    [
      'pod vs svc across clusters',
      'a: { serviceSubnet: 10.244.0.0/16 }\n  b: { podSubnet: 10.244.0.0/16 }',
      'clusters.b.podSubnet',
      'podSubnet 10.244.0.0/16 of cluster b overlaps serviceSubnet 10.244.0.0/16 of cluster a',
      'podSubnet: 10.246.0.0/16',
    ],
    [
      'pod vs svc in one cluster',
      'a: { podSubnet: 10.96.0.0/16, serviceSubnet: 10.96.0.0/16 }',
      'clusters.a.serviceSubnet',
      'serviceSubnet 10.96.0.0/16 of cluster a overlaps its own podSubnet 10.96.0.0/16',
      'serviceSubnet: 10.97.0.0/16',
    ],
  ])('%s: error on the later one, naming both, proposing a free range of the same size', (_, clusters, path, message, fix) => {
    const diagnostics = check(`clusters:\n  ${clusters}\nkindClusters: {}\n`);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ path, source: 'kind' });
    expect(diagnostics[0]!.message).toContain(message);
    expect(diagnostics[0]!.fix).toContain(fix);
  });

  it.each([
    ['podSubnet: banana', 'clusters.a.podSubnet', 'podSubnet "banana" is not an IPv4 CIDR (a.b.c.d/n)', '2:19'],
    ['podSubnet: fd00:10:244::/56', 'clusters.a.podSubnet', 'podSubnet fd00:10:244::/56 is IPv6', '2:19'],
    ['serviceSubnet: 172.0.0.0/11', 'clusters.a.serviceSubnet', 'serviceSubnet 172.0.0.0/11 is larger than /12', '2:23'],
    ['context: prod', 'clusters.a.context', 'kind names the kube context of cluster a "kind-a", not "prod"', '2:17'],
  ])('%s', (keys, path, message, at) => {
    const diagnostics = check(`clusters:\n  a: { ${keys} }\nkindClusters: {}\n`);
    expect(diagnostics.map((d) => d.path)).toEqual([path]);
    expect(diagnostics[0]!.message).toContain(message);
    expect(diagnostics[0]!.fix).toBeTruthy();
    expect(diagnostics[0]!.at).toBe(at);
  });

  it('reports two clusters on the same API server host port', () => {
    const diagnostics = check(`clusters:\n  a: { apiServerPort: 6443 }\n  b: { apiServerPort: 6443 }\nkindClusters: {}\n`);
    expect(diagnostics).toMatchObject([
      { path: 'clusters.b.apiServerPort', at: '3:23', message: 'cluster b would listen on 127.0.0.1:6443, which cluster a already uses' },
    ]);
  });

  it('accepts automatic subnets for many clusters next to explicit ones', () => {
    expect(
      check(`clusters:\n  a: {}\n  b: { podSubnet: 10.245.0.0/16, serviceSubnet: 10.97.0.0/16 }\n  c: {}\n  d: {}\nkindClusters: {}\n`),
    ).toEqual([]);
  });

  it('reports a cluster left without a subnet when explicit ones take all of 10.0.0.0/8', () => {
    expect(check(`clusters:\n  a: { serviceSubnet: 10.0.0.0/12, podSubnet: 10.16.0.0/4 }\n  b: {}\nkindClusters: {}\n`)).toContainEqual(
      expect.objectContaining({
        path: 'clusters.b',
        at: '3:6',
        message: 'cluster b has no podSubnet and no free /16 is left in 10.0.0.0/8',
      }),
    );
  });

  it('does nothing when the topology has no kindClusters section', () => {
    const { ctx, topology } = yamlValidateContext(`clusters:\n  a: { podSubnet: banana }\n`);
    expect(validateKind(topology, undefined, ctx)).toEqual([]);
  });
});
