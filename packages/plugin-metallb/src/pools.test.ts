import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatRange } from '@meshspec/core/plugin';
import { planPools, suggestFreeRange } from './pools.js';
import { renderPoolObjects } from './render.js';
import { withDefaults } from './schema.js';

const ranges = (pools: ReturnType<typeof planPools>) =>
  Object.fromEntries(pools.map((p) => [p.cluster, `${formatRange(p.range)}${p.explicit ? ' (explicit)' : ''}`]));
const KIND_NETWORK = { subnet: '172.18.0.0/16', gateway: '172.18.0.1' };

describe('planPools', () => {
  it("carves the seed's two clusters disjoint pools from the top of the kind network", () => {
    expect(ranges(planPools(['demo', 'demo3'], withDefaults({}), KIND_NETWORK))).toEqual({
      demo: '172.18.255.245-172.18.255.254',
      demo3: '172.18.255.235-172.18.255.244',
    });
  });

  it('is deterministic by cluster order and honours poolSize', () => {
    expect(ranges(planPools(['a', 'b', 'c'], withDefaults({ poolSize: 4 }), { subnet: '172.19.0.0/24' }))).toEqual({
      a: '172.19.0.251-172.19.0.254',
      b: '172.19.0.247-172.19.0.250',
      c: '172.19.0.243-172.19.0.246',
    });
  });

  it('keeps explicit pools and carves around them (and around the gateway)', () => {
    const section = withDefaults({ pools: { b: '172.18.255.240-172.18.255.254' } });
    expect(ranges(planPools(['a', 'b', 'c'], section, { subnet: '172.18.0.0/24', gateway: '172.18.0.250' }))).toEqual({
      a: '172.18.0.240-172.18.0.249',
      b: '172.18.255.240-172.18.255.254 (explicit)',
      c: '172.18.0.230-172.18.0.239',
    });
  });

  it('needs no network when every pool is explicit', () => {
    expect(
      ranges(planPools(['demo', 'demo3'], withDefaults({ pools: { demo: '172.17.0.61-172.17.0.70', demo3: '172.17.0.64/28' } }))),
    ).toEqual({
      demo: '172.17.0.61-172.17.0.70 (explicit)',
      demo3: '172.17.0.64-172.17.0.79 (explicit)',
    });
  });

  it.each([
    ['no subnet for automatic pools', withDefaults({}), undefined, /need the docker network's IPv4 subnet/],
    ['an IPv6 subnet', withDefaults({}), { subnet: 'fc00:f853:ccd:e793::/64' }, /need the docker network's IPv4 subnet/],
    [
      'pools that do not fit the upper half',
      withDefaults({ poolSize: 100 }),
      { subnet: '172.18.0.0/24' },
      /upper half of 172.18.0.0\/24 has no room for 2 pools of 100 addresses/,
    ],
  ])('throws on %s', (_, section, network, message) => {
    expect(() => planPools(['a', 'b'], section, network)).toThrow(message);
  });

  it('golden: pool objects of the seed clusters on 172.18.0.0/16', async () => {
    const docs = planPools(['demo', 'demo3'], withDefaults({}), KIND_NETWORK).map(
      (p) =>
        `# cluster ${p.cluster}\n${renderPoolObjects(p.range, 'metallb-system')
          .map((o) => stringify(o))
          .join('---\n')}`,
    );
    await expect(docs.join('---\n')).toMatchFileSnapshot('__golden__/pools-seed.yaml');
  });
});

describe('suggestFreeRange', () => {
  it('carves inside a known subnet, otherwise proposes the addresses just past everything taken', () => {
    const taken = [{ start: 0xac1100c8, end: 0xac1100d1 }]; // 172.17.0.200-209
    expect(suggestFreeRange(10, taken, { family: 4, address: 0xac110000, prefix: 24 })).toBe('172.17.0.245-172.17.0.254');
    expect(suggestFreeRange(10, taken)).toBe('172.17.0.210-172.17.0.219');
  });
});
