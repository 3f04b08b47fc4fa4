// The stack plugins' real steps against real kube-apiservers (started by global-setup.ts): a topology
// loaded and validated by core's Session with the real plugins, each step run with a StepContext wired
// from core's real drivers, and every assertion made on objects read back from the API server.
// What needs Docker or the internet (helm charts of MetalLB/ingress-nginx, linkerd-smi) is replaced by the
// CRDs those charts would install (fixtures/crds) — the steps that apply meshspec's own objects run for real.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { formatIpv4, parseIpv4Range, type KubeClient, type KubeObject } from '@meshspec/core';
import { linkerdPlugin, EXPORT_LABEL } from '@meshspec/plugin-linkerd';
import { metallbPlugin, planPools, POOL_NAME, renderPoolObjects, withDefaults as metallbDefaults } from '@meshspec/plugin-metallb';
import { smiPlugin } from '@meshspec/plugin-smi';
import { ingressPlugin, hostFor, ingressOptions } from '@meshspec/plugin-ingress';
import { workloadsPlugin, PODINFO_PORT } from '@meshspec/plugin-workloads';
import { createRealDrivers, fixture, openTopology, StepRunner, type RealDrivers } from './fixtures/real-steps.js';
import { rawRequest } from './harness/raw-request.js';

const kubeconfig = inject('kubeconfig');
const contexts = inject('contexts');
const PLUGINS = [metallbPlugin, linkerdPlugin, smiPlugin, ingressPlugin, workloadsPlugin];

const NS = {
  metallb: 'it-plugins-metallb',
  demo: 'it-plugins-demo',
  split: 'it-plugins-split',
  route: 'it-plugins-route',
  ingress: 'it-plugins-ingress',
  lb: 'it-plugins-lb',
} as const;
const DOCKER_SUBNET = '172.18.0.0/16';

/** Two clusters named unlike their contexts, so every step must go through contextOf. */
function topologyYaml(linkerdVersion: string, smi: string): string {
  return `apiVersion: meshspec.dev/v1alpha1
kind: Topology
metadata: { name: it-plugins }
clusters:
  east: { context: ${contexts[0]} }
  west: { context: ${contexts[1]} }
metallb:
  namespace: ${NS.metallb}
  dockerSubnet: ${DOCKER_SUBNET}
linkerd:
  version: ${linkerdVersion}
  export:
  - { namespace: ${NS.demo}, service: podinfo }
  - { namespace: ${NS.split}, service: podinfo }
  - { namespace: ${NS.route}, service: podinfo }
smi:
${smi}
ingress:
  expose: [{ namespace: ${NS.ingress}, service: frontend, port: 8080 }]
workloads:
  demo: { namespace: ${NS.demo} }
`;
}

let drivers: RealDrivers;
/** Linkerd 2.13: SMI TrafficSplit with explicit 70/30 backends. */
let smiSteps: StepRunner;
/** Linkerd 2.18: Gateway API HTTPRoute with default (equal) backends. */
let routeSteps: StepRunner;
let east: KubeClient;
let west: KubeClient;

const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const specOf = <T>(o: KubeObject | undefined) => o?.['spec'] as T;

beforeAll(async () => {
  expect(contexts.length, 'these tests need two clusters (MESHSPEC_IT_CLUSTERS >= 2)').toBeGreaterThanOrEqual(2);
  drivers = createRealDrivers({ kubeconfig, binDir: inject('binDir'), helm: inject('helm') });
  smiSteps = new StepRunner(
    await openTopology(
      topologyYaml(
        'stable-2.13.3',
        `  splits:\n  - namespace: ${NS.split}\n    service: podinfo\n    backends: [{ cluster: east, weight: 70 }, { cluster: west, weight: 30 }]`,
      ),
      PLUGINS,
      drivers,
    ),
    drivers,
  );
  routeSteps = new StepRunner(
    await openTopology(topologyYaml('version-2.18', `  splits: [{ namespace: ${NS.route}, service: podinfo }]`), PLUGINS, drivers),
    drivers,
  );
  east = smiSteps.kube('east');
  west = smiSteps.kube('west');
});

describe('stack plugins integration (real kube-apiserver, real steps)', () => {
  it('metallb: the pools step applies each cluster its own carved range (read back), and re-applying changes nothing', async () => {
    const expected = planPools(['east', 'west'], metallbDefaults({ dockerSubnet: DOCKER_SUBNET }), { subnet: DOCKER_SUBNET });
    for (const [cluster, kube] of [
      ['east', east],
      ['west', west],
    ] as const) {
      // What the MetalLB chart would have created before the pools step runs.
      await kube.apply(fixture('crds/metallb.yaml'));
      await kube.apply([namespace(NS.metallb)]);
      const outputs = await smiSteps.run(`metallb:pools@${cluster}`);
      const range = expected.find((p) => p.cluster === cluster)!.range;
      expect(outputs).toEqual({ range: `${formatIpv4(range.start)}-${formatIpv4(range.end)}` });

      const pool = await kube.get('metallb.io/v1beta1', 'IPAddressPool', POOL_NAME, NS.metallb);
      expect(specOf<{ addresses: string[] }>(pool).addresses).toEqual([outputs['range']]);
      const l2 = await kube.get('metallb.io/v1beta1', 'L2Advertisement', POOL_NAME, NS.metallb);
      expect(specOf<{ ipAddressPools: string[] }>(l2).ipAddressPools).toEqual([POOL_NAME]);

      // Unchanged objects: the same render applies as unchanged, and running the step again writes nothing.
      const again = await kube.apply(renderPoolObjects(parseIpv4Range(outputs['range'] as string)!, NS.metallb));
      expect(again.objects.map((o) => o.outcome)).toEqual(['unchanged', 'unchanged']);
      await smiSteps.run(`metallb:pools@${cluster}`);
      expect((await kube.get('metallb.io/v1beta1', 'IPAddressPool', POOL_NAME, NS.metallb))?.metadata['resourceVersion']).toBe(
        pool?.metadata['resourceVersion'],
      );
    }
    // Each cluster holds only its own range, and the two never overlap.
    const ranges = await Promise.all(
      [east, west].map(
        async (k) =>
          specOf<{ addresses: string[] }>(await k.get('metallb.io/v1beta1', 'IPAddressPool', POOL_NAME, NS.metallb)).addresses[0]!,
      ),
    );
    expect(new Set(ranges).size).toBe(2);
    const [a, b] = ranges.map((r) => parseIpv4Range(r)!);
    expect(a!.end < b!.start || b!.end < a!.start).toBe(true);
  });

  it('smi (Linkerd 2.13): TrafficSplit per cluster with the same global 70/30 distribution, weights read back', async () => {
    for (const kube of [east, west]) {
      await kube.apply(fixture('crds/smi-trafficsplit.yaml'));
      await kube.apply([namespace(NS.split)]);
    }
    for (const cluster of ['east', 'west']) {
      const outputs = await smiSteps.run(`smi:split:${NS.split}/podinfo@${cluster}`);
      expect(outputs['kind']).toBe('TrafficSplit');
    }
    const splitOf = async (kube: KubeClient) =>
      specOf<{ service: string; backends: { service: string; weight: number }[] }>(
        await kube.get('split.smi-spec.io/v1alpha1', 'TrafficSplit', 'podinfo', NS.split),
      );
    expect(await splitOf(east)).toEqual({
      service: 'podinfo',
      backends: [
        { service: 'podinfo', weight: 70 },
        { service: 'podinfo-west', weight: 30 },
      ],
    });
    expect(await splitOf(west)).toEqual({
      service: 'podinfo',
      backends: [
        { service: 'podinfo-east', weight: 70 },
        { service: 'podinfo', weight: 30 },
      ],
    });
  });

  // The API server returns custom resources with sorted keys ({backends, service} vs the rendered
  // {service, backends}): status() must compare specs regardless of key order.
  it('smi (Linkerd 2.13): status() recognises the TrafficSplit it applied', async () => {
    for (const kube of [east, west]) {
      await kube.apply(fixture('crds/smi-trafficsplit.yaml'));
      await kube.apply([namespace(NS.split)]);
    }
    await smiSteps.run(`smi:split:${NS.split}/podinfo@east`);
    expect(await smiSteps.status(`smi:split:${NS.split}/podinfo@east`)).toBe(true);
  });

  it('smi (Linkerd 2.18): HTTPRoute attached to the Service with equal weights to local and mirror, read back', async () => {
    for (const kube of [east, west]) {
      await kube.apply(fixture('crds/gateway-httproute.yaml'));
      await kube.apply([namespace(NS.route)]);
    }
    for (const cluster of ['east', 'west']) {
      const outputs = await routeSteps.run(`smi:split:${NS.route}/podinfo@${cluster}`);
      expect(outputs['kind']).toBe('HTTPRoute');
    }
    interface Route {
      parentRefs: unknown[];
      rules: { backendRefs: { name: string; port: number; weight: number }[] }[];
    }
    const eastRoute = specOf<Route>(await east.get('gateway.networking.k8s.io/v1', 'HTTPRoute', 'podinfo', NS.route));
    expect(eastRoute.parentRefs).toEqual([{ group: 'core', kind: 'Service', name: 'podinfo', port: PODINFO_PORT }]);
    expect(eastRoute.rules[0]!.backendRefs).toEqual([
      { name: 'podinfo', port: PODINFO_PORT, weight: 50 },
      { name: 'podinfo-west', port: PODINFO_PORT, weight: 50 },
    ]);
    const westRoute = specOf<Route>(await west.get('gateway.networking.k8s.io/v1', 'HTTPRoute', 'podinfo', NS.route));
    expect(westRoute.rules[0]!.backendRefs.map((b) => [b.name, b.weight])).toEqual([
      ['podinfo', 50],
      ['podinfo-east', 50],
    ]);
    expect(await routeSteps.status(`smi:split:${NS.route}/podinfo@west`)).toBe(true);
  });

  it('ingress: the route step applies a service-upstream Ingress with a per-cluster host (built-in networking.k8s.io/v1)', async () => {
    const hosts: string[] = [];
    for (const [cluster, kube, context] of [
      ['east', east, contexts[0]!],
      ['west', west, contexts[1]!],
    ] as const) {
      await kube.apply([namespace(NS.ingress)]);
      const outputs = await smiSteps.run(`ingress:route:${NS.ingress}/frontend@${cluster}`);
      const host = hostFor(ingressOptions().hostPattern, { service: 'frontend', namespace: NS.ingress, cluster, context });
      expect(outputs).toEqual({ host, url: `http://${host}/` });

      const ingress = await kube.get('networking.k8s.io/v1', 'Ingress', 'frontend', NS.ingress);
      expect(ingress?.metadata.annotations?.['nginx.ingress.kubernetes.io/service-upstream']).toBe('true');
      interface Spec {
        ingressClassName: string;
        rules: { host: string; http: { paths: { path: string; backend: { service: { name: string; port: { number: number } } } }[] } }[];
      }
      const spec = specOf<Spec>(ingress);
      expect(spec.ingressClassName).toBe('nginx');
      expect(spec.rules.map((r) => r.host)).toEqual([host]);
      expect(spec.rules[0]!.http.paths[0]!.backend.service).toEqual({ name: 'frontend', port: { number: 8080 } });
      expect(await smiSteps.status(`ingress:route:${NS.ingress}/frontend@${cluster}`)).toBe(true);
      hosts.push(host);
    }
    expect(new Set(hosts).size).toBe(2);
  });

  it('workloads: the demo step applies podinfo + frontend in both clusters and its rollout waits really complete (kwok)', async () => {
    expect(
      inject('controllers'),
      'rollouts need kube-controller-manager, kube-scheduler and kwok: run `bash scripts/test-assets/provision.sh`',
    ).toBe(true);
    for (const cluster of ['east', 'west']) {
      expect(await smiSteps.status(`workloads:demo@${cluster}`)).toBe(false);
      expect(await smiSteps.run(`workloads:demo@${cluster}`)).toEqual({ namespace: NS.demo, services: ['podinfo', 'frontend'] });
    }
    for (const [cluster, other, kube] of [
      ['east', 'west', east],
      ['west', 'east', west],
    ] as const) {
      for (const name of ['podinfo', 'frontend']) {
        const d = (await kube.get('apps/v1', 'Deployment', name, NS.demo)) as KubeObject & {
          metadata: { generation: number };
          status: { observedGeneration: number; availableReplicas: number; updatedReplicas: number };
        };
        expect(d.status.observedGeneration, `${cluster} ${name}`).toBeGreaterThanOrEqual(d.metadata.generation);
        expect(d.status.availableReplicas, `${cluster} ${name}`).toBe(1);
        expect(d.status.updatedReplicas, `${cluster} ${name}`).toBe(1);
      }
      // The pods really exist, scheduled onto the fake node and Ready.
      const pods = await kube.list('v1', 'Pod', NS.demo, 'app=podinfo');
      expect(pods.map((p) => (p['status'] as { phase: string }).phase)).toEqual(['Running']);
      // Per-cluster content survived the round trip: podinfo names its cluster, nginx routes to the other's mirror.
      const podinfo = specOf<{ template: { spec: { containers: { env: { name: string; value: string }[] }[] } } }>(
        await kube.get('apps/v1', 'Deployment', 'podinfo', NS.demo),
      );
      expect(podinfo.template.spec.containers[0]!.env).toContainEqual({ name: 'PODINFO_UI_MESSAGE', value: cluster });
      const conf = ((await kube.get('v1', 'ConfigMap', 'frontend', NS.demo))?.['data'] as Record<string, string>)['nginx.conf'];
      expect(conf).toContain(`podinfo-${other}.${NS.demo}.svc.cluster.local`);
      expect(await smiSteps.status(`workloads:demo@${cluster}`)).toBe(true);
    }
  });

  it('linkerd export: the export step labels the demo podinfo Service for mirroring, in its own cluster only', async () => {
    // Self-contained: the demo step is idempotent (applies unchanged objects, rollouts already complete).
    await smiSteps.run('workloads:demo@east');
    await smiSteps.run('workloads:demo@west');
    const id = `linkerd:export:${NS.demo}/podinfo@east`;
    expect(await smiSteps.status(id)).toBe(false);
    await smiSteps.run(id);
    expect((await east.get('v1', 'Service', 'podinfo', NS.demo))?.metadata.labels?.[EXPORT_LABEL]).toBe('true');
    expect((await west.get('v1', 'Service', 'podinfo', NS.demo))?.metadata.labels?.[EXPORT_LABEL]).toBeUndefined();
    expect(await smiSteps.status(id)).toBe(true);
    // The label is merged: the labels the demo step applied are still there.
    expect((await east.get('v1', 'Service', 'podinfo', NS.demo))?.metadata.labels?.['app']).toBe('podinfo');
  });

  it('load balancer: waitForLoadBalancer returns the address MetalLB (played by the test) assigns from the applied pool', async () => {
    await east.apply(fixture('crds/metallb.yaml'));
    await east.apply([namespace(NS.metallb)]);
    await smiSteps.run('metallb:pools@east');
    const range = parseIpv4Range(
      specOf<{ addresses: string[] }>(await east.get('metallb.io/v1beta1', 'IPAddressPool', POOL_NAME, NS.metallb)).addresses[0]!,
    )!;
    const address = formatIpv4(range.start);

    await east.apply([
      namespace(NS.lb),
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'linkerd-gateway', namespace: NS.lb },
        spec: {
          type: 'LoadBalancer',
          selector: { app: 'linkerd-gateway' },
          ports: [
            { name: 'mc-gateway', port: 4143 },
            { name: 'mc-probe', port: 4191 },
          ],
        },
      },
    ]);
    const waiting = east.waitForLoadBalancer('linkerd-gateway', NS.lb, { timeoutMs: 30_000, intervalMs: 200 });
    await new Promise((r) => setTimeout(r, 500));
    const patched = await rawRequest(
      kubeconfig,
      contexts[0]!,
      'PATCH',
      `/api/v1/namespaces/${NS.lb}/services/linkerd-gateway/status`,
      { status: { loadBalancer: { ingress: [{ ip: address, ipMode: 'VIP' }] } } },
      'application/merge-patch+json',
    );
    expect(patched.status).toBe(200);
    expect(await waiting).toBe(address);
    const svc = await east.get('v1', 'Service', 'linkerd-gateway', NS.lb);
    expect((svc?.['status'] as { loadBalancer: { ingress: { ip: string }[] } }).loadBalancer.ingress[0]!.ip).toBe(address);
  });
});
