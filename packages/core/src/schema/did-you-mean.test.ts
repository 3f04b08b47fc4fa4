import { describe, expect, it } from 'vitest';
import { didYouMean, levenshtein } from './did-you-mean.js';

describe('levenshtein', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['workres', 'workers', 2],
    ['linkrd', 'linkerd', 1],
  ])('%s -> %s = %i', (a, b, distance) => {
    expect(levenshtein(a, b)).toBe(distance);
    expect(levenshtein(b, a)).toBe(distance);
  });
});

describe('didYouMean', () => {
  const keys = ['apiVersion', 'kind', 'metadata', 'clusters', 'linkerd', 'metallb', 'workloads'];
  it.each([
    ['linkrd', 'linkerd'],
    ['ApiVersion', 'apiVersion'],
    ['metdata', 'metadata'],
    ['cluster', 'clusters'],
    ['workload', 'workloads'],
    ['flux', undefined],
    ['x', undefined],
  ])('%s -> %s', (word, expected) => {
    expect(didYouMean(word, keys)).toBe(expected);
  });
});
