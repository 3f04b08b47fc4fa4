// The FAKE linkerd CLI against real kube-apiservers (MESHSPEC_FAKE_CLUSTERS=kubeconfig): it looks at the
// cluster (with the machine's kubectl) where the real CLI does, and refuses with the real CLI's words
// (linkerd2 pkg/k8s/authz.go, cli/cmd/install.go at stable-2.13.3 / version-2.20):
// - `install` needs Linkerd's CRDs, then some EndpointSlice in the cluster. An API server advertising a
//   loopback address (what the harness did before it advertised a TEST-NET-1 address) writes none, so this is
//   what the real 2.13 CLI hit;
// - 2.18+ `install --crds` needs the Gateway API CRDs, and refuses to bundle its own over external ones.
// The same calls against the real stable-2.13.3 and 2.20 CLIs gave these outputs (docs/testing.md).
// Each test starts its own private API-only control planes (one advertising loopback as the harness once did,
// one advertising TEST-NET-1 as it does now) and stops them after: the CRDs of the two Linkerd versions never
// meet, the shared it1/it2 clusters are not touched, and no CRD has to be deleted (deleting one right after
// creating it can leave it Terminating for minutes while the API server initializes its storage).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClientFactory, parseManifestText, type KubeClient } from '@meshspec/core';
import { generateTrustAnchor, issueIssuer } from '@meshspec/plugin-linkerd';
import { CONFORMANCE, conformanceCrds, conformanceObjects } from '../conformance/index.js';
import { FAKE_LINKERD } from './fixtures/linkerd-cli.js';
import { resolveAssets, startControlPlanes, type Assets, type ControlPlanes } from './harness/control-plane.js';

const DAY = 86_400_000;
/** Linkerd's and Gateway API's CRDs are large: establishing them is slow on a loaded machine. */
const CRD_WAIT_MS = 240_000;
const TEST_TIMEOUT_MS = 600_000;
/** Resolved once: provision.sh relinks its shared bin dir on every call (other runs call it too). */
let assets: Assets;
const workDir = mkdtempSync(join(tmpdir(), 'meshspec-it-fake-linkerd-refusals-'));
let identity: string[];
const started: ControlPlanes[] = [];

/** A private API-only control plane, stopped after the test. */
async function controlPlane(name: string, advertiseLoopback: boolean): Promise<{ planes: ControlPlanes; kube: KubeClient }> {
  const planes = await startControlPlanes({ count: 1, workDir: join(workDir, name), assets, controllers: false, advertiseLoopback });
  started.push(planes);
  return { planes, kube: createKubeClientFactory({ kubeconfigPath: planes.kubeconfig }).forContext(planes.clusters[0]!.context) };
}

beforeAll(async () => {
  assets = resolveAssets();
  const anchor = await generateTrustAnchor(30 * DAY);
  const issuer = await issueIssuer(anchor, 10 * DAY);
  writeFileSync(join(workDir, 'ca.crt'), anchor.cert);
  writeFileSync(join(workDir, 'issuer.crt'), issuer.cert);
  writeFileSync(join(workDir, 'issuer.key'), issuer.key, { mode: 0o600 });
  identity = [
    '--identity-trust-anchors-file',
    join(workDir, 'ca.crt'),
    '--identity-issuer-certificate-file',
    join(workDir, 'issuer.crt'),
    '--identity-issuer-key-file',
    join(workDir, 'issuer.key'),
  ];
});

afterEach(async () => {
  for (const planes of started.splice(0)) await planes.stop();
});

afterAll(() => {
  // MESHSPEC_IT_KEEP keeps the private control planes' logs, as the harness does for its own.
  if (!process.env['MESHSPEC_IT_KEEP']) rmSync(workDir, { recursive: true, force: true });
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
  it.each(['stable-2.13.3', 'edge-26.6.3'])(
    '%s install refuses without Linkerd CRDs, then without EndpointSlices (API server advertising loopback), and renders where the API server advertises TEST-NET-1',
    async (version) => {
      const crds = conformanceCrds(CONFORMANCE.linkerd(version as 'stable-2.13.3' | 'edge-26.6.3', 'install-crds.yaml'));
      const loopback = await controlPlane(`${version}-loopback`, true);
      const advertised = await controlPlane(`${version}-advertised`, false);
      const at = (planes: ControlPlanes, args: string[]) => fakeLinkerd(version, planes.kubeconfig, planes.clusters[0]!.context, args);

      const noCrds = at(advertised.planes, ['install', ...identity]);
      expect(noCrds.code).toBe(1);
      expect(noCrds.stderr).toBe('Linkerd CRDs must be installed first. Run linkerd install with the --crds flag.\n');
      const noCrdsUpgrade = at(advertised.planes, ['upgrade', ...identity]);
      expect(noCrdsUpgrade.code).toBe(1);
      // 2.20's upgrade renders the CRDs against the cluster first, so it stops at the Gateway API check.
      expect(noCrdsUpgrade.stderr).toMatch(
        version === 'stable-2.13.3'
          ? /^Linkerd CRDs must be installed first\. Run linkerd upgrade with the --crds flag:\nmissing authorizationpolicies\.policy\.linkerd\.io, /
          : /^The Gateway API CRDs must be installed prior to installing Linkerd\./,
      );

      for (const { kube } of [loopback, advertised]) {
        await kube.apply(crds);
        for (const crd of crds) await kube.waitForCrdEstablished(crd.metadata.name, { timeoutMs: CRD_WAIT_MS });
      }
      expect(
        await loopback.kube.list('discovery.k8s.io/v1', 'EndpointSlice'),
        'an API server advertising loopback writes no `kubernetes` EndpointSlice',
      ).toEqual([]);
      const refused = at(loopback.planes, ['install', ...identity]);
      expect(refused.code).toBe(1);
      expect(refused.stderr.split('\n')[0]).toBe('Error: no EndpointSlice resources exist in the cluster');
      expect(refused.stdout).toBe('');
      // --ignore-cluster skips the checks, as in the real CLI.
      expect(at(loopback.planes, ['install', '--ignore-cluster', ...identity]).code).toBe(0);

      const rendered = at(advertised.planes, ['install', ...identity]);
      expect(rendered.stderr).toBe('');
      expect(rendered.code).toBe(0);
      expect(parseManifestText(rendered.stdout).some((o) => o.kind === 'Deployment' && o.metadata.name === 'linkerd-destination')).toBe(
        true,
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    '2.20 install --crds refuses without the Gateway API CRDs, renders once they are there, and will not bundle its own over them',
    async () => {
      const { planes, kube } = await controlPlane('gateway-api', false);
      const { kubeconfig, clusters } = planes;
      const context = clusters[0]!.context;
      const absent = fakeLinkerd('edge-26.6.3', kubeconfig, context, ['install', '--crds']);
      expect(absent.code).toBe(1);
      expect(absent.stderr).toMatch(
        /^The Gateway API CRDs must be installed prior to installing Linkerd\. Run:\n\nkubectl apply --server-side -f https:\/\/github\.com\/kubernetes-sigs\/gateway-api\/releases\/download\/v1\.2\.1\/standard-install\.yaml\n/,
      );
      expect(absent.stdout).toBe('');
      // 2.13 never asks.
      expect(fakeLinkerd('stable-2.13.3', kubeconfig, context, ['install', '--crds']).code).toBe(0);

      const gatewayApi = conformanceCrds(CONFORMANCE.gatewayApiCrds('v1.2.1'));
      await kube.apply(gatewayApi);
      for (const crd of gatewayApi) await kube.waitForCrdEstablished(crd.metadata.name, { timeoutMs: CRD_WAIT_MS });
      const present = fakeLinkerd('edge-26.6.3', kubeconfig, context, ['install', '--crds', '--set', 'installGatewayAPI=false']);
      expect(present.code, present.stderr).toBe(0);
      expect(parseManifestText(present.stdout)).toEqual(conformanceObjects(CONFORMANCE.linkerd('edge-26.6.3', 'install-crds.yaml')));
      const bundled = fakeLinkerd('edge-26.6.3', kubeconfig, context, ['install', '--crds', '--set', 'installGatewayAPI=true']);
      expect(bundled.code).toBe(1);
      expect(bundled.stderr.trim()).toBe(
        'Linkerd cannot install the Gateway API CRDs because they are already installed by an external source. Please set `installGatewayAPI` to `false`.',
      );
    },
    TEST_TIMEOUT_MS,
  );
});
