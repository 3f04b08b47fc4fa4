import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StepError, type Step, type Topology } from '@meshspec/core/plugin';
import { createTestStepContext, testStepsContext } from '@meshspec/core/testing';
import { kindPlugin } from './plugin.js';
import { renderKindConfig, renderKindConfigYaml } from './render.js';
import { resolveKind } from './resolve.js';
import type { KindClusterSpec, KindSection } from './schema.js';

const IPAM = '[{"Subnet":"fc00:f853:ccd:e793::/64"},{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]';
const INSPECT = 'docker network inspect kind --format {{json .IPAM.Config}}';
const CREATE =
  'docker network create -d=bridge -o com.docker.network.bridge.enable_ip_masquerade=true -o com.docker.network.driver.mtu=1500 kind';
const DISCOVER_DEMO = 'docker inspect -f {{(index .NetworkSettings.Networks "kind").IPAddress}} demo-control-plane';

/** Without the registry mirror unless a test turns it on: most tests look at one concern's commands. */
const NO_MIRROR = { registryMirror: { enabled: false } } as const;

function setup(section: KindSection = { workers: 1, ...NO_MIRROR }) {
  const raw: Topology = {
    apiVersion: 'meshspec.dev/v1alpha1',
    kind: 'Topology',
    metadata: { name: 't' },
    clusters: { demo: {}, demo3: {} },
    kindClusters: section,
  };
  const topology = resolveKind(raw, section);
  const steps = kindPlugin.steps(topology, section, testStepsContext(topology, kindPlugin));
  const step = (id: string) => steps.find((s) => s.id === id)!;
  const context = (id: string, cluster?: string) => createTestStepContext(topology, { step: { id, ...(cluster ? { cluster } : {}) } });
  return { topology, steps, step, context };
}

describe('kind steps', () => {
  it('are one global network step plus one cluster step per cluster, clusters only needing the network (parallel), without the registry mirror', () => {
    const { steps } = setup();
    expect(steps.map((s) => [s.id, s.cluster, s.needs])).toEqual([
      ['kind:network', undefined, undefined],
      ['kind:cluster@demo', 'demo', ['kind:network']],
      ['kind:cluster@demo3', 'demo3', ['kind:network']],
    ]);
    expect(steps[1]!.plan).toEqual([
      'kind create cluster --name demo --config <state>/kind/demo.yaml --wait 120s (skipped when cluster demo exists with this config)',
      `docker inspect -f '{{(index .NetworkSettings.Networks "kind").IPAddress}}' demo-control-plane`,
    ]);
  });

  it('are absent without a kindClusters section', () => {
    const topology: Topology = { apiVersion: 'meshspec.dev/v1alpha1', kind: 'Topology', metadata: { name: 't' }, clusters: { a: {} } };
    expect(kindPlugin.steps(topology, undefined, testStepsContext(topology, kindPlugin))).toEqual([]);
  });

  describe('kind:network', () => {
    it('creates the network when missing and returns its IPv4 subnet and gateway', async () => {
      const { step, context } = setup();
      const ctx = context('kind:network');
      let created = false;
      ctx.exec
        .on(INSPECT, () => (created ? { stdout: IPAM } : { exitCode: 1, stderr: 'Error response from daemon: network kind not found' }))
        .on('docker network create', () => ((created = true), { stdout: 'abc123' }));
      await expect(step('kind:network').run(ctx)).resolves.toEqual({ subnet: '172.18.0.0/16', gateway: '172.18.0.1' });
      expect(ctx.exec.lines).toEqual([INSPECT, CREATE, INSPECT]);
    });

    it('only inspects an existing network', async () => {
      const { step, context } = setup();
      const ctx = context('kind:network');
      ctx.exec.on(INSPECT, { stdout: '[{"Subnet":"172.19.0.0/16"}]' });
      await expect(step('kind:network').run(ctx)).resolves.toEqual({ subnet: '172.19.0.0/16', gateway: '172.19.0.1' });
      expect(ctx.exec.lines).toEqual([INSPECT]);
    });

    it('tolerates losing the creation race to another kind', async () => {
      const { step, context } = setup();
      const ctx = context('kind:network');
      let inspections = 0;
      ctx.exec
        .on(INSPECT, () => (++inspections === 1 ? { exitCode: 1, stderr: 'Error: No such network: kind' } : { stdout: IPAM }))
        .on('docker network create', { exitCode: 1, stderr: 'Error response from daemon: network with name kind already exists' });
      await expect(step('kind:network').run(ctx)).resolves.toMatchObject({ subnet: '172.18.0.0/16' });
    });

    it.each([
      [
        'an unreachable docker daemon',
        { exitCode: 1, stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock' },
        /docker network inspect kind failed/,
      ],
      [
        'two networks named kind',
        { exitCode: 1, stderr: 'Error: network kind is ambiguous (2 matches found based on name)' },
        /two docker networks are named kind: .*docker network rm <id>/,
      ],
      ['an IPv6-only network', { stdout: '[{"Subnet":"fc00:f853:ccd:e793::/64"}]' }, /has no IPv4 subnet/],
    ])('fails clearly on %s', async (_, answer, message) => {
      const { step, context } = setup();
      const ctx = context('kind:network');
      ctx.exec.on(INSPECT, answer);
      const error = await step('kind:network')
        .run(ctx)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StepError);
      expect((error as StepError).message).toMatch(message);
      expect(ctx.exec.lines).not.toContain(CREATE);
    });
  });

  describe('kind:cluster@demo', () => {
    it('writes the config to the state dir, creates the cluster and discovers the API server address', async () => {
      const { step, context, topology } = setup();
      const ctx = context('kind:cluster@demo', 'demo');
      ctx.exec.on('kind get clusters', { stdout: 'other\n' }).on(DISCOVER_DEMO, { stdout: '172.18.0.3\n' });
      await expect(step('kind:cluster@demo').run(ctx)).resolves.toEqual({ context: 'kind-demo', apiServerUrl: 'https://172.18.0.3:6443' });
      const file = join(ctx.stateDir, 'kind', 'demo.yaml');
      expect(ctx.exec.lines).toEqual(['kind get clusters', `kind create cluster --name demo --config ${file} --wait 120s`, DISCOVER_DEMO]);
      expect(await readFile(file, 'utf8')).toBe(
        renderKindConfigYaml(renderKindConfig('demo', topology.clusters['demo'] as KindClusterSpec, { workers: 1, ...NO_MIRROR })),
      );
    });

    it('skips creation when the cluster exists with the recorded config, still returning outputs', async () => {
      const { step, context } = setup();
      const first = context('kind:cluster@demo', 'demo');
      first.exec.on('kind get clusters', { stdout: '' }).on(DISCOVER_DEMO, { stdout: '172.18.0.3' });
      await step('kind:cluster@demo').run(first);

      const again = createTestStepContext(first.topology, { stateDir: first.stateDir, step: first.step });
      again.exec.on('kind get clusters', { stdout: 'demo\ndemo3\n' }).on(DISCOVER_DEMO, { stdout: '172.18.0.3' });
      await expect(step('kind:cluster@demo').run(again)).resolves.toEqual({
        context: 'kind-demo',
        apiServerUrl: 'https://172.18.0.3:6443',
      });
      expect(again.exec.lines).toEqual(['kind get clusters', DISCOVER_DEMO]);
    });

    it('refuses to touch an existing cluster created with a different config', async () => {
      const { step, context } = setup();
      const ctx = context('kind:cluster@demo', 'demo');
      await mkdir(join(ctx.stateDir, 'kind'), { recursive: true });
      await writeFile(join(ctx.stateDir, 'kind', 'demo.yaml'), 'kind: Cluster\nnodes: [{ role: control-plane }]\n');
      ctx.exec.on('kind get clusters', { stdout: 'demo\n' });
      const error = await step('kind:cluster@demo')
        .run(ctx)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StepError);
      expect(error).toMatchObject({
        stepId: 'kind:cluster@demo',
        message: 'cluster demo exists with a different config; meshspec will not touch it; run meshspec destroy or rename',
        details: { cluster: 'demo' },
      });
      expect(ctx.exec.lines).toEqual(['kind get clusters']);
    });

    it('adopts an existing cluster it has no record of, with a warning', async () => {
      const { step, context } = setup();
      const ctx = context('kind:cluster@demo', 'demo');
      ctx.exec.on('kind get clusters', { stdout: 'demo\n' }).on(DISCOVER_DEMO, { stdout: '172.18.0.9' });
      await expect(step('kind:cluster@demo').run(ctx)).resolves.toMatchObject({ apiServerUrl: 'https://172.18.0.9:6443' });
      expect(ctx.logs.some((l) => l.startsWith('warn kind cluster demo already exists'))).toBe(true);
    });

    it('fails when the control-plane container has no address on the network', async () => {
      const { step, context } = setup();
      const ctx = context('kind:cluster@demo', 'demo');
      ctx.exec.on('kind get clusters', { stdout: '' }).on(DISCOVER_DEMO, { stdout: '\n' });
      await expect(step('kind:cluster@demo').run(ctx)).rejects.toThrow(
        'container demo-control-plane has no address on docker network kind',
      );
    });

    it('passes a non-default network to kind through KIND_EXPERIMENTAL_DOCKER_NETWORK', async () => {
      const { step, context } = setup({ network: 'mesh', ...NO_MIRROR });
      const ctx = context('kind:cluster@demo', 'demo');
      const envs: unknown[] = [];
      const run = ctx.exec.run.bind(ctx.exec);
      ctx.exec.run = (file, args, options) => (envs.push(options?.env), run(file, args, options));
      ctx.exec.on('kind get clusters', { stdout: '' }).on('docker inspect', { stdout: '172.18.0.3' });
      await step('kind:cluster@demo').run(ctx);
      expect(ctx.exec.lines[2]).toBe('docker inspect -f {{(index .NetworkSettings.Networks "mesh").IPAddress}} demo-control-plane');
      expect(envs[1]).toEqual({ KIND_EXPERIMENTAL_DOCKER_NETWORK: 'mesh' });
    });

    it('destroy deletes the cluster and forgets its recorded config', async () => {
      const { step, context } = setup();
      const ctx = context('kind:cluster@demo', 'demo');
      await mkdir(join(ctx.stateDir, 'kind'), { recursive: true });
      await writeFile(join(ctx.stateDir, 'kind', 'demo.yaml'), 'old');
      await step('kind:cluster@demo').destroy!(ctx);
      expect(ctx.exec.lines).toEqual(['kind delete cluster --name demo']);
      await expect(readFile(join(ctx.stateDir, 'kind', 'demo.yaml'), 'utf8')).rejects.toThrow(/ENOENT/);
    });
  });
});

describe('kind registry mirror (pull-through caches shared by all clusters)', () => {
  const CACHES = ['docker-io', 'ghcr-io', 'cr-l5d-io', 'quay-io', 'registry-k8s-io', 'gcr-io'].map((u) => `meshspec-registry-${u}`);
  const inspect = (c: string) => `docker inspect --format {{.State.Running}} ${c}`;
  const NO_SUCH = (c: string) => ({ exitCode: 1, stderr: `Error: No such object: ${c}` });
  const ownership = async (stateDir: string) =>
    JSON.parse(await readFile(join(stateDir, 'kind', 'registry-mirrors.json'), 'utf8')) as { created: string[] };

  it('is on by default: one global step after the network, and every cluster waits for it', () => {
    const { steps, step } = setup({ workers: 1 });
    expect(steps.map((s) => [s.id, s.needs])).toEqual([
      ['kind:network', undefined],
      ['kind:registry-mirror', ['kind:network']],
      ['kind:cluster@demo', ['kind:network', 'kind:registry-mirror']],
      ['kind:cluster@demo3', ['kind:network', 'kind:registry-mirror']],
    ]);
    expect(step('kind:registry-mirror').plan).toEqual(
      [
        ['docker-io', 'https://registry-1.docker.io'],
        ['ghcr-io', 'https://ghcr.io'],
        ['cr-l5d-io', 'https://cr.l5d.io'],
        ['quay-io', 'https://quay.io'],
        ['registry-k8s-io', 'https://registry.k8s.io'],
        ['gcr-io', 'https://gcr.io'],
      ].map(
        ([name, url]) =>
          `docker run -d --restart=always --name meshspec-registry-${name} --network kind -e REGISTRY_PROXY_REMOTEURL=${url} registry:2 (only if missing; kept across applies; removed by destroy only if meshspec created it)`,
      ),
    );
    expect(step('kind:cluster@demo').plan).toEqual([
      'kind create cluster --name demo --config <state>/kind/demo.yaml --wait 120s (skipped when cluster demo exists with this config)',
      'docker cp <state>/kind/demo.certs.d/. <node>:/etc/containerd/certs.d for each node (demo-control-plane, demo-worker): containerd pulls docker.io, ghcr.io, cr.l5d.io, quay.io, registry.k8s.io, gcr.io through the registry mirrors',
      `docker inspect -f '{{(index .NetworkSettings.Networks "kind").IPAddress}}' demo-control-plane`,
    ]);
  });

  it('creates the missing caches on the kind network and records them as its own', async () => {
    const { step, context } = setup({ workers: 1 });
    const ctx = context('kind:registry-mirror');
    for (const c of CACHES) ctx.exec.on(inspect(c), NO_SUCH(c));
    ctx.exec.on('docker run', { stdout: 'f00d' });
    const outputs = await step('kind:registry-mirror').run(ctx);
    expect(ctx.exec.lines.filter((l) => l.startsWith('docker run'))).toHaveLength(6);
    expect(ctx.exec.lines).toContain(
      'docker run -d --restart=always --name meshspec-registry-cr-l5d-io --network kind -e REGISTRY_PROXY_REMOTEURL=https://cr.l5d.io registry:2',
    );
    expect(outputs).toMatchObject({
      created: [...CACHES].sort(),
      reused: [],
      mirrors: { 'docker.io': 'http://meshspec-registry-docker-io:5000' },
    });
    expect((await ownership(ctx.stateDir)).created).toEqual([...CACHES].sort());
  });

  it('reuses caches someone else created (another topology, ctlptl), joins them to the network, and never removes them', async () => {
    const { step, context } = setup({ workers: 1 });
    const ctx = context('kind:registry-mirror');
    ctx.exec.on('docker inspect', { stdout: 'true' }).on('docker network connect', {
      exitCode: 1,
      stderr: 'Error response from daemon: endpoint with name meshspec-registry-docker-io already exists in network kind',
    });
    await expect(step('kind:registry-mirror').run(ctx)).resolves.toMatchObject({ created: [], reused: CACHES });
    expect(ctx.exec.lines.some((l) => l.startsWith('docker run'))).toBe(false);

    const destroy = context('kind:registry-mirror');
    await step('kind:registry-mirror').destroy!(destroy);
    expect(destroy.exec.lines).toEqual([]);
  });

  it('keeps ownership across applies, and destroy removes exactly the caches it created', async () => {
    const { step, context } = setup({ workers: 1 });
    const first = context('kind:registry-mirror');
    // docker.io's cache already exists (someone else's); the other five are made here.
    first.exec.on(inspect(CACHES[0]!), { stdout: 'true' }).on('docker network connect', { stdout: '' });
    for (const c of CACHES.slice(1)) first.exec.on(inspect(c), NO_SUCH(c));
    first.exec.on('docker run', { stdout: 'f00d' });
    await step('kind:registry-mirror').run(first);

    // The next apply finds all six running: the five stay meshspec's.
    const again = createTestStepContext(first.topology, { stateDir: first.stateDir, step: first.step });
    again.exec.on('docker inspect', { stdout: 'true' }).on('docker network connect', { stdout: '' });
    await expect(step('kind:registry-mirror').run(again)).resolves.toMatchObject({ created: CACHES.slice(1).sort(), reused: [CACHES[0]] });

    const destroy = createTestStepContext(first.topology, { stateDir: first.stateDir, step: first.step });
    destroy.exec.on('docker rm -f', { stdout: '' });
    await step('kind:registry-mirror').destroy!(destroy);
    expect(destroy.exec.lines.sort()).toEqual(
      CACHES.slice(1)
        .map((c) => `docker rm -f ${c}`)
        .sort(),
    );
    await expect(readFile(join(first.stateDir, 'kind', 'registry-mirrors.json'), 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('points nodes at a reused registry for an upstream instead of creating a cache for it', async () => {
    const { step, context } = setup({ workers: 0, registryMirror: { reuse: { 'docker.io': 'http://ctlptl-registry:5000' } } });
    expect(step('kind:registry-mirror').plan).toContain(
      'reuse http://ctlptl-registry:5000 as the mirror of docker.io (not created or removed by meshspec)',
    );
    expect(step('kind:registry-mirror').plan!.some((l) => l.includes('meshspec-registry-docker-io'))).toBe(false);
    const ctx = context('kind:cluster@demo', 'demo');
    ctx.exec.on('kind get clusters', { stdout: '' }).on('docker cp', { stdout: '' }).on(DISCOVER_DEMO, { stdout: '172.18.0.3' });
    await step('kind:cluster@demo').run(ctx);
    expect(await readFile(join(ctx.stateDir, 'kind', 'demo.certs.d', 'docker.io', 'hosts.toml'), 'utf8')).toBe(
      'server = "https://registry-1.docker.io"\n\n[host."http://ctlptl-registry:5000"]\n  capabilities = ["pull", "resolve"]\n',
    );
  });

  it('copies the hosts.toml tree into every node after creating the cluster', async () => {
    const { step, context } = setup({ workers: 1 });
    const ctx = context('kind:cluster@demo', 'demo');
    ctx.exec.on('kind get clusters', { stdout: '' }).on('docker cp', { stdout: '' }).on(DISCOVER_DEMO, { stdout: '172.18.0.3' });
    await step('kind:cluster@demo').run(ctx);
    const dir = join(ctx.stateDir, 'kind', 'demo.certs.d');
    expect(ctx.exec.lines.slice(2)).toEqual([
      `docker cp ${dir}/. demo-control-plane:/etc/containerd/certs.d`,
      `docker cp ${dir}/. demo-worker:/etc/containerd/certs.d`,
      DISCOVER_DEMO,
    ]);
    expect(await readFile(join(dir, 'ghcr.io', 'hosts.toml'), 'utf8')).toBe(
      'server = "https://ghcr.io"\n\n[host."http://meshspec-registry-ghcr-io:5000"]\n  capabilities = ["pull", "resolve"]\n',
    );
    expect(await readFile(join(ctx.stateDir, 'kind', 'demo.yaml'), 'utf8')).toContain('config_path = "/etc/containerd/certs.d"');
  });

  it('keeps using a cluster created before the mirror existed, with a warning that it still pulls from the internet', async () => {
    const off = setup({ workers: 1, ...NO_MIRROR });
    const first = off.context('kind:cluster@demo', 'demo');
    first.exec.on('kind get clusters', { stdout: '' }).on(DISCOVER_DEMO, { stdout: '172.18.0.3' });
    await off.step('kind:cluster@demo').run(first);

    const on = setup({ workers: 1 });
    const again = createTestStepContext(on.topology, { stateDir: first.stateDir, step: first.step });
    again.exec.on('kind get clusters', { stdout: 'demo\n' }).on('docker cp', { stdout: '' }).on(DISCOVER_DEMO, { stdout: '172.18.0.3' });
    await expect(on.step('kind:cluster@demo').run(again)).resolves.toMatchObject({ apiServerUrl: 'https://172.18.0.3:6443' });
    expect(again.logs.some((l) => l.startsWith('warn kind cluster demo was created without the registry mirror'))).toBe(true);
  });
});
