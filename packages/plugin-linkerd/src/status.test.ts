import type { KubeObject, Topology } from '@meshspec/core/plugin';
import { createTestStepContext, type TestStepContext } from '@meshspec/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { CERT_FILES, generateTrustAnchor, issueIssuer, type PemPair } from './certs.js';
import type { LinkerdSection } from './schema.js';
import { linkerdStatus } from './status.js';

const HOUR = 3_600_000;
const section: LinkerdSection = { export: [{ namespace: 'test', service: 'podinfo' }] };
const topology: Topology = {
  apiVersion: 'meshspec.dev/v1alpha1',
  kind: 'Topology',
  metadata: { name: 't' },
  clusters: { demo: { context: 'kind-demo' }, demo3: { context: 'kind-demo3' } },
  linkerd: section,
};

let anchor: PemPair;
let otherAnchor: PemPair;
beforeAll(async () => {
  anchor = await generateTrustAnchor(87_600 * HOUR);
  otherAnchor = await generateTrustAnchor(87_600 * HOUR);
});

const gateway = (ip: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'linkerd-gateway', namespace: 'linkerd-multicluster' },
  status: { loadBalancer: { ingress: [{ ip }] } },
});
const mirror = (remote: string, ip: string): KubeObject[] => [
  { apiVersion: 'v1', kind: 'Service', metadata: { name: `podinfo-${remote}`, namespace: 'test' } },
  { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: `podinfo-${remote}`, namespace: 'test' }, subsets: [{ addresses: [{ ip }] }] },
];

/** demo trusts via linkerd-identity-trust-roots; demo3 via linkerd-config values (older layout). */
async function healthyMesh(issuerValidityMs = 8760 * HOUR, demo3Anchor = () => anchor): Promise<TestStepContext> {
  const ctx = createTestStepContext(topology);
  const issuer = await issueIssuer(anchor, issuerValidityMs);
  await ctx.secrets.write(CERT_FILES.caCert, anchor.cert);
  await ctx.secrets.write(CERT_FILES.issuerCert, issuer.cert);
  await ctx.kube('demo').apply([
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'linkerd-identity-trust-roots', namespace: 'linkerd' },
      data: { 'ca-bundle.crt': anchor.cert },
    },
    gateway('172.18.0.61'),
    ...mirror('demo3', '172.18.0.71'),
  ]);
  const values = `identityTrustAnchorsPEM: |\n${demo3Anchor()
    .cert.trim()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\nclusterNetworks: 10.0.0.0/8\n`;
  await ctx
    .kube('demo3')
    .apply([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'linkerd-config', namespace: 'linkerd' }, data: { values } },
      gateway('172.18.0.71'),
      ...mirror('demo', '172.18.0.61'),
    ]);
  return ctx;
}

const summary = (lines: Awaited<ReturnType<typeof linkerdStatus>>) => lines.map((l) => `${l.cluster ?? '-'} ${l.name}: ${l.level}`);

describe('linkerdStatus', () => {
  it('is all ok for a healthy mesh', async () => {
    const lines = await linkerdStatus(topology, section, await healthyMesh());
    expect(summary(lines)).toEqual([
      '- linkerd issuer: ok',
      'demo linkerd trust anchor: ok',
      'demo3 linkerd trust anchor: ok',
      'demo3 mirror test/podinfo-demo: ok',
      'demo mirror test/podinfo-demo3: ok',
    ]);
    expect(lines.every((l) => l.ok)).toBe(true);
  });

  it('reports a cluster that trusts another anchor as an error', async () => {
    const lines = await linkerdStatus(topology, section, await healthyMesh(undefined, () => otherAnchor));
    const demo3 = lines.find((l) => l.cluster === 'demo3' && l.name === 'linkerd trust anchor')!;
    expect(demo3).toMatchObject({ ok: false, level: 'error' });
    expect(demo3.detail).toContain('trust anchor mismatch');
    expect(lines.find((l) => l.cluster === 'demo' && l.name === 'linkerd trust anchor')!.ok).toBe(true);
  });

  it('warns when the issuer expires within the renewal window', async () => {
    const lines = await linkerdStatus(topology, section, await healthyMesh(240 * HOUR));
    expect(lines[0]).toMatchObject({ name: 'linkerd issuer', ok: false, level: 'warn' });
    expect(lines[0]!.detail).toMatch(/expires in 9 days/);
  });

  it('finds a mirror pointing at the wrong gateway, a missing mirror, and a missing control plane', async () => {
    const ctx = await healthyMesh();
    await ctx.kube('demo').apply([
      {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'podinfo-demo3', namespace: 'test' },
        subsets: [{ addresses: [{ ip: '172.18.0.99' }] }],
      },
    ]);
    await ctx.kube('demo3').delete('v1', 'Service', 'podinfo-demo', 'test');
    await ctx.kube('demo3').delete('v1', 'ConfigMap', 'linkerd-config', 'linkerd');
    const lines = await linkerdStatus(topology, section, ctx);
    expect(summary(lines)).toEqual([
      '- linkerd issuer: ok',
      'demo linkerd trust anchor: ok',
      'demo3 linkerd trust anchor: error',
      'demo3 mirror test/podinfo-demo: error',
      'demo mirror test/podinfo-demo3: error',
    ]);
    expect(lines[4]!.detail).toBe("endpoints [172.18.0.99] do not include demo3's gateway 172.18.0.71: re-run the link (meshspec apply)");
  });

  // The mirror Service exists; its Endpoints are what the service mirror wrote (or nothing).
  it.each<[string, KubeObject | undefined, string]>([
    ['no Endpoints object at all', undefined, 'error: mirror of podinfo from demo3 has no endpoints'],
    [
      'Endpoints without subsets',
      { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'podinfo-demo3', namespace: 'test' }, subsets: [] },
      'error: mirror of podinfo from demo3 has no endpoints',
    ],
    [
      'Endpoints with an empty address list',
      { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'podinfo-demo3', namespace: 'test' }, subsets: [{ addresses: [] }] },
      'error: mirror of podinfo from demo3 has no endpoints',
    ],
    [
      'Endpoints at another address (the gateway moved)',
      {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'podinfo-demo3', namespace: 'test' },
        subsets: [{ addresses: [{ ip: '172.18.0.99' }] }],
      },
      "error: endpoints [172.18.0.99] do not include demo3's gateway 172.18.0.71",
    ],
    [
      'Endpoints at the remote gateway',
      {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'podinfo-demo3', namespace: 'test' },
        subsets: [{ addresses: [{ ip: '172.18.0.71' }] }],
      },
      'ok: endpoints -> demo3 gateway 172.18.0.71',
    ],
  ])('a mirror that exists, with %s', async (_name, endpoints, expected) => {
    const ctx = await healthyMesh();
    await ctx.kube('demo').delete('v1', 'Endpoints', 'podinfo-demo3', 'test');
    if (endpoints) await ctx.kube('demo').apply([endpoints]);
    const line = (await linkerdStatus(topology, section, ctx)).find((l) => l.cluster === 'demo' && l.name === 'mirror test/podinfo-demo3')!;
    expect(`${line.level}: ${line.detail}`.startsWith(expected)).toBe(true);
    expect(line.ok).toBe(expected.startsWith('ok'));
    if (!line.ok) expect(line.detail).toContain('meshspec apply');
  });

  it('reports an issuer or trust anchor that is not valid yet (clock skew, a wrongly made file) as an error with a fix', async () => {
    const ctx = await healthyMesh();
    const future = new Date(Date.now() + 48 * HOUR);
    await ctx.secrets.write(CERT_FILES.issuerCert, (await issueIssuer(anchor, 8760 * HOUR, future)).cert);
    let lines = await linkerdStatus(topology, section, ctx);
    expect(lines[0]).toMatchObject({ name: 'linkerd issuer', ok: false, level: 'error' });
    expect(lines[0]!.detail).toMatch(
      /^issuer certificate not valid until \d{4}-.*Z \(clock skew, or a wrongly made file\): .*fix this machine's clock.*meshspec rotate <file> --issuer$/,
    );

    await ctx.secrets.write(CERT_FILES.caCert, (await generateTrustAnchor(87_600 * HOUR, future)).cert);
    lines = await linkerdStatus(topology, section, ctx);
    const anchorLine = lines.find((l) => l.cluster === undefined && l.name === 'linkerd trust anchor')!;
    expect(anchorLine).toMatchObject({ ok: false, level: 'error' });
    expect(anchorLine.detail).toMatch(/^trust anchor linkerd-ca.crt not valid until .*restore the anchor the clusters trust/);
  });

  it('shows the issuer each cluster really uses (its Secret), and warns when it is not the stored one', async () => {
    const ctx = await healthyMesh();
    const stored = (await ctx.secrets.read(CERT_FILES.issuerCert))!;
    const other = await issueIssuer(anchor, 100 * HOUR);
    const secret = (cert: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'linkerd-identity-issuer', namespace: 'linkerd' },
      data: { 'crt.pem': Buffer.from(cert).toString('base64') },
    });
    await ctx.kube('demo').apply([secret(stored)]);
    await ctx.kube('demo3').apply([secret(other.cert)]);
    const lines = (await linkerdStatus(topology, section, ctx)).filter((l) => l.name === 'linkerd issuer in cluster');
    expect(lines.map((l) => [l.cluster, l.level])).toEqual([
      ['demo', 'ok'],
      ['demo3', 'warn'],
    ]);
    expect(lines[0]!.detail).toMatch(/^issuer valid until \d{4}-\d\d-\d\dT.*Z \((364|365) days\)$/);
    expect(lines[1]!.detail).toMatch(
      /^issuer valid until .* \(4 days\), but not the issuer in linkerd-issuer.crt: finish the rotation with meshspec rotate <file> --issuer$/,
    );
  });

  it('flat links: a remote-discovery mirror needs no local endpoints; a federated export is one <svc>-federated per cluster', async () => {
    const modes: LinkerdSection = {
      multicluster: { linkMode: 'flat', podNetworksRoutable: true },
      export: [
        { namespace: 'test', service: 'podinfo' },
        { namespace: 'test', service: 'frontend', mode: 'federated' },
      ],
    };
    const ctx = await healthyMesh();
    await ctx.kube('demo').delete('v1', 'Endpoints', 'podinfo-demo3', 'test');
    await ctx.kube('demo').apply([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'frontend-federated', namespace: 'test' } }]);
    const lines = await linkerdStatus({ ...topology, linkerd: modes }, modes, ctx);
    expect(summary(lines).slice(3)).toEqual([
      'demo3 mirror test/podinfo-demo: ok',
      'demo3 federated test/frontend-federated: error',
      'demo mirror test/podinfo-demo3: ok',
      'demo federated test/frontend-federated: ok',
    ]);
    expect(lines.find((l) => l.cluster === 'demo' && l.name === 'mirror test/podinfo-demo3')!.detail).toBe(
      'mirrors podinfo from demo3 (remote discovery: endpoints read from the remote cluster)',
    );
    expect(lines.find((l) => l.cluster === 'demo3' && l.name === 'federated test/frontend-federated')!.detail).toMatch(
      /mirror\.linkerd\.io\/federated=member label on frontend/,
    );
  });

  it('returns nothing without a section', async () => {
    expect(await linkerdStatus(topology, undefined, createTestStepContext(topology))).toEqual([]);
  });
});
