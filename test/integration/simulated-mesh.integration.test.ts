// examples/simulated-mesh end to end: the BUILT meshspec creates three clusters with the REAL kwokctl
// (binary runtime, real etcd/kube-apiserver/controller-manager/scheduler and kwok from the test assets),
// installs and links Linkerd with the FAKE linkerd CLI (test/fake-toolchain, the real CLI's recorded
// output), deploys the demo app, then: status, a no-op re-apply, verify's refusal, destroy. Nothing of the
// shared harness clusters is used: kwokctl runs its own control planes, in a work dir of this test.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { REPO_ROOT } from './harness/control-plane.js';
import { FAKE_LINKERD } from './fixtures/linkerd-cli.js';
import { runMeshspec, type CliRun } from './fixtures/meshspec-binary.js';

const CLUSTERS = ['east', 'west', 'north'];
const binDir = inject('binDir');
const work = mkdtempSync(join(tmpdir(), 'meshspec-it-kwok-'));
const kubeconfig = join(work, 'kubeconfig');
const topology = join(work, 'topology.yaml');
const kwokWorkdir = join(work, '.meshspec', 'simulated-mesh', 'kwok');

/** kwokctl's own variables point it at the test assets instead of downloading (KWOK_ETCD_VERSION picks etcd's flags). */
function kwokEnv(): Record<string, string> {
  const need = ['kwokctl', 'kwok', 'etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];
  const missing = need.filter((b) => !existsSync(join(binDir, b)));
  if (missing.length > 0)
    throw new Error(`test assets missing in ${binDir}: ${missing.join(', ')}; run \`bash scripts/test-assets/provision.sh\``);
  const etcdVersion = /etcd Version:\s*(\S+)/.exec(execFileSync(join(binDir, 'etcd'), ['--version'], { encoding: 'utf8' }))?.[1];
  return {
    KWOK_KUBE_APISERVER_BINARY: join(binDir, 'kube-apiserver'),
    KWOK_KUBE_CONTROLLER_MANAGER_BINARY: join(binDir, 'kube-controller-manager'),
    KWOK_KUBE_SCHEDULER_BINARY: join(binDir, 'kube-scheduler'),
    KWOK_CONTROLLER_BINARY: join(binDir, 'kwok'),
    KWOK_ETCD_BINARY: join(binDir, 'etcd'),
    ...(etcdVersion ? { KWOK_ETCD_VERSION: etcdVersion } : {}),
  };
}

/** PATH: the real kwokctl and the FAKE linkerd only (no KUBECONFIG: --kubeconfig alone must reach every tool). */
function cliEnv(): Record<string, string> {
  const tools = join(work, 'bin');
  if (!existsSync(tools)) {
    mkdirSync(tools);
    symlinkSync(join(binDir, 'kwokctl'), join(tools, 'kwokctl'));
    symlinkSync(FAKE_LINKERD, join(tools, 'linkerd'));
  }
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'KUBECONFIG') env[k] = v;
  return { ...env, ...kwokEnv(), MESHSPEC_FAKE_CLUSTERS: 'kubeconfig', PATH: `${tools}:${env['PATH'] ?? ''}`, CI: 'true', NO_COLOR: '1' };
}

const meshspec = (args: string[], timeoutMs = 240_000) => runMeshspec(work, [...args, '--kubeconfig', kubeconfig], cliEnv(), timeoutMs);
const shown = (r: CliRun) => `exit ${r.code}\n--- stdout ---\n${r.stdout.slice(-6000)}\n--- stderr ---\n${r.stderr.slice(-6000)}`;
const events = (r: CliRun) =>
  r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { type: string; id?: string });
const ids = (r: CliRun, type: string) =>
  events(r)
    .filter((e) => e.type === type)
    .map((e) => e.id!)
    .sort();
const kubectl = (context: string, args: string[]) =>
  JSON.parse(
    execFileSync('kubectl', ['--kubeconfig', kubeconfig, '--context', context, ...args, '-o', 'json'], { encoding: 'utf8' }),
  ) as Record<string, any>;
const kwokClusters = () =>
  execFileSync(join(binDir, 'kwokctl'), ['get', 'clusters'], { encoding: 'utf8', env: { ...process.env, KWOK_WORKDIR: kwokWorkdir } })
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

afterAll(() => {
  // A failed test must not leave control planes running: delete whatever kwokctl still knows.
  if (existsSync(kwokWorkdir)) {
    for (const name of kwokClusters())
      execFileSync(join(binDir, 'kwokctl'), ['delete', 'cluster', '--name', name, '--kubeconfig', kubeconfig], {
        env: { ...process.env, KWOK_WORKDIR: kwokWorkdir },
        stdio: 'ignore',
      });
  }
  rmSync(work, { recursive: true, force: true });
});

describe('examples/simulated-mesh on kwok (real kwokctl and control planes, FAKE linkerd CLI)', () => {
  it('applies end to end, reports status, re-applies as a no-op, refuses verify and destroys', { timeout: 600_000 }, async () => {
    copyFileSync(join(REPO_ROOT, 'examples', 'simulated-mesh', 'topology.yaml'), topology);
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n', { mode: 0o600 });

    const first = await meshspec(['apply', 'topology.yaml', '-o', 'json']);
    expect(first.code, shown(first)).toBe(0);
    expect(ids(first, 'step-fail'), shown(first)).toEqual([]);
    expect(ids(first, 'step-done')).toEqual(
      expect.arrayContaining([
        ...CLUSTERS.map((c) => `kwok:cluster@${c}`),
        'linkerd:link:east@west',
        'linkerd:link:north@east',
        'workloads:demo@north',
      ]),
    );
    expect(ids(first, 'step-done')).toHaveLength(28);
    expect(kwokClusters().sort()).toEqual([...CLUSTERS].sort());

    // Real control planes on loopback with the topology's subnets; simulated nodes and pods inside them.
    const pods: Record<string, string> = { east: '10.244.', west: '10.245.', north: '10.246.' };
    for (const [i, c] of CLUSTERS.entries()) {
      const config = kubectl(`kwok-${c}`, ['config', 'view', '--minify']);
      expect(config['clusters'][0].cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const node = kubectl(`kwok-${c}`, ['get', 'node', 'kwok-node-0']);
      expect(node['spec'].podCIDR).toBe(`${pods[c]}0.0/24`);
      expect(node['status'].conditions.find((x: { type: string }) => x.type === 'Ready').status).toBe('True');
      expect(kubectl(`kwok-${c}`, ['get', 'service', 'kubernetes', '-n', 'default'])['spec'].clusterIP).toBe(`10.${96 + i}.0.1`);
      const podinfo = kubectl(`kwok-${c}`, ['get', 'pods', '-n', 'test', '-l', 'app=podinfo'])['items'] as {
        status: { phase: string; podIP: string };
      }[];
      expect(podinfo.length).toBeGreaterThan(0);
      for (const pod of podinfo) expect([pod.status.phase, pod.status.podIP.startsWith(pods[c]!)]).toEqual(['Running', true]);
      // The gateway's LoadBalancer address: from the cluster's simulated pool, marked simulated.
      const gateway = kubectl(`kwok-${c}`, ['get', 'service', 'linkerd-gateway', '-n', 'linkerd-multicluster']);
      const ip = gateway['status'].loadBalancer.ingress[0].ip as string;
      expect(Number(ip.split('.')[3])).toBeGreaterThanOrEqual(1 + i * 4);
      expect(Number(ip.split('.')[3])).toBeLessThanOrEqual(4 + i * 4);
      expect(gateway['metadata'].labels['meshspec.dev/simulated-load-balancer']).toBe('true');
    }
    // Links were made from the source API servers' loopback URLs (what kwok:cluster recorded).
    const link = kubectl('kwok-west', ['get', 'links.multicluster.linkerd.io', 'east', '-n', 'linkerd-multicluster']);
    expect(link['spec'].gatewayAddress).toMatch(/^198\.51\.100\.[1-4]$/);

    const status = await meshspec(['status', 'topology.yaml']);
    // No service-mirror controller runs on simulated pods, so no mirror appears: a warning, not a failure.
    expect(status.code, shown(status)).toBe(0);
    for (const c of CLUSTERS) expect(status.stdout).toContain(`✓ [${c}] linkerd trust anchor: cluster trusts the shared trust anchor`);
    expect(status.stdout).toContain(
      '! [west] mirror test/podinfo-east: no mirror of podinfo from east, as expected: west is simulated by kwok, where the service-mirror controller does not run',
    );

    const second = await meshspec(['apply', 'topology.yaml', '-o', 'json']);
    expect(second.code, shown(second)).toBe(0);
    expect(ids(second, 'step-start'), 'a second apply runs nothing').toEqual([]);

    const verify = await meshspec(['verify', 'topology.yaml']);
    expect(verify.code).toBe(1);
    expect(verify.stderr).toContain('meshspec verify sends real traffic, but clusters east, west, north are simulated by kwok');

    const destroy = await meshspec(['destroy', 'topology.yaml', '-o', 'json']);
    expect(destroy.code, shown(destroy)).toBe(0);
    expect(kwokClusters()).toEqual([]);
    expect(readFileSync(kubeconfig, 'utf8')).not.toContain('kwok-');
  });
});
