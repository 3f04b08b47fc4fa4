import { describe, expect, it } from 'vitest';
import {
  allocateSubnets,
  carveRanges,
  cidrToRange,
  contains,
  findFreeSubnet,
  formatCidr,
  formatIpv4,
  formatRange,
  hasHostBits,
  networkOf,
  overlaps,
  parseCidr,
  parseIpv4,
  parseIpv4Cidr,
  parseIpv4Range,
  rangeToCidr,
} from './index.js';

const cidr = (text: string) => {
  const parsed = parseIpv4Cidr(text);
  if (!parsed) throw new Error(`bad test cidr ${text}`);
  return parsed;
};
const range = (text: string) => {
  const parsed = parseIpv4Range(text);
  if (!parsed) throw new Error(`bad test range ${text}`);
  return parsed;
};

describe('parseIpv4 / formatIpv4', () => {
  it.each([
    ['0.0.0.0', 0],
    ['10.96.0.1', 0x0a600001],
    ['255.255.255.255', 0xffffffff],
    ['172.18.255.254', 0xac12fffe],
  ])('%s ↔ %d', (text, value) => {
    expect(parseIpv4(text)).toBe(value);
    expect(formatIpv4(value)).toBe(text);
  });

  it.each(['256.0.0.1', '10.0.0', '10.0.0.0.1', '01.2.3.4', 'a.b.c.d', '', '1.2.3.-4'])('rejects %j', (text) => {
    expect(parseIpv4(text)).toBeUndefined();
  });
});

describe('parseCidr', () => {
  it.each([
    ['10.96.0.0/12', { family: 4, address: 0x0a600000, prefix: 12 }],
    ['0.0.0.0/0', { family: 4, address: 0, prefix: 0 }],
    ['fc00:f853:ccd:e793::/64', { family: 6, text: 'fc00:f853:ccd:e793::/64', prefix: 64 }],
  ])('%s', (text, expected) => {
    expect(parseCidr(text)).toEqual(expected);
  });

  it.each(['10.96.0.0', '10.96.0.0/33', '10.96.0.0/-1', '10.96.0.0/a', 'fc00::/129', 'zz::/64', '10.96.0.256/12'])('rejects %j', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  it('parseIpv4Cidr ignores IPv6', () => {
    expect(parseIpv4Cidr('fc00:f853:ccd:e793::/64')).toBeUndefined();
  });
});

describe('networkOf / hasHostBits', () => {
  it.each([
    ['10.97.0.0/12', '10.96.0.0/12', true],
    ['10.96.0.0/12', '10.96.0.0/12', false],
    ['10.245.0.0/16', '10.245.0.0/16', false],
    ['172.18.0.1/16', '172.18.0.0/16', true],
    ['192.168.1.77/32', '192.168.1.77/32', false],
    ['10.1.2.3/0', '0.0.0.0/0', true],
  ])('%s → %s (host bits: %s)', (text, network, hostBits) => {
    expect(formatCidr(networkOf(cidr(text)))).toBe(network);
    expect(hasHostBits(cidr(text))).toBe(hostBits);
  });
});

describe('ranges', () => {
  it('cidr ↔ range', () => {
    expect(formatRange(cidrToRange(cidr('10.96.0.0/12')))).toBe('10.96.0.0-10.111.255.255');
    expect(formatRange(cidrToRange(cidr('10.97.0.0/12')))).toBe('10.96.0.0-10.111.255.255');
    expect(formatCidr(rangeToCidr(range('172.18.255.0-172.18.255.255'))!)).toBe('172.18.255.0/24');
    expect(rangeToCidr(range('172.18.0.61-172.18.0.70'))).toBeUndefined();
    expect(rangeToCidr(range('172.18.0.1-172.18.0.2'))).toBeUndefined(); // right size, not aligned
  });

  it.each([
    ['172.18.0.61-172.18.0.70', '172.18.0.61-172.18.0.70'],
    ['172.18.255.0/24', '172.18.255.0-172.18.255.255'],
    ['172.18.0.5-172.18.0.5', '172.18.0.5-172.18.0.5'],
  ])('parseIpv4Range(%s)', (text, formatted) => {
    expect(formatRange(range(text))).toBe(formatted);
  });

  it.each(['172.18.0.70-172.18.0.61', '172.18.0.61', '1-2', '172.18.0.1-172.18.0.2-172.18.0.3', 'fc00::/64'])(
    'parseIpv4Range rejects %j',
    (text) => {
      expect(parseIpv4Range(text)).toBeUndefined();
    },
  );
});

describe('overlaps / contains', () => {
  it.each([
    ['10.96.0.0/12', '10.97.0.0/16', true],
    ['10.96.0.0/16', '10.97.0.0/16', false],
    ['10.244.0.0/16', '10.245.0.0/16', false],
    ['10.0.0.0/8', '10.244.0.0/16', true],
    ['172.18.0.61-172.18.0.70', '172.18.0.70-172.18.0.80', true],
    ['172.18.0.61-172.18.0.70', '172.18.0.71-172.18.0.80', false],
  ])('%s vs %s → %s (both ways)', (a, b, expected) => {
    expect(overlaps(range(a), range(b))).toBe(expected);
    expect(overlaps(range(b), range(a))).toBe(expected);
  });

  it('accepts CIDR objects as well as ranges', () => {
    expect(overlaps(cidr('10.97.0.0/12'), cidr('10.96.0.0/12'))).toBe(true);
  });

  it.each([
    ['172.18.0.0/16', '172.18.255.245-172.18.255.254', true],
    ['172.18.0.0/16', '172.17.255.250-172.18.0.5', false],
    ['10.96.0.0/12', '10.96.0.0/12', true],
    ['10.96.0.0/16', '10.96.0.0/12', false],
  ])('contains(%s, %s) → %s', (outer, inner, expected) => {
    expect(contains(range(outer), range(inner))).toBe(expected);
  });

  it('contains a single address', () => {
    expect(contains(cidr('172.18.0.0/16'), parseIpv4('172.18.0.1')!)).toBe(true);
    expect(contains(cidr('172.18.0.0/16'), parseIpv4('172.19.0.1')!)).toBe(false);
  });
});

describe('allocateSubnets', () => {
  const names = (list: ReturnType<typeof allocateSubnets>) => list.map(formatCidr);

  it('allocates consecutive /16s from the start address', () => {
    expect(names(allocateSubnets({ within: '10.0.0.0/8', startAt: '10.244.0.0', prefix: 16, count: 3 }))).toEqual([
      '10.244.0.0/16',
      '10.245.0.0/16',
      '10.246.0.0/16',
    ]);
  });

  it('skips ranges in use, including wider ones', () => {
    const avoid = [cidr('10.96.0.0/12'), cidr('10.245.0.0/16')];
    expect(names(allocateSubnets({ within: '10.0.0.0/8', startAt: '10.96.0.0', prefix: 16, count: 2, avoid }))).toEqual([
      '10.112.0.0/16',
      '10.113.0.0/16',
    ]);
    expect(names(allocateSubnets({ within: '10.0.0.0/8', startAt: '10.244.0.0', prefix: 16, count: 2, avoid }))).toEqual([
      '10.244.0.0/16',
      '10.246.0.0/16',
    ]);
  });

  it('wraps around to the pool start when the top is used up', () => {
    expect(names(allocateSubnets({ within: '10.0.0.0/8', startAt: '10.254.0.0', prefix: 16, count: 3 }))).toEqual([
      '10.254.0.0/16',
      '10.255.0.0/16',
      '10.0.0.0/16',
    ]);
  });

  it('rounds an unaligned start up to the next block', () => {
    expect(names(allocateSubnets({ within: '10.0.0.0/8', startAt: '10.97.0.0', prefix: 12, count: 1 }))).toEqual(['10.112.0.0/12']);
  });

  it('returns fewer when the pool is exhausted', () => {
    expect(allocateSubnets({ within: '10.0.0.0/15', prefix: 16, count: 3, avoid: [cidr('10.0.0.0/16')] }).map(formatCidr)).toEqual([
      '10.1.0.0/16',
    ]);
    expect(findFreeSubnet({ within: '10.0.0.0/16', prefix: 16, avoid: [cidr('10.0.0.0/24')] })).toBeUndefined();
    expect(findFreeSubnet({ within: '10.0.0.0/16', prefix: 12 })).toBeUndefined();
  });
});

describe('carveRanges', () => {
  const formatted = (list: ReturnType<typeof carveRanges>) => list.map(formatRange);

  it('carves from the top, below the broadcast address', () => {
    expect(formatted(carveRanges('172.18.0.0/16', { size: 10, count: 2 }))).toEqual([
      '172.18.255.245-172.18.255.254',
      '172.18.255.235-172.18.255.244',
    ]);
  });

  it('carves from the bottom, above the network address', () => {
    expect(formatted(carveRanges('172.18.0.0/24', { size: 10, count: 2, from: 'bottom' }))).toEqual([
      '172.18.0.1-172.18.0.10',
      '172.18.0.11-172.18.0.20',
    ]);
  });

  it('steps around addresses to avoid', () => {
    const avoid = [range('172.18.255.240-172.18.255.250'), parseIpv4('172.18.255.225')!];
    expect(formatted(carveRanges('172.18.0.0/16', { size: 5, count: 3, avoid }))).toEqual([
      '172.18.255.235-172.18.255.239',
      '172.18.255.230-172.18.255.234',
      '172.18.255.220-172.18.255.224',
    ]);
  });

  it('stays inside the given area and returns fewer when it runs out', () => {
    const area = range('172.18.0.128-172.18.0.255');
    expect(formatted(carveRanges('172.18.0.0/24', { size: 60, count: 3, area }))).toEqual([
      '172.18.0.195-172.18.0.254',
      '172.18.0.135-172.18.0.194',
    ]);
  });
});
