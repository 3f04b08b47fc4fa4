import { describe, expect, it } from 'vitest';
import { needsSmi023, splitApiFor } from './linkerd-version.js';

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
    // Read through plugin-linkerd's table: a 2.18 pre-release edge and Linkerd 2.20.
    ['edge-25.3.4', 'httproute'],
    ['edge-26.6.3', 'httproute'],
    ['version-2.20', 'httproute'],
    ['2.19.0', 'httproute'],
    ['something-else', 'httproute'],
  ])('%s → %s', (version, api) => {
    expect(splitApiFor(version)).toBe(api);
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
