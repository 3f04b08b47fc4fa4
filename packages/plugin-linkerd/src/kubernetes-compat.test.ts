// `meshspec validate` checks each cluster's Kubernetes (the kind node image) against what the Linkerd
// release supports, with the real kind and linkerd plugins and real positions.
import { type Diagnostic } from '@meshspec/core/plugin';
import { TopologyError, validateTopology } from '@meshspec/core/testing';
import { kindPlugin } from '@meshspec/plugin-kind';
import { describe, expect, it } from 'vitest';
import { linkerdPlugin } from './index.js';

const K137 = 'kindest/node:v1.37.0@sha256:a1ed56cfb0e7b93589bdf97c8cd566405a265939e3620fc4f5de89adff580ae5';
const K135 = 'kindest/node:v1.35.8@sha256:07b2536e30b803ed61d1677a79df6115f798ce64c80f9e22f6ed45afd09323c0';
const K124 = 'kindest/node:v1.24.7@sha256:577c630ce8e509131eab1aea12c022190978dd2f745aac5eb1fe65c0807eb315';

const text = (kindClusters: string, linkerd: string, west = '{}') =>
  [
    'apiVersion: meshspec.dev/v1alpha1',
    'kind: Topology',
    'metadata: { name: t }',
    'clusters:',
    '  east: {}',
    `  west: ${west}`,
    `kindClusters: ${kindClusters}`,
    `linkerd: ${linkerd}`,
    '',
  ].join('\n');

async function problems(topology: string): Promise<Diagnostic[]> {
  try {
    await validateTopology({ text: topology, file: 'topology.yaml', plugins: [kindPlugin, linkerdPlugin] });
    return [];
  } catch (error) {
    if (error instanceof TopologyError) return error.diagnostics;
    throw error;
  }
}
const line = (d: Diagnostic) => `${d.file}:${d.line}:${d.column} ${d.path}: ${d.message}`;

describe('Kubernetes version of the clusters vs the Linkerd release (validate)', () => {
  it("rejects Linkerd 2.20 on kind v0.33's default 1.37 node image, at the image, with a pinned image inside the range as the fix", async () => {
    const found = await problems(text(`{ nodeImage: "${K137}" }`, '{ version: edge-26.6.3 }'));
    expect(found.map(line)).toEqual([
      'topology.yaml:7:28 kindClusters.nodeImage: clusters east, west run Kubernetes 1.37 (kindest/node:v1.37.0), but Linkerd 2.20 (edge-26.6.3) supports Kubernetes 1.31-1.35',
    ]);
    expect(found[0]!.fix).toBe(
      `pin a node image inside 1.31-1.35: nodeImage: ${K135} (kind v0.33.0 release notes, https://github.com/kubernetes-sigs/kind/releases/tag/v0.33.0; create the clusters with kind v0.33.0)`,
    );
  });

  it('checks a per-cluster image where it is written, and names the Linkerd releases that would fit', async () => {
    const found = await problems(text(`{ nodeImage: "${K135}" }`, '{ version: version-2.20 }', `{ nodeImage: "${K124}" }`));
    expect(found.map(line)).toEqual([
      'topology.yaml:6:22 clusters.west.nodeImage: cluster west runs Kubernetes 1.24 (kindest/node:v1.24.7), but Linkerd 2.20 (version-2.20) supports Kubernetes 1.31-1.35',
    ]);
    expect(found[0]!.fix).toContain(`nodeImage: ${K135}`);
    expect(found[0]!.fix).toContain('or a Linkerd release that supports Kubernetes 1.24: 2.19, 2.18 ... (linkerd.version)');
  });

  it.each([
    ['the seed: Linkerd 2.13 on 1.24', `{ nodeImage: "${K124}" }`, '{ version: stable-2.13.3 }'],
    ['Linkerd 2.20 on 1.35', `{ nodeImage: "${K135}" }`, '{ version: edge-26.6.3 }'],
    ["the defaults: Linkerd 2.20 on meshspec's default node image", '{}', '{}'],
    ['a Linkerd newer than the table: not judged', `{ nodeImage: "${K137}" }`, '{ version: edge-26.9.1 }'],
  ])('accepts %s', async (_name, kind, linkerd) => {
    expect((await problems(text(kind, linkerd))).map(line)).toEqual([]);
  });

  it("does not judge clusters that are not kind's", async () => {
    const topology = text('{}', '{ version: edge-26.6.3 }')
      .replace(/kindClusters: \{\}\n/, '')
      .replace('east: {}', 'east: { context: east }')
      .replace('west: {}', 'west: { context: west }');
    expect((await problems(topology)).map(line)).toEqual([]);
  });
});
