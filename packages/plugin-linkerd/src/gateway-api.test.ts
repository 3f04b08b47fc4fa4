import { createTestStepContext, withEngineFacts } from '@meshspec/core/testing';
import { kindPlugin } from '@meshspec/plugin-kind';
import type { Step, Topology } from '@meshspec/core/plugin';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { conformancePath, readConformance } from './__fixtures__/conformance.js';
import { gatewayApiCrdsOf, gatewayApiSource, readGatewayApiManifest } from './gateway-api.js';
import type { LinkerdSection } from './schema.js';
import { linkerdSteps as linkerdStepsRaw } from './steps.js';
import { linkerdPlugin } from './index.js';

const linkerdSteps = withEngineFacts(linkerdPlugin, linkerdStepsRaw, [kindPlugin]);

const topology = (linkerd: LinkerdSection): Topology => ({
  apiVersion: 'meshspec.dev/v1alpha1',
  kind: 'Topology',
  metadata: { name: 't' },
  clusters: { east: { context: 'kind-east' }, west: { context: 'kind-west' } },
  linkerd,
});
const stepsCtx = { stateDir: '/state', topologyDir: '/topo', contextOf: (c: string) => `kind-${c}` };
const stepsOf = (s: LinkerdSection) => linkerdSteps(topology(s), s, stepsCtx);
const byId = (steps: Step[], id: string) => steps.find((s) => s.id === id)!;

describe('Gateway API CRDs step (Linkerd 2.18+)', () => {
  it('Linkerd 2.20: its own step per cluster, needed by linkerd:crds, which no longer asks Linkerd to bundle them', () => {
    const steps = stepsOf({ version: 'edge-26.6.3' });
    expect(steps.map((s) => s.id).filter((id) => /gateway-api|:crds@/.test(id))).toEqual([
      'linkerd:gateway-api@east',
      'linkerd:crds@east',
      'linkerd:gateway-api@west',
      'linkerd:crds@west',
    ]);
    expect(byId(steps, 'linkerd:crds@east').needs).toContain('linkerd:gateway-api@east');
    expect(byId(steps, 'linkerd:crds@east').plan!.at(-1)).toMatch(/install --crds --set installGatewayAPI=false$/);
    expect(byId(steps, 'linkerd:gateway-api@west').plan).toEqual([
      'kubectl apply --server-side (meshspec) --context kind-west <- Gateway API v1.2.1 standard-channel CRDs from https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.2.1/standard-install.yaml',
    ]);
  });

  it.each([
    ['Linkerd 2.13 (installs them itself)', { version: 'stable-2.13.3' }],
    ['Linkerd 2.17 (installs them itself)', { version: 'version-2.17' }],
    ['gatewayApi.install: false', { version: 'edge-26.6.3', gatewayApi: { install: false } }],
    ['installGatewayApi: true (Linkerd bundles them)', { version: 'edge-26.6.3', installGatewayApi: true }],
  ] as [string, LinkerdSection][])('no step for %s', (_name, section) => {
    const steps = stepsOf(section);
    expect(steps.map((s) => s.id).filter((id) => id.includes('gateway-api'))).toEqual([]);
    expect(byId(steps, 'linkerd:crds@east').needs ?? []).not.toContain('linkerd:gateway-api@east');
  });

  it('a manifest path is read relative to the topology, a URL as given', () => {
    expect(gatewayApiSource({ version: 'v1.2.1', manifest: '../shared/crds.yaml' }, '/work/repo/examples')).toEqual({
      version: 'v1.2.1',
      location: '/work/repo/shared/crds.yaml',
    });
    expect(gatewayApiSource({ version: 'v1.5.1', manifest: 'https://example.test/crds.yaml' }, '/x').location).toBe(
      'https://example.test/crds.yaml',
    );
  });

  it('takes the CRDs of the real v1.2.1 standard channel, and refuses another version or channel', () => {
    expect(
      gatewayApiCrdsOf(readConformance('gateway-api/v1.2.1/standard-crds.yaml'), 'v1.2.1', 'f')
        .map((c) => c.metadata.name)
        .sort(),
    ).toEqual([
      'gatewayclasses.gateway.networking.k8s.io',
      'gateways.gateway.networking.k8s.io',
      'grpcroutes.gateway.networking.k8s.io',
      'httproutes.gateway.networking.k8s.io',
      'referencegrants.gateway.networking.k8s.io',
    ]);
    expect(() => gatewayApiCrdsOf(readConformance('gateway-api/v1.5.1/standard-crds.yaml'), 'v1.2.1', 'f')).toThrow(
      /is Gateway API v1\.5\.1 standard channel, not v1\.2\.1 standard/,
    );
    // Linkerd's bundled CRDs are the experimental channel (v1.1.1).
    expect(() => gatewayApiCrdsOf(readConformance('linkerd/edge-26.6.3/install-crds-with-gateway-api.yaml'), 'v1.1.1', 'f')).toThrow(
      /experimental channel/,
    );
  });

  it('run: reads a file source and applies only its CRDs to its own cluster', async () => {
    const file = conformancePath('gateway-api/v1.2.1/standard-crds.yaml');
    const section: LinkerdSection = { version: 'edge-26.6.3', gatewayApi: { manifest: file } };
    const step = byId(stepsOf(section), 'linkerd:gateway-api@west');
    const ctx = createTestStepContext(topology(section), { step: { id: step.id, cluster: 'west' } });
    expect(await step.run(ctx)).toMatchObject({
      version: 'v1.2.1',
      crds: expect.arrayContaining(['httproutes.gateway.networking.k8s.io']),
    });
    expect(ctx.kubes.get('kind-west')!.applied.map((o) => o.kind)).toEqual(Array(5).fill('CustomResourceDefinition'));
    expect(ctx.kubes.has('kind-east')).toBe(false);
  });

  it('run: a missing file fails the step with what to set', async () => {
    const section: LinkerdSection = { version: 'edge-26.6.3', gatewayApi: { manifest: '/no/such/crds.yaml' } };
    const step = byId(stepsOf(section), 'linkerd:gateway-api@east');
    const ctx = createTestStepContext(topology(section), { step: { id: step.id, cluster: 'east' } });
    await expect(step.run(ctx)).rejects.toThrow(/set linkerd.gatewayApi.manifest to the standard-install.yaml of v1.2.1/);
  });
});

describe('reading the Gateway API manifest from a URL (a real local HTTP server)', () => {
  async function serve(status: number, body: string) {
    const server = createServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'application/yaml' });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/standard-install.yaml`;
    return { url, close: () => new Promise<void>((r) => server.close(() => r())) };
  }

  it('downloads it like the release asset', async () => {
    const body = readConformance('gateway-api/v1.2.1/standard-crds.yaml');
    const server = await serve(200, body);
    try {
      expect(await readGatewayApiManifest({ version: 'v1.2.1', location: server.url })).toBe(body);
    } finally {
      await server.close();
    }
  });

  it('an HTTP error names the URL and status', async () => {
    const server = await serve(404, 'Not Found');
    try {
      await expect(readGatewayApiManifest({ version: 'v1.2.1', location: server.url })).rejects.toThrow(`GET ${server.url}: HTTP 404`);
    } finally {
      await server.close();
    }
  });
});
