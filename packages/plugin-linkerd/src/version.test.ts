import { describe, expect, it } from 'vitest';
import { capabilitiesOf, defaultClusterNetworks, parseLinkerdVersion } from './version.js';

describe('parseLinkerdVersion', () => {
  it.each([
    ['stable-2.13.3', { channel: 'stable', major: 2, minor: 13, patch: 3 }],
    ['stable-2.14.10', { channel: 'stable', minor: 14, patch: 10 }],
    ['enterprise-2.18.1', { channel: 'enterprise', minor: 18, patch: 1 }],
    ['version-2.18', { channel: 'version', minor: 18 }],
    ['version-2.19', { channel: 'version', minor: 19 }],
    ['version-2.20', { channel: 'version', minor: 20 }],
    // Before the first edge of 2.14 the table knows nothing: 2.13 or older.
    ['edge-23.5.1', { channel: 'edge', minor: 13, edge: { year: 23, month: 5, build: 1 } }],
    // A release's own edge is that release; an edge between two releases is a build toward the next one.
    ['edge-24.8.1', { channel: 'edge', minor: 16 }],
    ['edge-24.8.2', { channel: 'edge', minor: 16 }],
    ['edge-24.8.3', { channel: 'edge', minor: 17 }],
    ['edge-24.11.8', { channel: 'edge', minor: 17 }],
    ['edge-25.3.4', { channel: 'edge', minor: 18 }],
    ['edge-25.4.4', { channel: 'edge', minor: 18 }],
    ['edge-25.4.5', { channel: 'edge', minor: 19 }],
    ['edge-25.10.7', { channel: 'edge', minor: 19 }],
    ['edge-26.1.1', { channel: 'edge', minor: 20 }],
    ['edge-26.6.3', { channel: 'edge', minor: 20 }],
    // After the newest known release: the next one.
    ['edge-26.7.1', { channel: 'edge', minor: 21 }],
  ])('%s', (text, expected) => {
    expect(parseLinkerdVersion(text)).toMatchObject({ text, ...expected });
  });

  it.each(['2.13.3', 'stable-2.13', 'v2.18', 'edge-25.13.1', 'stable-2.13.3 ', 'version-2.18.1', 'latest'])('rejects %j', (text) => {
    expect(parseLinkerdVersion(text)).toBeUndefined();
  });
});

describe('capabilitiesOf', () => {
  const caps = (v: string) => capabilitiesOf(parseLinkerdVersion(v)!);
  it.each([
    // version            linkGen prefersHttpRoute smiRemoved installsGwApi ipv6  smi>=0.2.3
    ['stable-2.12.4', false, false, false, true, false, false],
    ['edge-22.12.1', false, false, false, true, false, false],
    ['edge-23.1.1', false, false, false, true, false, true],
    ['stable-2.13.3', false, false, false, true, false, true],
    ['stable-2.14.10', false, true, false, true, false, true],
    ['edge-24.8.2', false, true, false, true, true, true],
    ['version-2.17', false, true, false, true, true, true],
    ['edge-25.4.4', true, true, true, false, true, true],
    ['version-2.18', true, true, true, false, true, true],
    ['version-2.19', true, true, true, false, true, true],
    ['edge-26.6.3', true, true, true, false, true, true],
  ])('%s', (v, usesLinkGen, prefersHttpRoute, smiRemoved, installsGatewayApiCrds, ipv6ClusterNetworks, needsLinkerdSmi023) => {
    expect(caps(v)).toEqual({ usesLinkGen, prefersHttpRoute, smiRemoved, installsGatewayApiCrds, ipv6ClusterNetworks, needsLinkerdSmi023 });
  });

  it('adds fd00::/8 to the default clusterNetworks only where Linkerd does', () => {
    expect(defaultClusterNetworks(caps('stable-2.13.3'))).toEqual(['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16']);
    expect(defaultClusterNetworks(caps('version-2.18')).at(-1)).toBe('fd00::/8');
  });
});
