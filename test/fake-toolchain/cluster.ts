// The Kubernetes side of the fake toolchain: one MemoryKube per kind cluster the fake `kind` created, with
// just enough controllers to make meshspec's waits satisfiable the way a real cluster would:
// - helm: a release recorded by the fake `helm` is applied (and removed on uninstall), like helm would;
// - endpoints: a Service whose selector matches a workload gets a ready Endpoints object;
// - service-account tokens: a `kubernetes.io/service-account-token` Secret gets its token once its
//   ServiceAccount exists, and is deleted when that ServiceAccount is missing (kube-controller-manager's token controller);
// - MetalLB: once its controller runs and an IPAddressPool exists, LoadBalancer Services get an address
//   from the pool (published to the fake state so `linkerd multicluster link` can read it);
// - Linkerd service mirror: a Link whose credentials point at a reachable cluster mirrors that cluster's
//   exported Services as `<svc>-<link>` (with the remote gateway as endpoint through a gateway link;
//   remote-discovery ones without local endpoints) and federated members as one `<svc>-federated`.
// The API also refuses what a real one refuses and meshspec could get wrong: unreachable clusters (not
// created yet or deleted), custom resources without their CRD, objects in a missing namespace.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeError } from '../../packages/core/src/errors.js';
import { syncImagePulls } from './image-pulls.js';
import type {
  ApplyOptions,
  ApplyResult,
  KubeClient,
  KubeClientFactory,
  KubeObject,
  WaitOptions,
} from '../../packages/core/src/kube/types.js';
import { formatIpv4, parseIpv4Range } from '../../packages/core/src/net/index.js';
import { MemoryKube, parseManifests } from '../../packages/core/src/testing/memory-kube.js';
import { imagesOf, pullImages } from './lib/images.mjs';

interface KindRecord {
  name: string;
  context: string;
  controlPlaneIp: string;
  uid: string;
  /** Registries its containerd pulls through a mirror for (fake kind's `mirrorsOf`). */
  mirrors?: string[];
  networking?: { podSubnet?: string };
}

interface HelmRecord {
  name: string;
  namespace: string;
  version: number;
  manifest: string;
  fake?: { createNamespace?: boolean };
}

interface LiveCluster {
  record: KindRecord;
  kube: MemoryKube;
  /** `<ns>/<release>` -> revision applied and the objects it created. */
  releases: Map<string, { revision: number; objects: KubeObject[] }>;
  nextPodIp: number;
}

const BUILTIN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'local-path-storage'];
const MIRROR_LABEL = 'mirror.linkerd.io/cluster-name';
const CONTROLLER_MARK = 'fake-toolchain.meshspec.dev/controller';

type Service = KubeObject & {
  spec?: { type?: string; selector?: Record<string, string>; ports?: { name?: string; port: number; targetPort?: number | string }[] };
  status?: { loadBalancer?: { ingress?: { ip?: string }[] } };
};

export interface FakeClustersOptions {
  /** Time of one image pull from the internet (ms), paid when a rollout waits for a new image; default 0. */
  pullMs?: number;
}

export class FakeClusters implements KubeClientFactory {
  private readonly live = new Map<string, LiveCluster>();
  /** Per context: kubelet pulls one image at a time (serializeImagePulls), so pulls queue up per cluster. */
  private readonly pulling = new Map<string, Promise<unknown>>();

  constructor(
    private readonly fakeStateDir: string,
    private readonly options: FakeClustersOptions = {},
  ) {}

  /** A rollout of `workload` in `context` waits until its images are pulled (see lib/images.mjs). */
  async pullFor(context: string, workload: KubeObject | undefined): Promise<void> {
    const pullMs = this.options.pullMs ?? 0;
    const live = this.live.get(context);
    if (!workload || !live) return;
    const images = imagesOf([workload]);
    const previous = this.pulling.get(context) ?? Promise.resolve();
    const mine = previous.then(() =>
      pullImages(this.fakeStateDir, context, images, { mirrored: (live.record.mirrors ?? []).length > 0, pullMs }),
    );
    this.pulling.set(
      context,
      mine.catch(() => undefined),
    );
    await mine;
  }

  forContext(context: string): KubeClient {
    return new SimulatedClient(this, context);
  }

  /** The objects of the cluster behind `context` now (controllers run first); undefined when it does not exist. */
  async cluster(context: string): Promise<MemoryKube | undefined> {
    await this.reconcile();
    return this.live.get(context)?.kube;
  }

  /** The client for a context, or the error a client gets from an API server that is not there. */
  async require(context: string): Promise<MemoryKube> {
    await this.reconcile();
    const live = this.live.get(context);
    if (!live)
      throw new KubeError(`cannot reach the API server of context ${context}: connect: connection refused (no such kind cluster)`, {
        context,
      });
    return live.kube;
  }

  /** Runs every controller once over every cluster (cheap: a few dozen objects). */
  async reconcile(): Promise<void> {
    this.syncClusters();
    for (const live of this.live.values()) {
      await this.syncHelm(live);
      await this.syncEndpoints(live);
      await this.syncServiceAccountTokens(live);
      await this.syncLoadBalancers(live);
      await syncImagePulls(this.fakeStateDir, live.kube, live.record.name);
    }
    for (const live of this.live.values()) await this.syncMirrors(live);
  }

  private syncClusters(): void {
    const dir = join(this.fakeStateDir, 'kind', 'clusters');
    const present = new Map<string, KindRecord>();
    for (const name of safeReaddir(dir)) {
      const record = readJson<KindRecord>(join(dir, name, 'cluster.json'));
      if (record) present.set(record.context, record);
    }
    for (const [context, live] of this.live) {
      if (present.get(context)?.uid !== live.record.uid) {
        this.live.delete(context);
        rmSync(join(this.fakeStateDir, 'kube', context), { recursive: true, force: true });
      }
    }
    for (const [context, record] of present) {
      if (this.live.has(context)) continue;
      const kube = new MemoryKube(context);
      for (const ns of BUILTIN_NAMESPACES) void kube.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }]);
      this.live.set(context, { record, kube, releases: new Map(), nextPodIp: 10 });
    }
  }

  private async syncHelm(live: LiveCluster): Promise<void> {
    const base = join(this.fakeStateDir, 'helm', live.record.context);
    const seen = new Set<string>();
    for (const ns of safeReaddir(base)) {
      for (const file of safeReaddir(join(base, ns))) {
        const record = readJson<HelmRecord>(join(base, ns, file));
        if (!record) continue;
        const key = `${record.namespace}/${record.name}`;
        seen.add(key);
        if (live.releases.get(key)?.revision === record.version) continue;
        const objects = parseManifests(record.manifest);
        if (record.fake?.createNamespace)
          await live.kube.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: record.namespace } }]);
        await live.kube.apply(objects, { defaultNamespace: record.namespace });
        live.releases.set(key, { revision: record.version, objects });
      }
    }
    for (const [key, release] of live.releases) {
      if (seen.has(key)) continue;
      const ns = key.split('/')[0]!;
      for (const o of release.objects)
        await live.kube.delete(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace ?? (isClusterScoped(o.kind) ? undefined : ns));
      live.releases.delete(key);
    }
  }

  /** The endpoints controller, for pods that are always ready: a matching workload = one ready address. */
  private async syncEndpoints(live: LiveCluster): Promise<void> {
    const services = (await live.kube.list('v1', 'Service')) as Service[];
    const workloads = [
      ...(await live.kube.list('apps/v1', 'Deployment')),
      ...(await live.kube.list('apps/v1', 'DaemonSet')),
      ...(await live.kube.list('apps/v1', 'StatefulSet')),
    ];
    for (const svc of services) {
      const selector = svc.spec?.selector;
      if (!selector || Object.keys(selector).length === 0) continue;
      const ns = svc.metadata.namespace;
      const backed = workloads.some((w) => {
        const labels =
          (w as { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } }).spec?.template?.metadata?.labels ?? {};
        return w.metadata.namespace === ns && Object.entries(selector).every(([k, v]) => labels[k] === v);
      });
      const existing = await live.kube.get('v1', 'Endpoints', svc.metadata.name, ns);
      if (backed && !existing) {
        const ip = `10.244.0.${live.nextPodIp++}`;
        await live.kube.apply([
          {
            apiVersion: 'v1',
            kind: 'Endpoints',
            metadata: { name: svc.metadata.name, ...(ns ? { namespace: ns } : {}), labels: { [CONTROLLER_MARK]: 'endpoints' } },
            subsets: [
              {
                addresses: [{ ip }],
                ports: (svc.spec?.ports ?? []).map((p) => ({
                  ...(p.name ? { name: p.name } : {}),
                  port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
                })),
              },
            ],
          },
        ]);
      } else if (!backed && existing?.metadata.labels?.[CONTROLLER_MARK] === 'endpoints') {
        await live.kube.delete('v1', 'Endpoints', svc.metadata.name, ns);
      }
    }
  }

  /** The token controller: fills token Secrets whose ServiceAccount exists, deletes those whose ServiceAccount does not. */
  private async syncServiceAccountTokens(live: LiveCluster): Promise<void> {
    for (const secret of await live.kube.list('v1', 'Secret')) {
      if ((secret as { type?: string }).type !== 'kubernetes.io/service-account-token') continue;
      const ns = secret.metadata.namespace;
      const account = secret.metadata.annotations?.['kubernetes.io/service-account.name'];
      if (!account || !(await live.kube.get('v1', 'ServiceAccount', account, ns))) {
        await live.kube.delete('v1', 'Secret', secret.metadata.name, ns);
        continue;
      }
      const data = (secret['data'] ?? {}) as Record<string, string>;
      if (data['token']) continue;
      const token = Buffer.from(`eyJhbGciOiJSUzI1NiJ9.fake-token-for-${ns}-${account}`).toString('base64');
      await live.kube.apply([{ ...secret, data: { ...data, token } }]);
    }
  }

  /** MetalLB's controller: addresses from IPAddressPools (in order) to LoadBalancer Services that have none. */
  private async syncLoadBalancers(live: LiveCluster): Promise<void> {
    const lbDir = join(this.fakeStateDir, 'kube', live.record.context, 'lb');
    const services = ((await live.kube.list('v1', 'Service')) as Service[]).filter((s) => s.spec?.type === 'LoadBalancer');
    // Published for the fake linkerd CLI, which reads the gateway address "from the API". Files are
    // replaced atomically and only stale ones removed: a CLI may be reading while this runs.
    mkdirSync(lbDir, { recursive: true });
    const published = new Set<string>();
    const controllerRuns = (await live.kube.list('apps/v1', 'Deployment')).some((d) => d.metadata.name === 'metallb-controller');
    const pools = controllerRuns ? await live.kube.list('metallb.io/v1beta1', 'IPAddressPool') : [];
    const used = new Set(services.map((s) => s.status?.loadBalancer?.ingress?.[0]?.ip).filter((ip): ip is string => !!ip));
    for (const svc of services) {
      let ip = svc.status?.loadBalancer?.ingress?.[0]?.ip;
      if (!ip) {
        ip = freeAddress(pools, used);
        if (ip) {
          used.add(ip);
          svc.status = { loadBalancer: { ingress: [{ ip }] } };
        }
      }
      if (ip) {
        const file = `${svc.metadata.namespace}.${svc.metadata.name}`;
        published.add(file);
        const path = join(lbDir, file);
        if (readText(path) !== `${ip}\n`) {
          writeFileSync(`${path}.tmp`, `${ip}\n`);
          renameSync(`${path}.tmp`, path);
        }
      }
    }
    for (const file of safeReaddir(lbDir)) if (!published.has(file) && !file.endsWith('.tmp')) rmSync(join(lbDir, file), { force: true });
  }

  /**
   * Linkerd's service mirror: Services of the linked cluster matching the Link's `selector` (gateway
   * links only: a gateway-less Link has none) appear as `<svc>-<link>` with the remote gateway as
   * endpoint; those matching `remoteDiscoverySelector` as `<svc>-<link>` without local endpoints,
   * labelled remote-discovery; those matching `federatedServiceSelector` join one `<svc>-federated`
   * (labels and annotations as linkerd2's service-mirror/cluster_watcher.go writes them).
   */
  private async syncMirrors(live: LiveCluster): Promise<void> {
    const links = [
      ...(await live.kube.list('multicluster.linkerd.io/v1alpha1', 'Link')),
      ...(await live.kube.list('multicluster.linkerd.io/v1alpha3', 'Link')),
    ];
    type Selector = { matchLabels?: Record<string, string> } | undefined;
    const wanted = new Map<string, { svc: Service; link: KubeObject; kind: 'gateway' | 'remote-discovery' }>();
    const federated = new Map<string, { svc: Service; members: string[] }>();
    const matching = async (source: LiveCluster, selector: Selector) =>
      selector?.matchLabels
        ? ((await source.kube.list(
            'v1',
            'Service',
            undefined,
            Object.entries(selector.matchLabels)
              .map(([k, v]) => `${k}=${v}`)
              .join(','),
          )) as Service[])
        : [];
    for (const link of links) {
      const spec =
        (
          link as {
            spec?: {
              clusterCredentialsSecret?: string;
              targetClusterName?: string;
              selector?: Selector;
              remoteDiscoverySelector?: Selector;
              federatedServiceSelector?: Selector;
            };
          }
        ).spec ?? {};
      const secret = spec.clusterCredentialsSecret
        ? await live.kube.get('v1', 'Secret', spec.clusterCredentialsSecret, link.metadata.namespace)
        : undefined;
      const source = this.clusterAt(serverOf(secret));
      if (!source) continue; // unreachable API server (e.g. 127.0.0.1 from inside a kind node): nothing mirrored
      for (const svc of await matching(source, spec.selector))
        wanted.set(`${svc.metadata.namespace}/${svc.metadata.name}-${spec.targetClusterName}`, { svc, link, kind: 'gateway' });
      for (const svc of await matching(source, spec.remoteDiscoverySelector))
        wanted.set(`${svc.metadata.namespace}/${svc.metadata.name}-${spec.targetClusterName}`, { svc, link, kind: 'remote-discovery' });
      for (const svc of await matching(source, spec.federatedServiceSelector)) {
        const ref = `${svc.metadata.namespace}/${svc.metadata.name}-federated`;
        const entry = federated.get(ref) ?? { svc, members: [] };
        entry.members.push(`${svc.metadata.name}@${spec.targetClusterName}`);
        federated.set(ref, entry);
      }
    }
    for (const [ref, { svc, members }] of federated) {
      const [ns, name] = ref.split('/') as [string, string];
      if (!(await live.kube.get('v1', 'Namespace', ns))) continue;
      await live.kube.apply([
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: {
            name,
            namespace: ns,
            labels: { 'mirror.linkerd.io/mirrored-service': 'true' },
            annotations: { 'multicluster.linkerd.io/remote-discovery': members.sort().join(',') },
          },
          spec: { ports: (svc.spec?.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port })) },
        },
      ]);
    }
    for (const [ref, { svc, link, kind }] of wanted) {
      const [ns, name] = ref.split('/') as [string, string];
      if (!(await live.kube.get('v1', 'Namespace', ns))) continue;
      const spec = (link as unknown as { spec: { gatewayAddress?: string; gatewayPort?: string; targetClusterName: string } }).spec;
      if (kind === 'remote-discovery') {
        // Endpoints come from the remote cluster's API (pod-to-pod): the mirror has none here.
        const labels = {
          'mirror.linkerd.io/mirrored-service': 'true',
          [MIRROR_LABEL]: spec.targetClusterName,
          'multicluster.linkerd.io/remote-discovery': spec.targetClusterName,
          'multicluster.linkerd.io/remote-service': svc.metadata.name,
        };
        await live.kube.apply([
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name, namespace: ns, labels },
            spec: { ports: (svc.spec?.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port })) },
          },
        ]);
        continue;
      }
      await live.kube.apply([
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: {
            name,
            namespace: ns,
            labels: { 'mirror.linkerd.io/mirrored-service': 'true', [MIRROR_LABEL]: spec.targetClusterName },
            annotations: { 'mirror.linkerd.io/remote-svc-fq-name': `${svc.metadata.name}.${ns}.svc.cluster.local` },
          },
          spec: { ports: (svc.spec?.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port })) },
        },
        {
          apiVersion: 'v1',
          kind: 'Endpoints',
          metadata: { name, namespace: ns, labels: { [MIRROR_LABEL]: spec.targetClusterName } },
          subsets: [
            {
              addresses: [{ ip: spec.gatewayAddress ?? '' }],
              ports: (svc.spec?.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: Number(spec.gatewayPort ?? 4143) })),
            },
          ],
        },
      ]);
    }
    for (const svc of await live.kube.list('v1', 'Service')) {
      const ref = `${svc.metadata.namespace}/${svc.metadata.name}`;
      if (svc.metadata.labels?.['mirror.linkerd.io/mirrored-service'] === 'true' && !wanted.has(ref) && !federated.has(ref)) {
        await live.kube.delete('v1', 'Service', svc.metadata.name, svc.metadata.namespace);
        await live.kube.delete('v1', 'Endpoints', svc.metadata.name, svc.metadata.namespace);
      }
    }
  }

  private clusterAt(server: string | undefined): LiveCluster | undefined {
    const host = server ? /^https:\/\/([\d.]+):6443$/.exec(server)?.[1] : undefined;
    return [...this.live.values()].find((l) => l.record.controlPlaneIp === host);
  }
}

/** A KubeClient bound to one context of the simulation. */
class SimulatedClient implements KubeClient {
  constructor(
    private readonly world: FakeClusters,
    readonly context: string,
  ) {}

  async apply(objects: KubeObject[] | string, options: ApplyOptions = {}): Promise<ApplyResult> {
    const kube = await this.world.require(this.context);
    const list = typeof objects === 'string' ? parseManifests(objects) : objects;
    await refuseLikeAnApiServer(kube, list, options, this.context);
    // Like the real client: namespaces and CRDs first.
    const rank = (o: KubeObject) => (o.kind === 'Namespace' ? 0 : o.kind === 'CustomResourceDefinition' ? 1 : 2);
    const result = await kube.apply(
      [...list].sort((a, b) => rank(a) - rank(b)),
      options,
    );
    await this.world.reconcile();
    return result;
  }

  async get(apiVersion: string, kind: string, name: string, namespace?: string) {
    return (await this.world.require(this.context)).get(apiVersion, kind, name, namespace);
  }

  async list(apiVersion: string, kind: string, namespace?: string, labelSelector?: string) {
    return (await this.world.require(this.context)).list(apiVersion, kind, namespace, labelSelector);
  }

  async delete(apiVersion: string, kind: string, name: string, namespace?: string) {
    const deleted = await (await this.world.require(this.context)).delete(apiVersion, kind, name, namespace);
    await this.world.reconcile();
    return deleted;
  }

  async label(apiVersion: string, kind: string, name: string, namespace: string | undefined, labels: Record<string, string | null>) {
    await (await this.world.require(this.context)).label(apiVersion, kind, name, namespace, labels);
    await this.world.reconcile();
  }

  async waitForCrdEstablished(name: string) {
    return (await this.world.require(this.context)).waitForCrdEstablished(name);
  }

  async waitForRollout(kind: 'Deployment' | 'DaemonSet' | 'StatefulSet', name: string, namespace: string) {
    const kube = await this.world.require(this.context);
    await this.world.pullFor(this.context, await kube.get('apps/v1', kind, name, namespace));
    return kube.waitForRollout(kind, name, namespace);
  }

  async waitForLoadBalancer(name: string, namespace: string) {
    return (await this.world.require(this.context)).waitForLoadBalancer(name, namespace);
  }

  async waitFor(
    apiVersion: string,
    kind: string,
    name: string,
    namespace: string | undefined,
    predicate: (o: KubeObject | undefined) => boolean,
    options: WaitOptions & { description?: string } = {},
  ) {
    return (await this.world.require(this.context)).waitFor(apiVersion, kind, name, namespace, predicate, options);
  }
}

/** Groups served by every API server; anything else needs a CRD. */
function isBuiltinGroup(group: string): boolean {
  if (group === 'gateway.networking.k8s.io') return false;
  return ['', 'apps', 'batch', 'policy', 'autoscaling'].includes(group) || group.endsWith('.k8s.io');
}

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'IngressClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
  'PriorityClass',
  'StorageClass',
  'Node',
  'PersistentVolume',
]);
const isClusterScoped = (kind: string) => CLUSTER_SCOPED.has(kind);

async function refuseLikeAnApiServer(kube: MemoryKube, list: KubeObject[], options: ApplyOptions, context: string): Promise<void> {
  const crds = [
    ...(await kube.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')),
    ...list.filter((o) => o.kind === 'CustomResourceDefinition'),
  ];
  const namespaces = new Set(
    [...(await kube.list('v1', 'Namespace')), ...list.filter((o) => o.kind === 'Namespace')].map((n) => n.metadata.name),
  );
  for (const o of list) {
    const [group, version] = o.apiVersion.includes('/') ? (o.apiVersion.split('/') as [string, string]) : ['', o.apiVersion];
    if (!isBuiltinGroup(group)) {
      const served = crds.some((c) => {
        const spec = (c as { spec?: { group?: string; names?: { kind?: string }; versions?: { name: string; served?: boolean }[] } }).spec;
        return (
          spec?.group === group &&
          spec.names?.kind === o.kind &&
          (spec.versions ?? []).some((v) => v.name === version && v.served !== false)
        );
      });
      if (!served)
        throw new KubeError(`no matches for kind "${o.kind}" in version "${o.apiVersion}" (is its CRD installed?)`, {
          context,
          object: `${o.kind}/${o.metadata.name}`,
        });
    }
    const ns = o.metadata.namespace ?? (isClusterScoped(o.kind) ? undefined : options.defaultNamespace);
    if (ns && !namespaces.has(ns))
      throw new KubeError(`namespaces "${ns}" not found`, { context, object: `${o.kind}/${ns}/${o.metadata.name}`, reason: 'NotFound' });
  }
}

function freeAddress(pools: KubeObject[], used: Set<string>): string | undefined {
  for (const pool of pools) {
    for (const entry of (pool as { spec?: { addresses?: string[] } }).spec?.addresses ?? []) {
      const range = parseIpv4Range(entry);
      if (!range) continue;
      for (let a = range.start; a <= range.end; a++) {
        const ip = formatIpv4(a);
        if (!used.has(ip)) return ip;
      }
    }
  }
  return undefined;
}

function serverOf(secret: KubeObject | undefined): string | undefined {
  const data = (secret as { data?: { kubeconfig?: string } } | undefined)?.data?.kubeconfig;
  if (!data) return undefined;
  return /server:\s*(\S+)/.exec(Buffer.from(data, 'base64').toString('utf8'))?.[1];
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
