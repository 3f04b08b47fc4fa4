// docs/compatibility.md is the render of the pin tables and the example topologies: edit a pin or an
// example and this test says the document is stale.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifests } from '@meshspec/core/testing';
import { parseLinkerdVersion } from '@meshspec/plugin-linkerd';
import { describe, expect, it } from 'vitest';
import { renderCompatibility, type ExampleStack } from './compatibility.js';
import { EXAMPLES, REPO } from './__fixtures__/run-cli.js';

function stackOf(name: string): ExampleStack {
  const t = parseManifests(readFileSync(join(EXAMPLES, name, 'topology.yaml'), 'utf8'))[0] as any;
  const release = parseLinkerdVersion(t.linkerd.version)!;
  const image = String(t.kindClusters.nodeImage).split('@')[0]!.replace('kindest/node:', '');
  const controller = t.ingress?.controller ?? 'ingress-nginx';
  return {
    name: `[${name}](../examples/${name}/topology.yaml)`,
    linkerd: `${t.linkerd.version} (2.${release.minor})`,
    nodeImage: image,
    gatewayApi: release.minor >= 18 ? `${t.linkerd.gatewayApi?.version ?? 'v1.2.1'} standard` : release.minor >= 14 ? 'from Linkerd' : '—',
    metallb: String(t.metallb?.chartVersion ?? '0.14.9'),
    ingress: controller === 'envoy-gateway' ? `Envoy Gateway ${t.ingress.envoyGatewayVersion ?? 'v1.9.2'} (Gateway API)` : 'ingress-nginx 4.11.5 (retired)',
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
