// docs/compatibility.md is the render of the pin tables and the example topologies: edit a pin or an
// example and this test says the document is stale.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifests } from '@meshspec/core/testing';
import { ingressOptions } from '@meshspec/plugin-ingress';
import { parseLinkerdVersion, withDefaults as linkerdDefaults } from '@meshspec/plugin-linkerd';
import { withDefaults as metallbDefaults } from '@meshspec/plugin-metallb';
import { describe, expect, it } from 'vitest';
import { renderCompatibility, type ExampleStack } from './compatibility.js';
import { EXAMPLES, REPO } from './__fixtures__/run-cli.js';

function stackOf(name: string): ExampleStack {
  const t = parseManifests(readFileSync(join(EXAMPLES, name, 'topology.yaml'), 'utf8'))[0] as any;
  // Unwritten settings are the sections' schema defaults, read through their resolvers (no copy here).
  const linkerd = linkerdDefaults(t.linkerd);
  const ingress = ingressOptions(t.ingress);
  const release = parseLinkerdVersion(linkerd.version)!;
  const image = String(t.kindClusters.nodeImage).split('@')[0]!.replace('kindest/node:', '');
  return {
    name: `[${name}](../examples/${name}/topology.yaml)`,
    linkerd: `${linkerd.version} (2.${release.minor})`,
    nodeImage: image,
    gatewayApi: release.minor >= 18 ? `${linkerd.gatewayApi.version} standard` : release.minor >= 14 ? 'from Linkerd' : '—',
    metallb: metallbDefaults(t.metallb).chartVersion,
    ingress:
      ingress.controller === 'envoy-gateway'
        ? `Envoy Gateway ${ingress.envoyGatewayVersion} (Gateway API)`
        : `ingress-nginx ${ingress.chartVersion} (retired)`,
    splits: release.minor >= 18 ? 'HTTPRoute' : 'SMI TrafficSplit',
  };
}

describe('docs/compatibility.md', () => {
  it('is the render of the pin tables and the examples', async () => {
    const doc = renderCompatibility(['linkerd-multicluster', 'three-clusters', 'modern-linkerd'].map(stackOf));
    await expect(doc).toMatchFileSnapshot(join(REPO, 'docs/compatibility.md'));
  });

  it('the modern example sits inside every range it crosses', () => {
    const modern = stackOf('modern-linkerd');
    expect(modern.linkerd).toBe('edge-26.6.3 (2.20)');
    expect(modern.nodeImage).toMatch(/^v1\.3[1-5]\./);
    expect(modern.gatewayApi).toBe('v1.2.1 standard');
  });
});
