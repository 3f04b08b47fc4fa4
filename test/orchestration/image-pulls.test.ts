// Images pulled once for all clusters, end to end through the FAKE toolchain: the fake kind nodes pull the
// images of the workloads that land on them (test/fake-toolchain/image-pulls.ts) — from the internet, or
// through a registry mirror their containerd is pointed at — and log every pull. The real Session, plugins,
// runner and helm driver drive it, as in apply.test.ts.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { builtinPlugins } from '../../packages/cli/src/builtin-plugins.js';
import { Session } from '../../packages/core/src/app/session.js';
import { createLogger } from '../../packages/core/src/log/logger.js';
import { internetPullsByImage, line, readPulls, withFakeToolchain, type FakeToolchain } from '../fake-toolchain/index.js';

const TIMEOUT = 240_000;
const MIRRORS = ['docker-io', 'ghcr-io', 'cr-l5d-io', 'quay-io', 'registry-k8s-io', 'gcr-io'].map((u) => `meshspec-registry-${u}`);

const toolchains: FakeToolchain[] = [];
afterEach(() => {
  for (const t of toolchains.splice(0)) t.cleanup();
});

/** The three-clusters example with `count` clusters (same stack: MetalLB, Linkerd full mesh, SMI, ingress, podinfo). */
function topologyWith(count: number, kindExtra = ''): string {
  const example = readFileSync('examples/three-clusters/topology.yaml', 'utf8');
  const names = Array.from({ length: count }, (_, i) => `c${i + 1}`);
  const text = example
    .replace(/clusters:[^\n]*\n( {2}\w+: \{\}\n)+/, `clusters:\n${names.map((n) => `  ${n}: {}\n`).join('')}`)
    .replace('kindClusters:\n', `kindClusters:\n${kindExtra}`)
    .replace('name: three-clusters', `name: images-${count}`);
  const dir = mkdtempSync(join(toolchains.at(-1)!.root, 'topology-'));
  const file = join(dir, 'topology.yaml');
  writeFileSync(file, text);
  return file;
}

async function run(fake: FakeToolchain, file: string, mode: 'apply' | 'destroy') {
  const sink = { write: (_chunk: string) => undefined };
  const log = createLogger({ stream: sink, verbose: false, file: join(fake.root, 'meshspec.log') });
  const runner = fake.runner(log);
  const session = await Session.open({
    file,
    plugins: builtinPlugins,
    log,
    stateDir: join(fake.root, 'meshspec-state'),
    runner,
    kube: fake.clusters,
    helm: fake.helm(runner),
  });
  await session.prepare();
  const summary = await session[mode]({ renderer: 'json', concurrency: 4, stdout: sink });
  expect(summary.failed).toEqual([]);
  // The nodes pull what the workloads now in the clusters need (the simulation's controllers run).
  await fake.clusters.reconcile();
  return summary;
}

function setup(count: number, kindExtra = '') {
  const fake = withFakeToolchain({ kindCreateMs: 50 });
  toolchains.push(fake);
  return { fake, file: topologyWith(count, kindExtra) };
}

describe('images pulled once for all clusters (FAKE toolchain)', () => {
  it.each([2, 6])(
    'FAKE: with %i clusters each distinct image crosses the internet exactly once per apply, through the shared registry mirrors',
    async (count) => {
      const { fake, file } = setup(count);
      await run(fake, file, 'apply');
      const pulls = readPulls(fake.stateDir);
      const internet = internetPullsByImage(pulls);

      // Real images of the real manifests (recorded linkerd output, the charts' renders, podinfo).
      expect([...internet.keys()]).toEqual(
        expect.arrayContaining([
          'cr.l5d.io/linkerd/proxy:stable-2.13.3',
          'cr.l5d.io/linkerd/controller:stable-2.13.3',
          'quay.io/metallb/controller:v0.14.9',
          'quay.io/metallb/speaker:v0.14.9',
        ]),
      );
      expect([...internet.keys()].some((i) => i.startsWith('registry.k8s.io/ingress-nginx/controller:v1.11.5'))).toBe(true);
      expect([...internet.keys()].some((i) => i.startsWith('ghcr.io/stefanprodan/podinfo:'))).toBe(true);
      expect([...internet.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      // ...only by the mirrors: no node went to the internet itself...
      expect(pulls.filter((p) => p.from === 'upstream').every((p) => MIRRORS.includes(p.by))).toBe(true);
      // ...while every cluster did need them (each cluster's nodes pulled the proxy from the mirror).
      const proxyClusters = new Set(pulls.filter((p) => p.image === 'cr.l5d.io/linkerd/proxy:stable-2.13.3').map((p) => p.cluster));
      expect(proxyClusters.size).toBe(count);

      const runs = fake.readLog().filter((c) => line(c).startsWith('docker run '));
      expect(runs.map((c) => c.argv[c.argv.indexOf('--name') + 1]).sort()).toEqual([...MIRRORS].sort());
    },
    TIMEOUT,
  );

  it(
    'FAKE: without the mirror (registryMirror.enabled: false) every node pulls for itself: each image once per node that runs it, N clusters ⇒ ≥ N pulls',
    async () => {
      const { fake, file } = setup(2, '  registryMirror: { enabled: false }\n');
      await run(fake, file, 'apply');
      const internet = internetPullsByImage(readPulls(fake.stateDir));
      expect(internet.get('cr.l5d.io/linkerd/proxy:stable-2.13.3')).toBeGreaterThanOrEqual(2);
      // The speaker DaemonSet runs on every node of both clusters (it tolerates the control-plane taint): 2 × 2 nodes.
      expect(internet.get('quay.io/metallb/speaker:v0.14.9')).toBe(4);
      expect(fake.readLog().filter((c) => /^docker (run|cp) /.test(line(c)))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'FAKE: the mirrors are kept across applies (a second apply pulls nothing) and destroy removes only the mirrors meshspec created',
    async () => {
      const { fake, file } = setup(2);
      // Someone else's cache for docker.io already runs (e.g. another topology's): reused, never removed.
      const foreign = fake.runner(createLogger({ stream: { write: () => undefined }, verbose: false }));
      await foreign.run('docker', ['network', 'create', 'kind']);
      await foreign.run('docker', [
        'run',
        '-d',
        '--name',
        'meshspec-registry-docker-io',
        '--network',
        'kind',
        '-e',
        'REGISTRY_PROXY_REMOTEURL=https://registry-1.docker.io',
        'registry:2',
      ]);

      await run(fake, file, 'apply');
      const afterFirst = readPulls(fake.stateDir).length;
      await run(fake, file, 'apply');
      expect(readPulls(fake.stateDir).length).toBe(afterFirst);
      // The foreign docker.io cache plus the five meshspec made on the first apply; the second apply ran none.
      expect(fake.readLog().filter((c) => line(c).startsWith('docker run '))).toHaveLength(MIRRORS.length);

      await run(fake, file, 'destroy');
      const removed = fake
        .readLog()
        .filter((c) => line(c).startsWith('docker rm -f '))
        .map((c) => c.argv.at(-1));
      expect(removed.sort()).toEqual(MIRRORS.filter((m) => m !== 'meshspec-registry-docker-io').sort());
      const inspect = await foreign.run('docker', ['inspect', '--format', '{{.State.Running}}', 'meshspec-registry-docker-io'], {
        reject: false,
      });
      expect(inspect.stdout.trim()).toBe('true');
    },
    TIMEOUT,
  );
});
