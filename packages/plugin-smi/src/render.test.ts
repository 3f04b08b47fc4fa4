import { type Topology } from '@meshspec/core/plugin';
import { factsOf } from '@meshspec/core/testing';
import { linkerdPlugin } from '@meshspec/plugin-linkerd';
import { describe, expect, it } from 'vitest';
import { backendsFor as backendsWith, equalWeights, renderHttpRoute, renderTrafficSplit } from './render.js';

const topology = (clusters: string[], exported = true): Topology => ({
  apiVersion: 'meshspec.dev/v1alpha1',
  kind: 'Topology',
  metadata: { name: 't' },
  clusters: Object.fromEntries(clusters.map((c) => [c, {}])),
  linkerd: { version: 'stable-2.13.3', export: exported ? [{ namespace: 'test', service: 'podinfo' }] : [] },
});
const split = { namespace: 'test', service: 'podinfo' };
/** Backends with Linkerd's facts for `t` (links, exports, mirror names), as the plugin gets them. */
const backendsFor = (s: Parameters<typeof backendsWith>[0], cluster: string, t: Topology) =>
  backendsWith(s, cluster, Object.keys(t.clusters), factsOf(linkerdPlugin, t));
const json = (o: unknown) => JSON.stringify(o, null, 2) + '\n';

describe('equalWeights', () => {
  it.each([
    [1, [100]],
    [2, [50, 50]],
    [3, [34, 33, 33]],
    [6, [17, 17, 17, 17, 16, 16]],
  ])('%i backends → %j (sums to 100)', (n, expected) => {
    expect(equalWeights(n)).toEqual(expected);
    expect(equalWeights(n).reduce((a, b) => a + b, 0)).toBe(100);
  });
});

describe('backendsFor', () => {
  it.each([
    { name: 'multicluster.enabled: false (no links at all)', linkerd: { multicluster: { enabled: false } } },
    { name: 'links: none', linkerd: { links: 'none' } },
  ])('renders no mirror backend with $name, even for an exported service', ({ linkerd }) => {
    const t = topology(['a', 'b']);
    const off = { ...t, linkerd: { ...(t['linkerd'] as object), ...linkerd } };
    expect(backendsFor(split, 'a', off)).toEqual([{ service: 'podinfo', weight: 100 }]);
  });

  it('defaults to the local service plus one mirror per exporting cluster', () => {
    expect(backendsFor(split, 'b', topology(['a', 'b', 'c']))).toEqual([
      { service: 'podinfo', weight: 34 },
      { service: 'podinfo-a', weight: 33 },
      { service: 'podinfo-c', weight: 33 },
    ]);
  });

  it('has no mirrors for a service nobody exports', () => {
    expect(backendsFor(split, 'b', topology(['a', 'b'], false))).toEqual([{ service: 'podinfo', weight: 100 }]);
  });

  it('skips clusters that are not linked into this one', () => {
    const t = topology(['a', 'b', 'c']);
    (t['linkerd'] as any).links = [{ from: 'a', to: 'b' }];
    expect(backendsFor(split, 'b', t).map((b) => b.service)).toEqual(['podinfo', 'podinfo-a']);
    expect(backendsFor(split, 'a', t).map((b) => b.service)).toEqual(['podinfo']);
  });

  it('merges a local backend with the backend naming the same cluster', () => {
    const s = { ...split, backends: [{ weight: 70 }, { cluster: 'b', weight: 30 }] };
    expect(backendsFor(s, 'a', topology(['a', 'b']))).toEqual([
      { service: 'podinfo', weight: 70 },
      { service: 'podinfo-b', weight: 30 },
    ]);
    expect(backendsFor(s, 'b', topology(['a', 'b']))).toEqual([{ service: 'podinfo', weight: 100 }]);
  });

  it('maps explicit backends to local or mirror depending on the cluster it is applied in', () => {
    const s = {
      ...split,
      backends: [
        { cluster: 'a', weight: 80 },
        { cluster: 'b', weight: 20 },
        { service: 'podinfo-canary', weight: 5 },
      ],
    };
    expect(backendsFor(s, 'a', topology(['a', 'b']))).toEqual([
      { service: 'podinfo', weight: 80 },
      { service: 'podinfo-b', weight: 20 },
      { service: 'podinfo-canary', weight: 5 },
    ]);
    expect(backendsFor(s, 'b', topology(['a', 'b'])).map((b) => b.service)).toEqual(['podinfo-a', 'podinfo', 'podinfo-canary']);
  });
});

describe('split goldens', () => {
  it('TrafficSplit for 2 clusters (50/50)', async () => {
    await expect(json(renderTrafficSplit(split, backendsFor(split, 'demo', topology(['demo', 'demo3']))))).toMatchFileSnapshot(
      './__golden__/trafficsplit-2-clusters.json',
    );
  });
  it('TrafficSplit for 3 clusters (34/33/33)', async () => {
    await expect(json(renderTrafficSplit(split, backendsFor(split, 'east', topology(['east', 'west', 'north']))))).toMatchFileSnapshot(
      './__golden__/trafficsplit-3-clusters.json',
    );
  });
  it('HTTPRoute for 3 clusters', async () => {
    const s = { ...split, port: 9898 };
    await expect(json(renderHttpRoute(s, backendsFor(s, 'east', topology(['east', 'west', 'north']))))).toMatchFileSnapshot(
      './__golden__/httproute-3-clusters.json',
    );
  });
});
