// Conformance: every custom resource meshspec renders, created on a real kube-apiserver that serves the REAL
// CustomResourceDefinitions of the upstream projects (../shared/conformance: MetalLB, linkerd-smi, Gateway API,
// Linkerd's own CRDs as its CLI prints them). Table-driven: one row per (CRD source, rendered CR producer).
// A row applies its CRDs server-side through core's KubeClient, waits for them to be Established, creates the
// rendered objects for real (server-side apply, no dry run), and reads them back: a field the schema rejects
// fails the apply, and a field it does not know (pruned silently by the API server) fails the read-back,
// both naming the object and the field.
// Cluster use: private API-only control planes (etcd + kube-apiserver from the harness), one per "stack" of
// CRDs that can live together (the seed's: MetalLB 0.14.9, linkerd-smi, Linkerd 2.13; the modern one:
// MetalLB 0.16.1, Gateway API 1.2.1, Linkerd 2.20; and one each for Gateway API 1.5.1 and the Gateway API that
// Linkerd 2.20 bundles), because some versions cannot share a cluster, and because deleting a CRD right after
// creating it can leave it Terminating for minutes (the API server's CRD finalizer backs off while the new
// resource's storage initializes). Stacks run one after another; the shared it1/it2 clusters are not touched.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeClientFactory, parseIpv4Range, parseManifestText, type KubeClient, type KubeObject } from '@meshspec/core';
import { capabilitiesOf, mirrorServiceName, parseLinkerdVersion } from '@meshspec/plugin-linkerd';
import { renderPoolObjects } from '@meshspec/plugin-metallb';
import { equalWeights, renderHttpRoute, renderTrafficSplit } from '@meshspec/plugin-smi';
import { renderIngress, resolveExpose } from '@meshspec/plugin-ingress';
import { renderDemo } from '@meshspec/plugin-workloads';
import { linkArgs } from '../../packages/plugin-linkerd/src/commands.js';
import { CONFORMANCE, conformanceCrds, conformanceFiles, conformanceObjects } from '../conformance/index.js';
import { FAKE_LINKERD } from './fixtures/linkerd-cli.js';
import { resolveAssets, startControlPlanes, type Assets, type ControlPlanes } from './harness/control-plane.js';

type Stack = 'seed' | 'modern' | 'gateway-api-1.5.1' | 'linkerd-bundled-gateway-api';
/** The running private control plane and the stack it serves (one at a time, to spare the machine). */
let current: { stack: Stack; planes: ControlPlanes; kube: KubeClient } | undefined;
/** Resolved once: provision.sh relinks its shared bin dir on every call (other runs call it too). */
let assets: Assets;
const workDir = mkdtempSync(join(tmpdir(), 'meshspec-it-conformance-'));

async function clusterFor(stack: Stack): Promise<KubeClient> {
  if (current?.stack === stack) return current.kube;
  await current?.planes.stop();
  const planes = await startControlPlanes({ count: 1, workDir: join(workDir, stack), assets, controllers: false });
  current = { stack, planes, kube: createKubeClientFactory({ kubeconfigPath: planes.kubeconfig }).forContext(planes.clusters[0]!.context) };
  return current.kube;
}

beforeAll(() => {
  // The data must be there (CI has it): a missing folder or file fails here with instructions.
  conformanceFiles();
  assets = resolveAssets();
});

afterAll(async () => {
  await current?.planes.stop();
  // MESHSPEC_IT_KEEP keeps the private control planes' logs, as the harness does for its own.
  if (!process.env['MESHSPEC_IT_KEEP']) rmSync(workDir, { recursive: true, force: true });
});

// --- producers: meshspec's renders ------------------------------------------------------------------

const ns = (row: string) => `conf-${row}`;
const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

function metallbPools(row: string): KubeObject[] {
  return renderPoolObjects(parseIpv4Range('172.18.255.200-172.18.255.250')!, ns(row));
}

function trafficSplit(row: string): KubeObject[] {
  const weights = [70, 30];
  return [
    renderTrafficSplit({ namespace: ns(row), service: 'podinfo' }, [
      { service: 'podinfo', weight: weights[0]! },
      { service: 'podinfo-west', weight: weights[1]! },
    ]),
  ];
}

function httpRoute(row: string): KubeObject[] {
  const [a, b] = equalWeights(2);
  return [
    renderHttpRoute({ namespace: ns(row), service: 'podinfo', port: 9898 }, [
      { service: 'podinfo', weight: a! },
      { service: 'podinfo-west', weight: b! },
    ]),
  ];
}

/**
 * What the linkerd plugin applies in the target cluster for a link: the FAKE linkerd CLI's `multicluster
 * link` (before 2.18) / `link-gen` (2.18+) render, run with the plugin's own argv against a simulated
 * source cluster whose gateway has an address.
 */
function linkRender(version: string, gateway = true): KubeObject[] {
  const state = mkdtempSync(join(workDir, 'fake-state-'));
  mkdirSync(join(state, 'kind', 'clusters', 'east'), { recursive: true });
  writeFileSync(join(state, 'kind', 'clusters', 'east', 'cluster.json'), JSON.stringify({ controlPlaneIp: '172.18.0.2' }));
  mkdirSync(join(state, 'kube', 'kind-east', 'lb'), { recursive: true });
  writeFileSync(join(state, 'kube', 'kind-east', 'lb', 'linkerd-multicluster.linkerd-gateway'), '172.18.255.201');
  const caps = capabilitiesOf(parseLinkerdVersion(version)!);
  const args = linkArgs('kind-east', 'east', caps, gateway, 'https://172.18.0.2:6443');
  const r = spawnSync(FAKE_LINKERD, args, {
    encoding: 'utf8',
    env: { ...process.env, MESHSPEC_FAKE_STATE: state, MESHSPEC_FAKE_LINKERD_VERSION: version },
  });
  expect(r.status, `FAKE linkerd ${args.join(' ')}: ${r.stderr}`).toBe(0);
  return parseManifestText(r.stdout);
}

/** The FAKE CLI's recorded extension renders, reduced to their custom resources (and the namespaces they live in). */
function fakeLinkerdCustomResources(version: string, args: string[][]): KubeObject[] {
  const objects = args.flatMap((a) => {
    const r = spawnSync(FAKE_LINKERD, ['--context', 'c', ...a], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
      env: { ...process.env, MESHSPEC_FAKE_LINKERD_VERSION: version, MESHSPEC_FAKE_CLUSTERS: 'kubeconfig', KUBECONFIG: fakeKubeconfig() },
    });
    expect(r.status, `FAKE linkerd ${a.join(' ')}: ${r.stderr}`).toBe(0);
    return parseManifestText(r.stdout);
  });
  const builtIn =
    /^(v1|apps\/v1|batch\/v1|policy\/v1|rbac\.authorization\.k8s\.io\/v1|admissionregistration\.k8s\.io\/v1|apiregistration\.k8s\.io\/v1|apiextensions\.k8s\.io\/v1)$/;
  return objects.filter((o) => o.kind === 'Namespace' || !builtIn.test(o.apiVersion));
}

function fakeKubeconfig(): string {
  const file = join(workDir, 'fake-kubeconfig');
  writeFileSync(file, 'apiVersion: v1\nkind: Config\ncontexts: [{ name: c, context: { cluster: x, user: y } }]\ncurrent-context: c\n');
  return file;
}

function ingressObjects(row: string): KubeObject[] {
  return [
    renderIngress(resolveExpose({ namespace: ns(row), service: 'frontend', port: 8080 }), 'frontend.east.example', { className: 'nginx' }),
  ];
}

function demoObjects(row: string): KubeObject[] {
  return renderDemo('east', ['east', 'west'], { namespace: ns(row) }, mirrorServiceName);
}

// --- the table ------------------------------------------------------------------------------------------

interface Row {
  /** Short unique id: also the row's namespace suffix. */
  id: string;
  stack: Stack;
  crdSource: string;
  /** Files (in ../shared/conformance) whose CustomResourceDefinitions the row applies; none: built-in APIs only. */
  crdFiles: string[];
  /** Only the CRDs of the files that pass this; default all. */
  crdFilter?: (crd: KubeObject) => boolean;
  producer: string;
  render: (row: string) => KubeObject[];
}

const LINK_CRD = 'links.multicluster.linkerd.io';
/**
 * CRDs this large (Gateway API's carry many versions and CEL rules) take the API server a while to compile
 * and establish, much longer on a loaded 2-core machine: generous waits, and a row's own timeout.
 */
const CRD_WAIT_MS = 240_000;
const ROW_TIMEOUT_MS = 600_000;
const groupOf = (crd: KubeObject) => (crd['spec'] as { group: string }).group;
const ROWS: Row[] = [
  {
    id: 'metallb-0149',
    stack: 'seed',
    crdSource: 'MetalLB v0.14.9 crds.yaml',
    crdFiles: [CONFORMANCE.metallbCrds('v0.14.9')],
    producer: 'plugin-metallb renderPoolObjects (IPAddressPool + L2Advertisement)',
    render: metallbPools,
  },
  {
    id: 'smi-027',
    stack: 'seed',
    crdSource: 'linkerd-smi v0.2.7 trafficsplit-crd.yaml',
    crdFiles: [CONFORMANCE.smiTrafficSplitCrd],
    producer: 'plugin-smi renderTrafficSplit (70/30)',
    render: trafficSplit,
  },
  {
    id: 'l5d213-link',
    stack: 'seed',
    crdSource: 'Linkerd stable-2.13.3 multicluster-install.yaml (Link CRD)',
    crdFiles: [CONFORMANCE.linkerd('stable-2.13.3', 'multicluster-install.yaml')],
    crdFilter: (crd) => crd.metadata.name === LINK_CRD,
    producer: 'FAKE linkerd multicluster link (plugin-linkerd argv, 2.13)',
    render: () => linkRender('stable-2.13.3'),
  },
  {
    id: 'l5d213-ext',
    stack: 'seed',
    crdSource: 'Linkerd stable-2.13.3 install-crds.yaml',
    crdFiles: [CONFORMANCE.linkerd('stable-2.13.3', 'install-crds.yaml')],
    producer: 'FAKE linkerd multicluster install + viz install (recorded; Server, AuthorizationPolicy, ServiceProfile ...)',
    render: () =>
      fakeLinkerdCustomResources('stable-2.13.3', [
        ['multicluster', 'install'],
        ['viz', 'install'],
      ]),
  },
  {
    id: 'ingress',
    stack: 'seed',
    crdSource: 'built-in networking.k8s.io/v1 (kube-apiserver)',
    crdFiles: [],
    producer: 'plugin-ingress renderIngress',
    render: ingressObjects,
  },
  {
    id: 'demo',
    stack: 'seed',
    crdSource: 'built-in core/apps v1 (kube-apiserver)',
    crdFiles: [],
    producer: 'plugin-workloads renderDemo (podinfo, frontend, load generators)',
    render: demoObjects,
  },
  {
    id: 'metallb-0161',
    stack: 'modern',
    crdSource: 'MetalLB v0.16.1 crds.yaml',
    crdFiles: [CONFORMANCE.metallbCrds('v0.16.1')],
    producer: 'plugin-metallb renderPoolObjects (IPAddressPool + L2Advertisement)',
    render: metallbPools,
  },
  {
    id: 'gwapi-121',
    stack: 'modern',
    crdSource: 'Gateway API v1.2.1 standard-crds.yaml',
    crdFiles: [CONFORMANCE.gatewayApiCrds('v1.2.1')],
    producer: 'plugin-smi renderHttpRoute (gateway.networking.k8s.io/v1, Service parentRef)',
    render: httpRoute,
  },
  {
    id: 'l5d220-link',
    stack: 'modern',
    crdSource: 'Linkerd edge-26.6.3 multicluster-install.yaml (Link CRD)',
    crdFiles: [CONFORMANCE.linkerd('edge-26.6.3', 'multicluster-install.yaml')],
    crdFilter: (crd) => crd.metadata.name === LINK_CRD,
    producer: 'FAKE linkerd multicluster link-gen (plugin-linkerd argv, 2.20)',
    render: () => linkRender('edge-26.6.3'),
  },
  {
    id: 'l5d220-link-flat',
    stack: 'modern',
    crdSource: 'Linkerd edge-26.6.3 multicluster-install.yaml (Link CRD)',
    crdFiles: [CONFORMANCE.linkerd('edge-26.6.3', 'multicluster-install.yaml')],
    crdFilter: (crd) => crd.metadata.name === LINK_CRD,
    producer: 'FAKE linkerd multicluster link-gen --gateway=false (plugin-linkerd argv, 2.20; the recorded real Link)',
    render: () => linkRender('edge-26.6.3', false),
  },
  {
    id: 'l5d220-ext',
    stack: 'modern',
    crdSource: 'Linkerd edge-26.6.3 install-crds.yaml',
    crdFiles: [CONFORMANCE.linkerd('edge-26.6.3', 'install-crds.yaml')],
    producer: 'FAKE linkerd multicluster install --set controllers[0].link.ref.name=west + viz install (recorded)',
    render: () =>
      fakeLinkerdCustomResources('edge-26.6.3', [
        ['multicluster', 'install', '--set', 'controllers[0].link.ref.name=west'],
        ['viz', 'install'],
      ]),
  },
  {
    id: 'gwapi-151',
    stack: 'gateway-api-1.5.1',
    crdSource: 'Gateway API v1.5.1 standard-crds.yaml',
    crdFiles: [CONFORMANCE.gatewayApiCrds('v1.5.1')],
    producer: 'plugin-smi renderHttpRoute (gateway.networking.k8s.io/v1, Service parentRef)',
    render: httpRoute,
  },
  {
    id: 'l5d220-gwapi',
    stack: 'linkerd-bundled-gateway-api',
    crdSource: 'Linkerd 2.20 install --crds --set installGatewayAPI=true (bundled Gateway API v1.1.1 experimental)',
    crdFiles: [CONFORMANCE.linkerd('edge-26.6.3', 'install-crds-with-gateway-api.yaml')],
    // Only the bundled Gateway API CRDs: Linkerd's own 2.20 CRDs have their row below.
    crdFilter: (crd) => groupOf(crd) === 'gateway.networking.k8s.io',
    producer: 'plugin-smi renderHttpRoute (gateway.networking.k8s.io/v1, Service parentRef)',
    render: httpRoute,
  },
];

// --- checks -----------------------------------------------------------------------------------------------

/** Paths of `sent` that the stored object lacks or holds differently (the API server prunes unknown fields silently). */
function droppedFields(sent: unknown, stored: unknown, path = ''): string[] {
  if (sent !== null && typeof sent === 'object' && !Array.isArray(sent)) {
    if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return [path || '.'];
    return Object.entries(sent as Record<string, unknown>).flatMap(([k, v]) =>
      droppedFields(v, (stored as Record<string, unknown>)[k], path ? `${path}.${k}` : k),
    );
  }
  if (Array.isArray(sent)) {
    if (!Array.isArray(stored) || stored.length !== sent.length) return [path];
    return sent.flatMap((v, i) => droppedFields(v, stored[i], `${path}[${i}]`));
  }
  return sent === stored ? [] : [path];
}

const refOf = (o: KubeObject) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

describe('conformance integration (real kube-apiserver, real upstream CRDs from ../shared/conformance)', () => {
  it('the droppedFields check names fields the server did not keep', () => {
    expect(droppedFields({ spec: { a: 1, b: [{ c: 'x' }] } }, { spec: { a: 1, b: [{}] } })).toEqual(['spec.b[0].c']);
    expect(droppedFields({ spec: { a: 1 } }, { spec: { a: 1, extra: true } })).toEqual([]);
  });

  it.each(ROWS)(
    '[$stack] $crdSource accepts $producer',
    async (row) => {
      const crds = row.crdFiles.flatMap((f) => conformanceCrds(f)).filter((c) => !row.crdFilter || row.crdFilter(c));
      expect(crds.length > 0 || row.crdFiles.length === 0, `${row.crdSource}: no CRDs found`).toBe(true);
      const crdNames = crds.map((c) => c.metadata.name);
      const kube = await clusterFor(row.stack);
      if (crds.length > 0) {
        await kube.apply(crds);
        for (const name of crdNames) await kube.waitForCrdEstablished(name, { timeoutMs: CRD_WAIT_MS });
      }
      const rendered = row.render(row.id);
      // Namespaces first: the rendered ones, and those the objects live in that the render leaves to others.
      const isNamespace = (o: KubeObject) => o.kind === 'Namespace' && o.apiVersion === 'v1';
      const missing = [...new Set(rendered.map((o) => o.metadata.namespace).filter((n): n is string => !!n))].filter(
        (n) => !rendered.some((o) => isNamespace(o) && o.metadata.name === n),
      );
      const objects = [...missing.map(namespace), ...rendered.filter(isNamespace), ...rendered.filter((o) => !isNamespace(o))];
      const served = new Set(crds.map(groupOf));
      const custom = objects.filter((o) => served.has(o.apiVersion.split('/')[0]!));
      if (crds.length > 0) expect(custom.length, `${row.producer} rendered no object of ${[...served].join(', ')}`).toBeGreaterThan(0);

      for (const object of objects) {
        const error = await kube.apply([object]).then(
          () => undefined,
          (e: Error) => e.message,
        );
        expect(error, `${refOf(object)} (${row.producer}) was rejected by ${row.crdSource}`).toBeUndefined();
        const stored = await kube.get(object.apiVersion, object.kind, object.metadata.name, object.metadata.namespace);
        expect(stored, `${refOf(object)} was not created`).toBeDefined();
        const { metadata: _m, ...sentBody } = object;
        expect(droppedFields(sentBody, stored), `${refOf(object)} (${row.producer}): fields ${row.crdSource} does not keep`).toEqual([]);
      }
    },
    ROW_TIMEOUT_MS,
  );
});
