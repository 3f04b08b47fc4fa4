// meshspec end to end through the fake toolchain: the real Session, scheduler, plugins, execa runner and
// helm driver, with kind/docker/helm/linkerd replaced by recorded fakes on PATH (test/fake-toolchain) and
// the clusters played by MemoryKube-backed simulations. Assertions are on the calls the tools received
// (order constraints, not exact sequences) and on the objects that ended up in each cluster.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinPlugins } from '../../packages/cli/src/builtin-plugins.js';
import { Session } from '../../packages/core/src/app/session.js';
import type { RunSummary } from '../../packages/core/src/engine/runner.js';
import type { KubeObject } from '../../packages/core/src/kube/types.js';
import { createLogger } from '../../packages/core/src/log/logger.js';
import { contains, parseIpv4Cidr, parseIpv4Range, overlaps } from '../../packages/core/src/net/index.js';
import { CONFORMANCE, conformancePath } from '../conformance/index.js';
import {
  isMutating,
  line,
  withFakeToolchain,
  type FakeCall,
  type FakeToolchain,
  type FakeToolchainOptions,
} from '../fake-toolchain/index.js';

const SEED = 'examples/linkerd-multicluster/topology.yaml';
const THREE = 'examples/three-clusters/topology.yaml';
const TIMEOUT = 180_000;

const toolchains: FakeToolchain[] = [];
afterEach(() => {
  for (const t of toolchains.splice(0)) t.cleanup();
});

interface Harness {
  fake: FakeToolchain;
  stateDir: string;
  /** Everything meshspec printed: logger lines (debug included) and the JSON event stream. */
  output(): string;
  /** A fresh Session (as a new `meshspec` process would open), with its own runner env. */
  run(mode: 'apply' | 'destroy', options?: FakeToolchainOptions & { only?: string[]; verbose?: boolean }): Promise<RunSummary>;
}

function harness(file: string, options: FakeToolchainOptions = {}): Harness {
  const fake = withFakeToolchain(options);
  toolchains.push(fake);
  const stateDir = join(fake.root, 'meshspec-state');
  let out = '';
  const sink = { write: (chunk: string) => (out += chunk) };
  return {
    fake,
    stateDir,
    output: () => out,
    async run(mode, runOptions = {}) {
      const log = createLogger({ stream: sink, verbose: true, file: join(fake.root, 'meshspec.log') });
      const runner = fake.runner(log, runOptions);
      const session = await Session.open({
        file,
        plugins: builtinPlugins,
        log,
        stateDir,
        runner,
        kube: fake.clusters,
        helm: fake.helm(runner),
      });
      await session.prepare();
      const summary = await session[mode]({
        renderer: 'json',
        concurrency: 4,
        stdout: sink,
        ...(runOptions.only ? { only: runOptions.only } : {}),
      });
      if (mode === 'apply' && summary.ok) for (const l of await session.summaryLines()) sink.write(`${l}\n`);
      return summary;
    },
  };
}

const byStart = (calls: FakeCall[]) => [...calls].sort((a, b) => a.ts.localeCompare(b.ts));
const first = (calls: FakeCall[], pattern: RegExp) => byStart(calls).find((c) => pattern.test(line(c)));
const all = (calls: FakeCall[], pattern: RegExp) => byStart(calls).filter((c) => pattern.test(line(c)));
const started = (c: FakeCall) => Date.parse(c.ts);
const ended = (c: FakeCall) => Date.parse(c.endTs);

function controlPlaneIp(fake: FakeToolchain, cluster: string): string {
  return (JSON.parse(readFileSync(join(fake.stateDir, 'kind', 'clusters', cluster, 'cluster.json'), 'utf8')) as { controlPlaneIp: string })
    .controlPlaneIp;
}

async function objectsIn(fake: FakeToolchain, context: string) {
  const kube = await fake.clusters.cluster(context);
  if (!kube) throw new Error(`no cluster behind ${context}`);
  return kube;
}

describe('apply of the seed example (fake toolchain)', () => {
  it(
    'creates both clusters and the whole stack, issuing the commands in a valid order (fake toolchain)',
    async () => {
      const h = harness(SEED, { kindCreateMs: 1500 });
      const summary = await h.run('apply');
      expect(summary.failed).toEqual([]);
      expect(summary.ok).toBe(true);
      const log = h.fake.readLog();

      // The docker network exists before any cluster (parallel creates would race to make it).
      const networkCreate = first(log, /^docker network create .* kind$/)!;
      const kindCreates = all(log, /^kind create cluster/);
      expect(kindCreates.map((c) => c.argv[3])).toEqual(expect.arrayContaining(['demo', 'demo3']));
      expect(kindCreates).toHaveLength(2);
      for (const c of kindCreates) expect(started(c)).toBeGreaterThanOrEqual(ended(networkCreate));
      // Clusters are created in parallel, and both before any chart lands anywhere.
      const [a, b] = kindCreates as [FakeCall, FakeCall];
      expect(started(b)).toBeLessThan(ended(a));
      const helmInstalls = all(log, /^helm upgrade --install /);
      for (const install of helmInstalls) for (const c of kindCreates) expect(started(install)).toBeGreaterThanOrEqual(ended(c));

      // MetalLB: one pinned install per kube context.
      for (const ctx of ['kind-demo', 'kind-demo3']) {
        const metallb = all(log, new RegExp(`^helm upgrade --install metallb metallb .*--kube-context ${ctx} `));
        expect(metallb).toHaveLength(1);
        expect(metallb[0]!.argv).toEqual(expect.arrayContaining(['--version', '0.14.9', '--repo', 'https://metallb.github.io/metallb']));
        // Linkerd CRDs rendered (and applied) before the control plane.
        const crds = first(log, new RegExp(`^linkerd --context ${ctx} install --crds$`))!;
        const install = first(log, new RegExp(`^linkerd --context ${ctx} install --identity-trust-anchors-file `))!;
        expect(started(install)).toBeGreaterThanOrEqual(ended(crds));
        expect(first(log, new RegExp(`^linkerd smi install --context ${ctx}$`))).toBeDefined();
        // ingress-nginx, meshed through the chart values (a values file, never --set on argv).
        const ingress = all(log, new RegExp(`^helm upgrade --install ingress-nginx ingress-nginx .*--kube-context ${ctx} `));
        expect(ingress).toHaveLength(1);
        expect(ingress[0]!.values).toMatchObject({ controller: { podAnnotations: { 'linkerd.io/inject': 'enabled' } } });
        expect(line(ingress[0]!)).not.toContain('linkerd.io/inject');
      }

      // Links carry the source control plane's address on the docker network, never the kubeconfig's 127.0.0.1.
      const links = all(log, /^linkerd --context \S+ multicluster link /);
      expect(links).toHaveLength(2);
      for (const [source, ctx] of [
        ['demo', 'kind-demo'],
        ['demo3', 'kind-demo3'],
      ] as const) {
        const link = links.find((c) => c.argv[1] === ctx)!;
        expect(link.argv).toEqual(
          expect.arrayContaining(['--cluster-name', source, '--api-server-address', `https://${controlPlaneIp(h.fake, source)}:6443`]),
        );
        expect(controlPlaneIp(h.fake, source)).toMatch(/^172\.18\.0\.\d+$/);
      }
      expect(log.filter((c) => line(c).includes('127.0.0.1'))).toEqual([]);
      // meshspec applies through the API; no kubectl pipes.
      expect(log.filter((c) => c.tool === 'kubectl')).toEqual([]);
      // Only expected probes failed: the missing network, the registry mirrors not yet running and not-yet-installed releases.
      expect(
        log
          .filter((c) => c.exitCode !== 0)
          .map(line)
          .filter(
            (l) =>
              !/^docker network inspect kind |^docker inspect --format \{\{\.State\.Running\}\} meshspec-registry-|^helm (get metadata|status) /.test(
                l,
              ),
          ),
      ).toEqual([]);

      // What ended up in the clusters.
      const docker = parseIpv4Cidr('172.18.0.0/16')!;
      const pools = [];
      for (const [ctx, other] of [
        ['kind-demo', 'demo3'],
        ['kind-demo3', 'demo'],
      ] as const) {
        const kube = await objectsIn(h.fake, ctx);
        const pool = (await kube.get('metallb.io/v1beta1', 'IPAddressPool', 'first-pool', 'metallb-system')) as
          { spec: { addresses: string[] } } | undefined;
        const range = parseIpv4Range(pool!.spec.addresses[0]!)!;
        expect(contains(docker, range)).toBe(true);
        pools.push(range);
        const split = (await kube.get('split.smi-spec.io/v1alpha1', 'TrafficSplit', 'podinfo', 'test')) as
          { spec: { service: string; backends: { service: string; weight: number }[] } } | undefined;
        expect(split?.spec.service).toBe('podinfo');
        expect(split?.spec.backends).toEqual(
          expect.arrayContaining([
            { service: 'podinfo', weight: 50 },
            { service: `podinfo-${other}`, weight: 50 },
          ]),
        );
        expect(split?.spec.backends).toHaveLength(2);
        const ingress = (await kube.get('networking.k8s.io/v1', 'Ingress', 'frontend', 'test')) as
          { spec: { rules: { host: string }[] } } | undefined;
        expect(ingress?.spec.rules.map((r) => r.host)).toEqual([`frontend-${ctx}.127-0-0-1.sslip.io`]);
        const controller = (await kube.get('apps/v1', 'Deployment', 'ingress-nginx-controller', 'ingress-nginx')) as
          { spec: { template: { metadata: { annotations?: Record<string, string> } } } } | undefined;
        expect(controller?.spec.template.metadata.annotations?.['linkerd.io/inject']).toBe('enabled');
        // The mirror of the other cluster's podinfo points at that cluster's gateway, which got a pool address.
        const gateway = await (await objectsIn(h.fake, `kind-${other}`)).waitForLoadBalancer('linkerd-gateway', 'linkerd-multicluster');
        const mirror = (await kube.get('v1', 'Endpoints', `podinfo-${other}`, 'test')) as
          { subsets: { addresses: { ip: string }[] }[] } | undefined;
        expect(mirror?.subsets[0]?.addresses[0]?.ip).toBe(gateway);
        expect((await kube.get('v1', 'Service', 'podinfo', 'test'))?.metadata.labels?.['mirror.linkerd.io/exported']).toBe('true');
      }
      expect(overlaps(pools[0]!, pools[1]!)).toBe(false);
    },
    TIMEOUT,
  );

  it(
    're-applies an unchanged topology without any external mutating command (fake toolchain)',
    async () => {
      const h = harness(SEED);
      expect((await h.run('apply')).ok).toBe(true);
      const before = h.fake.readLog().length;
      const again = await h.run('apply');
      const calls = h.fake.readLog().slice(before);
      expect(again.ok).toBe(true);
      expect(again.completed).toEqual([]);
      expect(again.upToDate.length).toBeGreaterThan(25);
      expect(calls.filter(isMutating).map(line)).toEqual([]);
      expect(calls.filter((c) => /^(kind create|docker network create|helm upgrade|linkerd .*install)/.test(line(c)))).toEqual([]);
    },
    TIMEOUT,
  );

  // Regression: linkerd:control-plane's inputs once held the stored issuer's fingerprint, absent on the
  // first apply and present on the second, so the second apply ran `linkerd upgrade` and everything after it.
  it(
    'a second apply right after the first is already a no-op (fake toolchain)',
    async () => {
      const h = harness(SEED);
      expect((await h.run('apply')).ok).toBe(true);
      const before = h.fake.readLog().length;
      const again = await h.run('apply');
      expect(again.ok).toBe(true);
      expect(again.completed).toEqual([]);
      expect(h.fake.readLog().slice(before).filter(isMutating).map(line)).toEqual([]);
    },
    TIMEOUT,
  );

  // The fault matrix's "load-balancer address changed": the Link in demo3 keeps demo's old gateway address
  // (mirrors point at nothing) until the link is made again; the link step's verify sees it.
  it(
    "re-links after the source gateway's LoadBalancer address changed, and links nothing else (fake toolchain)",
    async () => {
      const h = harness(SEED);
      expect((await h.run('apply')).ok).toBe(true);
      const demo = await objectsIn(h.fake, 'kind-demo');
      const gateway = (await demo.get('v1', 'Service', 'linkerd-gateway', 'linkerd-multicluster')) as KubeObject & {
        status: { loadBalancer: { ingress: { ip: string }[] } };
      };
      const old = gateway.status.loadBalancer.ingress[0]!.ip;
      const moved = old.replace(/\d+$/, (n) => String(Number(n) + 7));
      await demo.apply([{ ...gateway, status: { loadBalancer: { ingress: [{ ip: moved }] } } }]);

      const before = h.fake.readLog().length;
      const again = await h.run('apply');
      expect(again.ok).toBe(true);
      expect(again.completed).toContain('linkerd:link:demo@demo3');
      expect(again.completed).not.toContain('linkerd:link:demo3@demo');
      const links = all(h.fake.readLog().slice(before), /^linkerd --context \S+ multicluster link/).map(line);
      expect(links).toEqual([expect.stringMatching(/^linkerd --context kind-demo multicluster link --cluster-name demo /)]);
      expect(h.output()).toContain(
        `linkerd:link:demo@demo3: recorded as done, but Link demo in demo3 points at demo's gateway ${old}, but linkerd-gateway in demo now has address ${moved}; running it again`,
      );
      const demo3 = await objectsIn(h.fake, 'kind-demo3');
      const linkObjects = [
        ...(await demo3.list('multicluster.linkerd.io/v1alpha1', 'Link')),
        ...(await demo3.list('multicluster.linkerd.io/v1alpha3', 'Link')),
      ];
      expect(linkObjects.map((l) => (l as KubeObject & { spec: { gatewayAddress?: string } }).spec.gatewayAddress)).toEqual([moved]);
      // The apply after that is a no-op again.
      const third = await h.run('apply');
      expect(third.completed).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'isolates an injected failure on one cluster, then resumes only the failed and skipped steps (fake toolchain)',
    async () => {
      const h = harness(SEED);
      const broken = await h.run('apply', { fail: ['helm upgrade --install metallb*@kind-demo3'] });
      expect(broken.ok).toBe(false);
      expect(broken.failed.map((f) => f.id)).toEqual(['metallb:install@demo3']);
      expect(broken.failed[0]!.stderrTail).toContain('injected failure');
      // demo's own stack does not wait for demo3's MetalLB.
      for (const id of [
        'kind:cluster@demo',
        'metallb:install@demo',
        'metallb:pools@demo',
        'linkerd:control-plane@demo',
        'linkerd:gateway@demo',
        'ingress:controller@demo',
        'ingress:route:test/frontend@demo',
        'workloads:demo@demo',
        'linkerd:export:test/podinfo@demo',
        'kind:cluster@demo3',
        'linkerd:control-plane@demo3',
      ]) {
        expect(broken.completed).toContain(id);
      }
      const skipped = broken.skipped.map((s) => s.id);
      expect(skipped).toEqual(
        expect.arrayContaining(['metallb:pools@demo3', 'linkerd:gateway@demo3', 'ingress:controller@demo3', 'linkerd:link:demo3@demo']),
      );
      expect(
        h.fake
          .readLog()
          .filter((c) => c.injected)
          .map(line),
      ).toEqual([expect.stringMatching(/^helm upgrade --install metallb metallb .*--kube-context kind-demo3 /)]);

      const before = h.fake.readLog().length;
      const resumed = await h.run('apply');
      expect(resumed.ok).toBe(true);
      expect([...resumed.completed].sort()).toEqual([...broken.failed.map((f) => f.id), ...skipped].sort());
      const calls = h.fake.readLog().slice(before);
      // Nothing demo-only is touched again; demo3's chart goes in once now.
      expect(
        calls
          .filter(isMutating)
          .map(line)
          .every((l) => l.includes('--kube-context kind-demo3 ')),
      ).toBe(true);
      expect(
        calls.filter((c) => line(c).startsWith('helm upgrade --install metallb ')).map((c) => c.argv[c.argv.indexOf('--kube-context') + 1]),
      ).toEqual(['kind-demo3']);
      expect(calls.filter((c) => /^kind create|^docker network create/.test(line(c)))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'destroys: uninstalls the charts, then deletes both kind clusters (fake toolchain)',
    async () => {
      const h = harness(SEED);
      expect((await h.run('apply')).ok).toBe(true);
      const before = h.fake.readLog().length;
      const destroyed = await h.run('destroy');
      expect(destroyed.failed).toEqual([]);
      expect(destroyed.ok).toBe(true);
      const calls = h.fake.readLog().slice(before);
      for (const [name, ctx] of [
        ['demo', 'kind-demo'],
        ['demo3', 'kind-demo3'],
      ] as const) {
        const del = first(calls, new RegExp(`^kind delete cluster --name ${name}$`));
        expect(del).toBeDefined();
        for (const release of ['metallb', 'ingress-nginx']) {
          const uninstall = first(calls, new RegExp(`^helm uninstall ${release} .*--kube-context ${ctx} `));
          expect(uninstall?.exitCode).toBe(0);
          expect(started(del!)).toBeGreaterThanOrEqual(ended(uninstall!));
        }
      }
      expect(await h.fake.clusters.cluster('kind-demo')).toBeUndefined();
      expect(await h.fake.clusters.cluster('kind-demo3')).toBeUndefined();
      expect(readdirSync(join(h.fake.stateDir, 'kind', 'clusters'))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'never lets the issuer key reach the call log or meshspec output, even with --verbose, and keeps key files 0600 (fake toolchain)',
    async () => {
      const h = harness(SEED);
      // verbose: the runner streams every tool's output (linkerd install prints the issuer Secret) to the log.
      expect((await h.run('apply', { verbose: true })).ok).toBe(true);
      const secrets = join(h.stateDir, 'secrets');
      const key = readFileSync(join(secrets, 'linkerd-issuer.key'), 'utf8');
      expect(key).toMatch(/-----BEGIN (EC )?PRIVATE KEY-----/);
      // The fake CLI did receive it and rendered it, as linkerd does (base64 in the issuer Secret)...
      const issuer = (await (await objectsIn(h.fake, 'kind-demo')).get('v1', 'Secret', 'linkerd-identity-issuer', 'linkerd')) as
        { data: Record<string, string> } | undefined;
      expect(Buffer.from(issuer!.data['key.pem']!, 'base64').toString()).toBe(key.trim());
      // ...yet no form of it shows up where people and CI logs look.
      const forms = [
        key.trim(),
        Buffer.from(key.trim()).toString('base64'),
        Buffer.from(key).toString('base64'),
        ...key.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----')),
      ];
      // The verbose stream did carry the rendered issuer Secret, redacted.
      expect(h.output()).toMatch(/key\.pem: \*\*\*/);
      const places = {
        callLog: readFileSync(h.fake.logFile, 'utf8'),
        output: h.output(),
        logFile: readFileSync(join(h.fake.root, 'meshspec.log'), 'utf8'),
        state: readFileSync(join(h.stateDir, 'state.json'), 'utf8'),
      };
      for (const [where, text] of Object.entries(places))
        for (const form of forms) expect(text.includes(form), `${where} contains the issuer key`).toBe(false);
      for (const file of readdirSync(secrets).filter((f) => f.endsWith('.key')))
        expect(statSync(join(secrets, file)).mode & 0o777, file).toBe(0o600);
    },
    TIMEOUT,
  );
});

describe('apply of the three-clusters example (fake toolchain)', () => {
  it(
    'links every cluster into every other one: 6 links, mirrors and thirds (fake toolchain)',
    async () => {
      const h = harness(THREE);
      const summary = await h.run('apply');
      expect(summary.failed).toEqual([]);
      expect(summary.completed.filter((id) => id.startsWith('linkerd:link:'))).toHaveLength(6);
      const links = all(h.fake.readLog(), /^linkerd --context \S+ multicluster link /);
      expect(links).toHaveLength(6);
      const clusters = ['east', 'west', 'north'];
      for (const source of clusters) {
        expect(
          links
            .filter((c) => c.argv[1] === `kind-${source}`)
            .every((c) => c.argv.includes(`https://${controlPlaneIp(h.fake, source)}:6443`)),
        ).toBe(true);
      }
      expect(new Set(clusters.map((c) => controlPlaneIp(h.fake, c))).size).toBe(3);
      for (const cluster of clusters) {
        const kube = await objectsIn(h.fake, `kind-${cluster}`);
        const mirrors = (await kube.list('v1', 'Service', 'test', 'mirror.linkerd.io/mirrored-service=true'))
          .map((s) => s.metadata.name)
          .sort();
        expect(mirrors).toEqual(
          clusters
            .filter((c) => c !== cluster)
            .map((c) => `podinfo-${c}`)
            .sort(),
        );
        const split = (await kube.get('split.smi-spec.io/v1alpha1', 'TrafficSplit', 'podinfo', 'test')) as
          { spec: { backends: { weight: number }[] } } | undefined;
        expect(split?.spec.backends.map((b) => b.weight).sort()).toEqual([33, 33, 34]);
      }
    },
    TIMEOUT,
  );
});

describe('apply of gateway-less (flat) links on Linkerd 2.20 (FAKE toolchain)', () => {
  /** No gateway installed (links flat by default), podinfo exported for remote discovery, frontend federated. */
  function flatTopology(): string {
    const dir = mkdtempSync(join(tmpdir(), 'meshspec-flat-links-'));
    const file = join(dir, 'topology.yaml');
    writeFileSync(
      file,
      `apiVersion: meshspec.dev/v1alpha1
kind: Topology
metadata: { name: flat-links }
clusters:
  east: { podSubnet: 10.244.0.0/16, serviceSubnet: 10.96.0.0/16 }
  west: { podSubnet: 10.245.0.0/16, serviceSubnet: 10.97.0.0/16 }
kindClusters: {}
linkerd:
  version: edge-26.6.3
  viz: false
  gatewayApi: { manifest: ${conformancePath(CONFORMANCE.gatewayApiCrds('v1.2.1'))} }
  multicluster: { gateway: false, podNetworksRoutable: true }
  export:
    - { namespace: test, service: podinfo }
    - { namespace: test, service: frontend, mode: federated }
smi:
  splits: [{ namespace: test, service: podinfo, port: 9898 }]
workloads:
  demo: { namespace: test }
`,
    );
    return file;
  }

  it(
    'links with link-gen --gateway=false (no gateway step), labels per export mode, and the clusters get remote-discovery mirrors and a federated service (FAKE toolchain)',
    async () => {
      const h = harness(flatTopology(), { linkerdVersion: 'edge-26.6.3' });
      const summary = await h.run('apply', { linkerdVersion: 'edge-26.6.3' });
      expect(
        summary.failed,
        h
          .output()
          .split('\n')
          .filter((l) => /error|failed/i.test(l))
          .slice(-8)
          .join('\n'),
      ).toEqual([]);
      expect(summary.completed.filter((id) => id.startsWith('linkerd:gateway@'))).toEqual([]);
      const calls = h.fake.readLog();
      const links = all(calls, / multicluster link-gen /);
      expect(links).toHaveLength(2);
      for (const call of links) expect(call.argv).toContain('--gateway=false');
      for (const call of all(calls, / multicluster install/)) expect(line(call)).toMatch(/--set gateway\.enabled=false/);
      for (const [cluster, other] of [
        ['east', 'west'],
        ['west', 'east'],
      ] as const) {
        const kube = await objectsIn(h.fake, `kind-${cluster}`);
        const link = (await kube.get('multicluster.linkerd.io/v1alpha3', 'Link', other, 'linkerd-multicluster')) as
          { spec: Record<string, unknown> } | undefined;
        expect(link?.spec['selector'], 'a gateway-less Link selects no exported=true service').toBeUndefined();
        expect((await kube.get('v1', 'Service', 'podinfo', 'test'))?.metadata.labels?.['mirror.linkerd.io/exported']).toBe(
          'remote-discovery',
        );
        expect((await kube.get('v1', 'Service', 'frontend', 'test'))?.metadata.labels?.['mirror.linkerd.io/federated']).toBe('member');
        const mirror = await kube.get('v1', 'Service', `podinfo-${other}`, 'test');
        expect(mirror?.metadata.labels?.['multicluster.linkerd.io/remote-discovery']).toBe(other);
        expect(
          await kube.get('v1', 'Service', `frontend-${other}`, 'test'),
          'a federated service has no per-cluster mirror',
        ).toBeUndefined();
        expect(
          (await kube.get('v1', 'Service', 'frontend-federated', 'test'))?.metadata.annotations?.[
            'multicluster.linkerd.io/remote-discovery'
          ],
        ).toBe(`frontend@${other}`);
        const route = (await kube.get('gateway.networking.k8s.io/v1', 'HTTPRoute', 'podinfo', 'test')) as
          { spec: { rules: { backendRefs: { name: string }[] }[] } } | undefined;
        expect(route?.spec.rules.flatMap((r) => r.backendRefs.map((b) => b.name)).sort()).toEqual(['podinfo', `podinfo-${other}`]);
      }
      // kind does not route pod subnets between clusters: the declared routability is only warned about.
      expect(h.output()).not.toMatch(/"type":"step-failed"/);
    },
    TIMEOUT,
  );
});
