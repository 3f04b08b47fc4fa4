// The split API and the linkerd-smi floor come from plugin-linkerd's facts: the same version names as
// before, now answered by Linkerd's own table (no second copy here).
import { factsOf } from '@meshspec/core/testing';
import { linkerdPlugin } from '@meshspec/plugin-linkerd';
import { describe, expect, it } from 'vitest';
import { isOlderExtension, needsSmi023, splitApiOf } from './split-api.js';

const linkerdAt = (version: string) =>
  factsOf(linkerdPlugin, {
    apiVersion: 'meshspec.dev/v1alpha1',
    kind: 'Topology',
    metadata: { name: 't' },
    clusters: { east: {}, west: {} },
    linkerd: { version },
  });

describe('splitApiOf (from linkerd facts)', () => {
  it.each([
    ['stable-2.13.3', 'trafficsplit'],
    ['stable-2.14.10', 'trafficsplit'],
    ['version-2.17', 'trafficsplit'],
    ['edge-24.11.8', 'trafficsplit'],
    ['edge-23.4.1', 'trafficsplit'],
    ['version-2.18', 'httproute'],
    ['enterprise-2.18.2', 'httproute'],
    ['edge-25.4.4', 'httproute'],
    ['edge-25.10.7', 'httproute'],
    // A 2.18 pre-release edge and Linkerd 2.20, as Linkerd's table places them.
    ['edge-25.3.4', 'httproute'],
    ['edge-26.6.3', 'httproute'],
    ['version-2.20', 'httproute'],
    // Not Linkerd release names (linkerd's validate rejects them): treated as current Linkerd.
    ['2.19.0', 'httproute'],
    ['something-else', 'httproute'],
  ])('%s → %s', (version, api) => {
    expect(splitApiOf(linkerdAt(version))).toBe(api);
  });

  it('is HTTPRoute for the default Linkerd (no version written)', () => {
    const facts = factsOf(linkerdPlugin, {
      apiVersion: 'meshspec.dev/v1alpha1',
      kind: 'Topology',
      metadata: { name: 't' },
      clusters: { a: {} },
      linkerd: {},
    });
    expect(splitApiOf(facts)).toBe('httproute');
  });
});

describe('needsSmi023 (from linkerd facts)', () => {
  it.each([
    ['stable-2.12.4', false],
    ['stable-2.13.3', true],
    ['edge-22.12.1', false],
    ['edge-23.1.1', true],
  ])('%s → %s', (version, expected) => expect(needsSmi023(linkerdAt(version))).toBe(expected));
});

describe('isOlderExtension', () => {
  it.each([
    ['v0.2.2', 'v0.2.3', true],
    ['v0.2.3', 'v0.2.3', false],
    ['v0.10.0', 'v0.2.3', false],
  ])('%s < %s: %s', (a, b, expected) => expect(isOlderExtension(a, b)).toBe(expected));
});
