// The FAKE linkerd CLI against real kube-apiservers (MESHSPEC_FAKE_CLUSTERS=kubeconfig): it looks at the
// cluster (with the machine's kubectl) where the real CLI does, and refuses with the real CLI's words
// (linkerd2 pkg/k8s/authz.go, cli/cmd/install.go at stable-2.13.3 / version-2.20):
// - `install` needs some EndpointSlice in the cluster. An API server advertising a loopback address (what the
//   harness did before it advertised a TEST-NET-1 address) writes none, so this is what the real 2.13 CLI hit;
// - 2.18+ `install --crds` needs the Gateway API CRDs, and refuses to bundle its own over external ones.
// Uses a private API-only control plane advertising loopback, plus the shared harness cluster it1.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKubeClientFactory, parseManifestText, type KubeClient } from '@meshspec/core';
import { generateTrustAnchor, issueIssuer } from '@meshspec/plugin-linkerd';
import { CONFORMANCE, conformanceCrds, conformanceObjects } from '../conformance/index.js';
import { FAKE_LINKERD } from './fixtures/linkerd-cli.js';
import { resolveAssets, startControlPlanes, type ControlPlanes } from './harness/control-plane.js';

const DAY = 86_400_000;
const workDir = mkdtempSync(join(tmpdir(), 'meshspec-it-fake-linkerd-'));
let loopback: ControlPlanes;
let loopbackKube: KubeClient;
let identity: string[];

beforeAll(async () => {
  loopback = await startControlPlanes({ count: 1, workDir: join(workDir, 'cluster'), assets: resolveAssets(), controllers: false, advertiseLoopback: true });
  loopbackKube = createKubeClientFactory({ kubeconfigPath: loopback.kubeconfig }).forContext(loopback.clusters[0]!.context);
  const anchor = await generateTrustAnchor(30 * DAY);
  const issuer = await issueIssuer(anchor, 10 * DAY);
  writeFileSync(join(workDir, 'ca.crt'), anchor.cert);
  writeFileSync(join(workDir, 'issuer.crt'), issuer.cert);
  writeFileSync(join(workDir, 'issuer.key'), issuer.key, { mode: 0o600 });
  identity = ['--identity-trust-anchors-file', join(workDir, 'ca.crt'), '--identity-issuer-certificate-file', join(workDir, 'issuer.crt'), '--identity-issuer-key-file', join(workDir, 'issuer.key')];
});

afterAll(async () => {
  await loopback?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

function fakeLinkerd(version: string, kubeconfig: string, context: string, args: string[]) {
  const r = spawnSync(FAKE_LINKERD, ['--kubeconfig', kubeconfig, '--context', context, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, MESHSPEC_FAKE_CLUSTERS: 'kubeconfig', MESHSPEC_FAKE_LINKERD_VERSION: version, KUBECONFIG: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('FAKE linkerd CLI refusals against real kube-apiservers (integration harness)', () => {
  it.each(['stable-2.13.3', 'edge-26.6.3'])('%s install refuses a cluster without EndpointSlices (API server advertising loopback), and renders on the harness clusters, which have them', async (version) => {
    const { kubeconfig, clusters } = loopback;
    const slices = await loopbackKube.list('discovery.k8s.io/v1', 'EndpointSlice');
    expect(slices, 'an API server advertising loopback writes no `kubernetes` EndpointSlice').toEqual([]);
    const refused = fakeLinkerd(version, kubeconfig, clusters[0]!.context, ['install', ...identity]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.split('\n')[0]).toBe('Error: no EndpointSlice resources exist in the cluster');
    expect(refused.stdout).toBe('');
    // --ignore-cluster skips the check, as in the real CLI.
    expect(fakeLinkerd(version, kubeconfig, clusters[0]!.context, ['install', '--ignore-cluster', ...identity]).code).toBe(0);

    const harness = fakeLinkerd(version, inject('kubeconfig'), inject('contexts')[0]!, ['install', ...identity]);
    expect(harness.stderr).toBe('');
    expect(harness.code).toBe(0);
    expect(parseManifestText(harness.stdout).some((o) => o.kind === 'Deployment' && o.metadata.name === 'linkerd-destination')).toBe(true);
  });

  it('2.20 install --crds refuses without the Gateway API CRDs, renders once they are there, and will not bundle its own over them', async () => {
    const { kubeconfig, clusters } = loopback;
    const context = clusters[0]!.context;
    const absent = fakeLinkerd('edge-26.6.3', kubeconfig, context, ['install', '--crds']);
    expect(absent.code).toBe(1);
    expect(absent.stderr).toMatch(/^The Gateway API CRDs must be installed prior to installing Linkerd\. Run:\n\nkubectl apply --server-side -f https:\/\/github\.com\/kubernetes-sigs\/gateway-api\/releases\/download\/v1\.2\.1\/standard-install\.yaml\n/);
    expect(absent.stdout).toBe('');
    // 2.13 never asks.
    expect(fakeLinkerd('stable-2.13.3', kubeconfig, context, ['install', '--crds']).code).toBe(0);

    const gatewayApi = conformanceCrds(CONFORMANCE.gatewayApiCrds('v1.2.1'));
    await loopbackKube.apply(gatewayApi);
    for (const crd of gatewayApi) await loopbackKube.waitForCrdEstablished(crd.metadata.name);
    try {
      const present = fakeLinkerd('edge-26.6.3', kubeconfig, context, ['install', '--crds', '--set', 'installGatewayAPI=false']);
      expect(present.code, present.stderr).toBe(0);
      expect(parseManifestText(present.stdout)).toEqual(conformanceObjects(CONFORMANCE.linkerd('edge-26.6.3', 'install-crds.yaml')));
      const bundled = fakeLinkerd('edge-26.6.3', kubeconfig, context, ['install', '--crds', '--set', 'installGatewayAPI=true']);
      expect(bundled.code).toBe(1);
      expect(bundled.stderr.trim()).toBe('Linkerd cannot install the Gateway API CRDs because they are already installed by an external source. Please set `installGatewayAPI` to `false`.');
    } finally {
      for (const crd of gatewayApi) await loopbackKube.delete('apiextensions.k8s.io/v1', 'CustomResourceDefinition', crd.metadata.name);
    }
  });
});
