import { describe, expect, it } from 'vitest';
import { needsSmi023, parseLinkerdVersion, splitApiFor } from './linkerd-version.js';

describe('splitApiFor', () => {
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
    ['2.19.0', 'httproute'],
    ['something-else', 'httproute'],
  ])('%s → %s', (version, api) => {
    expect(splitApiFor(version)).toBe(api);
  });
});

describe('parseLinkerdVersion', () => {
  it('reads the minor of named and recent edge releases', () => {
    expect(parseLinkerdVersion('stable-2.13.3')).toEqual({ minor: 13 });
    expect(parseLinkerdVersion('edge-24.8.2')).toEqual({ minor: 16, edge: [24, 8, 2] });
    expect(parseLinkerdVersion('edge-24.8.1')).toEqual({ edge: [24, 8, 1] });
    expect(parseLinkerdVersion('latest')).toBeUndefined();
  });
});

describe('needsSmi023', () => {
  it.each([
    ['stable-2.12.4', false],
    ['stable-2.13.3', true],
    ['edge-22.12.1', false],
    ['edge-23.1.1', true],
  ])('%s → %s', (version, expected) => expect(needsSmi023(version)).toBe(expected));
});
