// Conformance: every custom resource meshspec renders, created on a real kube-apiserver that serves the REAL
// CustomResourceDefinitions of the upstream projects (../shared/conformance: MetalLB, linkerd-smi, Gateway API,
// Linkerd's own CRDs as its CLI prints them). Table-driven: one row per (CRD source, rendered CR producer).
// A row applies its CRDs server-side through core's KubeClient, waits for them to be Established, creates the
// rendered objects for real (server-side apply, no dry run), and reads them back: a field the schema rejects
// fails the apply, and a field it does not know (pruned silently by the API server) fails the read-back,
// both naming the object and the field.
// Cluster use: a private API-only control plane (etcd + kube-apiserver from the harness), because the rows
// apply CRDs that cannot coexist (MetalLB 0.14.9 vs 0.16.1, Linkerd 2.13 vs 2.20, Gateway API 1.2.1 vs 1.5.1):
// rows run one after another and each deletes its CRDs (and waits until they are gone) before the next.
// The shared it1/it2 clusters, where other test files install their own CRDs, are not touched.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClientFactory, parseIpv4Range, parseManifestText, type KubeClient, type KubeObject } from '@meshspec/core';
import { capabilitiesOf, parseLinkerdVersion } from '@meshspec/plugin-linkerd';
import { renderPoolObjects } from '@meshspec/plugin-metallb';
import { equalWeights, renderHttpRoute, renderTrafficSplit } from '@meshspec/plugin-smi';
import { renderIngress } from '@meshspec/plugin-ingress';
import { renderDemo } from '@meshspec/plugin-workloads';
import { linkArgs } from '../../packages/plugin-linkerd/src/commands.js';
import { CONFORMANCE, conformanceCrds, conformanceFiles, conformanceObjects } from '../conformance/index.js';
import { FAKE_LINKERD } from './fixtures/linkerd-cli.js';
import { resolveAssets, startControlPlanes, type ControlPlanes } from './harness/control-plane.js';

let planes: ControlPlanes;
let kube: KubeClient;
const workDir = mkdtempSync(join(tmpdir(), 'meshspec-it-conformance-'));

beforeAll(async () => {
  // The data must be there (CI has it): a missing folder or file fails here with instructions.
  conformanceFiles();
  planes = await startControlPlanes({ count: 1, workDir: join(workDir, 'cluster'), assets: resolveAssets(), controllers: false });
  kube = createKubeClientFactory({ kubeconfigPath: planes.kubeconfig }).forContext(planes.clusters[0]!.context);
});

afterAll(async () => {
  await planes?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

// --- producers: meshspec's renders ------------------------------------------------------------------

const ns = (row: string) => `conf-${row}`;
const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

function metallbPools(row: string): KubeObject[] {
  return renderPoolObjects(parseIpv4Range('172.18.255.200-172.18.255.250')!, ns(row));
}

function trafficSplit(row: string): KubeObject[] {
  const weights = [70, 30];
  return [renderTrafficSplit({ namespace: ns(row), service: 'podinfo' }, [{ service: 'podinfo', weight: weights[0]! }, { service: 'podinfo-west', weight: weights[1]! }])];
}

function httpRoute(row: string): KubeObject[] {
  const [a, b] = equalWeights(2);
  return [renderHttpRoute({ namespace: ns(row), service: 'podinfo', port: 9898 }, [{ service: 'podinfo', weight: a! }, { service: 'podinfo-west', weight: b! }])];
}

/**
 * What the linkerd plugin applies in the target cluster for a link: the FAKE linkerd CLI's `multicluster
 * link` (before 2.18) / `link-gen` (2.18+) render, run with the plugin's own argv against a simulated
 * source cluster whose gateway has an address.
 */
function linkRender(version: string): KubeObject[] {
  const state = mkdtempSync(join(workDir, 'fake-state-'));
  mkdirSync(join(state, 'kind', 'clusters', 'east'), { recursive: true });
  writeFileSync(join(state, 'kind', 'clusters', 'east', 'cluster.json'), JSON.stringify({ controlPlaneIp: '172.18.0.2' }));
  mkdirSync(join(state, 'kube', 'kind-east', 'lb'), { recursive: true });
  writeFileSync(join(state, 'kube', 'kind-east', 'lb', 'linkerd-multicluster.linkerd-gateway'), '172.18.255.201');
  const caps = capabilitiesOf(parseLinkerdVersion(version)!);
  const args = linkArgs('kind-east', 'east', caps, true, 'https://172.18.0.2:6443');
  const r = spawnSync(FAKE_LINKERD, args, { encoding: 'utf8', env: { ...process.env, MESHSPEC_FAKE_STATE: state, MESHSPEC_FAKE_LINKERD_VERSION: version } });
  expect(r.status, `FAKE linkerd ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return parseManifestText(r.stdout);
}

/** The FAKE CLI's recorded extension renders, reduced to their custom resources (and the namespaces they live in). */
function fakeLinkerdCustomResources(version: string, args: string[][]): KubeObject[] {
  const objects = args.flatMap((a) => {
    const r = spawnSync(FAKE_LINKERD, ['--context', 'c', ...a], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, MESHSPEC_FAKE_LINKERD_VERSION: version, MESHSPEC_FAKE_CLUSTERS: 'kubeconfig', KUBECONFIG: fakeKubeconfig() } });
    expect(r.status, `FAKE linkerd ${a.join(' ')}: ${r.stderr}`).toBe(0);
    return parseManifestText(r.stdout);
  });
  const builtIn = /^(v1|apps\/v1|batch\/v1|policy\/v1|rbac\.authorization\.k8s\.io\/v1|admissionregistration\.k8s\.io\/v1|apiregistration\.k8s\.io\/v1|apiextensions\.k8s\.io\/v1)$/;
  return objects.filter((o) => o.kind === 'Namespace' || !builtIn.test(o.apiVersion));
}

function fakeKubeconfig(): string {
  const file = join(workDir, 'fake-kubeconfig');
  writeFileSync(file, 'apiVersion: v1\nkind: Config\ncontexts: [{ name: c, context: { cluster: x, user: y } }]\ncurrent-context: c\n');
  return file;
}

function ingressObjects(row: string): KubeObject[] {
  return [renderIngress({ namespace: ns(row), service: 'frontend', port: 8080 }, 'frontend.east.example', { className: 'nginx' })];
}

function demoObjects(row: string): KubeObject[] {
  return renderDemo('east', ['east', 'west'], { namespace: ns(row) });
}

// --- the table ------------------------------------------------------------------------------------------

interface Row {
  /** Short unique id: also the row's namespace suffix. */
  id: string;
  crdSource: string;
  /** Files (in ../shared/conformance) whose CustomResourceDefinitions the row applies; none: built-in APIs only. */
  crdFiles: string[];
  /** Only these CRDs of the files (by name); default all. */
  crdNames?: string[];
  producer: string;
  render: (row: string) => KubeObject[];
}

const LINK_CRD = 'links.multicluster.linkerd.io';
const ROWS: Row[] = [
  { id: 'metallb-0149', crdSource: 'MetalLB v0.14.9 crds.yaml', crdFiles: [CONFORMANCE.metallbCrds('v0.14.9')], producer: 'plugin-metallb renderPoolObjects (IPAddressPool + L2Advertisement)', render: metallbPools },
  { id: 'metallb-0161', crdSource: 'MetalLB v0.16.1 crds.yaml', crdFiles: [CONFORMANCE.metallbCrds('v0.16.1')], producer: 'plugin-metallb renderPoolObjects (IPAddressPool + L2Advertisement)', render: metallbPools },
  { id: 'smi-027', crdSource: 'linkerd-smi v0.2.7 trafficsplit-crd.yaml', crdFiles: [CONFORMANCE.smiTrafficSplitCrd], producer: 'plugin-smi renderTrafficSplit (70/30)', render: trafficSplit },
  { id: 'gwapi-121', crdSource: 'Gateway API v1.2.1 standard-crds.yaml', crdFiles: [CONFORMANCE.gatewayApiCrds('v1.2.1')], producer: 'plugin-smi renderHttpRoute (gateway.networking.k8s.io/v1, Service parentRef)', render: httpRoute },
  { id: 'gwapi-151', crdSource: 'Gateway API v1.5.1 standard-crds.yaml', crdFiles: [CONFORMANCE.gatewayApiCrds('v1.5.1')], producer: 'plugin-smi renderHttpRoute (gateway.networking.k8s.io/v1, Service parentRef)', render: httpRoute },
  {
    id: 'l5d220-gwapi',
    crdSource: 'Linkerd 2.20 install --crds --set installGatewayAPI=true (bundled Gateway API v1.1.1 experimental)',
    crdFiles: [CONFORMANCE.linkerd('edge-26.6.3', 'install-crds-with-gateway-api.yaml')],
    producer: 'plugin-smi renderHttpRoute (gateway.networking.k8s.io/v1, Service parentRef)',
    render: httpRoute,
  },
  { id: 'l5d213-link', crdSource: 'Linkerd stable-2.13.3 multicluster-install.yaml (Link CRD)', crdFiles: [CONFORMANCE.linkerd('stable-2.13.3', 'multicluster-install.yaml')], crdNames: [LINK_CRD], producer: 'FAKE linkerd multicluster link (plugin-linkerd argv, 2.13)', render: () => linkRender('stable-2.13.3') },
  { id: 'l5d220-link', crdSource: 'Linkerd edge-26.6.3 multicluster-install.yaml (Link CRD)', crdFiles: [CONFORMANCE.linkerd('edge-26.6.3', 'multicluster-install.yaml')], crdNames: [LINK_CRD], producer: 'FAKE linkerd multicluster link-gen (plugin-linkerd argv, 2.20)', render: () => linkRender('edge-26.6.3') },
  {
    id: 'l5d213-ext',
    crdSource: 'Linkerd stable-2.13.3 install-crds.yaml',
    crdFiles: [CONFORMANCE.linkerd('stable-2.13.3', 'install-crds.yaml')],
    producer: 'FAKE linkerd multicluster install + viz install (recorded; Server, AuthorizationPolicy, ServiceProfile ...)',
    render: () => fakeLinkerdCustomResources('stable-2.13.3', [['multicluster', 'install'], ['viz', 'install']]),
  },
  {
    id: 'l5d220-ext',
    crdSource: 'Linkerd edge-26.6.3 install-crds.yaml',
    crdFiles: [CONFORMANCE.linkerd('edge-26.6.3', 'install-crds.yaml')],
    producer: 'FAKE linkerd multicluster install --set controllers[0].link.ref.name=west + viz install (recorded)',
    render: () => fakeLinkerdCustomResources('edge-26.6.3', [['multicluster', 'install', '--set', 'controllers[0].link.ref.name=west'], ['viz', 'install']]),
  },
  { id: 'ingress', crdSource: 'built-in networking.k8s.io/v1 (kube-apiserver)', crdFiles: [], producer: 'plugin-ingress renderIngress', render: ingressObjects },
  { id: 'demo', crdSource: 'built-in core/apps v1 (kube-apiserver)', crdFiles: [], producer: 'plugin-workloads renderDemo (podinfo, frontend, load generators)', render: demoObjects },
];

// --- checks -----------------------------------------------------------------------------------------------

/** Paths of `sent` that the stored object lacks or holds differently (the API server prunes unknown fields silently). */
function droppedFields(sent: unknown, stored: unknown, path = ''): string[] {
  if (sent !== null && typeof sent === 'object' && !Array.isArray(sent)) {
    if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return [path || '.'];
    return Object.entries(sent as Record<string, unknown>).flatMap(([k, v]) => droppedFields(v, (stored as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(sent)) {
    if (!Array.isArray(stored) || stored.length !== sent.length) return [path];
    return sent.flatMap((v, i) => droppedFields(v, stored[i], `${path}[${i}]`));
  }
  return sent === stored ? [] : [path];
}

const refOf = (o: KubeObject) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

async function deleteCrdsAndWait(names: string[]): Promise<void> {
  for (const name of names) await kube.delete('apiextensions.k8s.io/v1', 'CustomResourceDefinition', name);
  for (const name of names) await kube.waitFor('apiextensions.k8s.io/v1', 'CustomResourceDefinition', name, undefined, (o) => o === undefined, { timeoutMs: 60_000, description: `CRD ${name} deleted` });
}

describe('conformance integration (real kube-apiserver, real upstream CRDs from ../shared/conformance)', () => {
  it('the droppedFields check names fields the server did not keep', () => {
    expect(droppedFields({ spec: { a: 1, b: [{ c: 'x' }] } }, { spec: { a: 1, b: [{}] } })).toEqual(['spec.b[0].c']);
    expect(droppedFields({ spec: { a: 1 } }, { spec: { a: 1, extra: true } })).toEqual([]);
  });

  it.each(ROWS)('$crdSource accepts $producer', async (row) => {
    const crds = row.crdFiles.flatMap((f) => conformanceCrds(f)).filter((c) => !row.crdNames || row.crdNames.includes(c.metadata.name));
    expect(crds.length > 0 || row.crdFiles.length === 0, `${row.crdSource}: no CRDs found`).toBe(true);
    const crdNames = crds.map((c) => c.metadata.name);
    try {
      if (crds.length > 0) {
        await kube.apply(crds);
        for (const name of crdNames) await kube.waitForCrdEstablished(name, { timeoutMs: 60_000 });
      }
      const rendered = row.render(row.id);
      // Namespaces first: the rendered ones, and those the objects live in that the render leaves to others.
      const isNamespace = (o: KubeObject) => o.kind === 'Namespace' && o.apiVersion === 'v1';
      const missing = [...new Set(rendered.map((o) => o.metadata.namespace).filter((n): n is string => !!n))].filter((n) => !rendered.some((o) => isNamespace(o) && o.metadata.name === n));
      const objects = [...missing.map(namespace), ...rendered.filter(isNamespace), ...rendered.filter((o) => !isNamespace(o))];
      const served = new Set(crds.map((c) => (c['spec'] as { group: string }).group));
      const custom = objects.filter((o) => served.has(o.apiVersion.split('/')[0]!));
      if (crds.length > 0) expect(custom.length, `${row.producer} rendered no object of ${[...served].join(', ')}`).toBeGreaterThan(0);

      for (const object of objects) {
        const error = await kube.apply([object]).then(() => undefined, (e: Error) => e.message);
        expect(error, `${refOf(object)} (${row.producer}) was rejected by ${row.crdSource}`).toBeUndefined();
        const stored = await kube.get(object.apiVersion, object.kind, object.metadata.name, object.metadata.namespace);
        expect(stored, `${refOf(object)} was not created`).toBeDefined();
        const { metadata: _m, ...sentBody } = object;
        expect(droppedFields(sentBody, stored), `${refOf(object)} (${row.producer}): fields ${row.crdSource} does not keep`).toEqual([]);
      }
    } finally {
      // Namespaced objects go with the CRDs; namespaces stay (API only: nothing finalizes them) and are unique per row.
      await deleteCrdsAndWait(crdNames);
    }
  });
});
