import { describe, expect, it } from 'vitest';
import { EDGE_OF_RELEASE } from './version.js';
import { KUBERNETES_SUPPORT, kubernetesRangeOf, linkerdLinesSupporting } from './kubernetes-support.js';

describe('Kubernetes support of Linkerd releases', () => {
  it.each([
    [20, 31, 35],
    [19, 22, 35],
    [18, 22, 32],
    [13, 21, 28],
  ])('Linkerd 2.%i supports Kubernetes 1.%i-1.%i', (linkerd, min, max) => {
    expect(kubernetesRangeOf(linkerd)).toMatchObject({ min, max });
  });

  it('knows every release line of the version table, each with a source', () => {
    for (const { minor } of EDGE_OF_RELEASE) expect(kubernetesRangeOf(minor), `2.${minor}`).toBeDefined();
    for (const range of KUBERNETES_SUPPORT) expect(range.source).toMatch(/linkerd/i);
  });

  it("no Linkerd line supports Kubernetes 1.37 (kind v0.33's default)", () => {
    expect(linkerdLinesSupporting(37)).toEqual([]);
    expect(linkerdLinesSupporting(35)).toEqual([20, 19]);
  });
});
