import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StepError, type Step, type Topology } from '@meshspec/core';
import { createTestStepContext, testStepsContext } from '@meshspec/core/testing';
import { kindPlugin } from './plugin.js';
import { renderKindConfig, renderKindConfigYaml } from './render.js';
import { resolveKind } from './resolve.js';
import type { KindClusterSpec, KindSection } from './schema.js';

const IPAM = '[{"Subnet":"fc00:f853:ccd:e793::/64"},{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]';
const INSPECT = "docker network inspect kind --format {{json .IPAM.Config}}";
const CREATE = 'docker network create -d=bridge -o com.docker.network.bridge.enable_ip_masquerade=true -o com.docker.network.driver.mtu=1500 kind';
const DISCOVER_DEMO = 'docker inspect -f {{(index .NetworkSettings.Networks "kind").IPAddress}} demo-control-plane';

function setup(section: KindSection = { workers: 1 }) {
  const raw: Topology = { apiVersion: 'meshspec.dev/v1alpha1', kind: 'Topology', metadata: { name: 't' }, clusters: { demo: {}, demo3: {} }, kindClusters: section };
  const topology = resolveKind(raw, section);
  const steps = kindPlugin.steps(topology, section, testStepsContext(topology, kindPlugin));
  const step = (id: string) => steps.find((s) => s.id === id)!;
  const context = (id: string, cluster?: string) => createTestStepContext(topology, { step: { id, ...(cluster ? { cluster } : {}) } });
  return { topology, steps, step, context };
}

describe('kind steps', () => {
  it('are one global network step plus one cluster step per cluster, clusters only needing the network (parallel)', () => {
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
      ['an unreachable docker daemon', { exitCode: 1, stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock' }, /docker network inspect kind failed/],
      ['two networks named kind', { exitCode: 1, stderr: 'Error: network kind is ambiguous (2 matches found based on name)' }, /two docker networks are named kind: .*docker network rm <id>/],
      ['an IPv6-only network', { stdout: '[{"Subnet":"fc00:f853:ccd:e793::/64"}]' }, /has no IPv4 subnet/],
    ])('fails clearly on %s', async (_, answer, message) => {
      const { step, context } = setup();
      const ctx = context('kind:network');
      ctx.exec.on(INSPECT, answer);
      const error = await step('kind:network').run(ctx).catch((e: unknown) => e);
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
      expect(await readFile(file, 'utf8')).toBe(renderKindConfigYaml(renderKindConfig('demo', topology.clusters['demo'] as KindClusterSpec, { workers: 1 })));
    });

    it('skips creation when the cluster exists with the recorded config, still returning outputs', async () => {
      const { step, context } = setup();
      const first = context('kind:cluster@demo', 'demo');
      first.exec.on('kind get clusters', { stdout: '' }).on(DISCOVER_DEMO, { stdout: '172.18.0.3' });
      await step('kind:cluster@demo').run(first);

      const again = createTestStepContext(first.topology, { stateDir: first.stateDir, step: first.step });
      again.exec.on('kind get clusters', { stdout: 'demo\ndemo3\n' }).on(DISCOVER_DEMO, { stdout: '172.18.0.3' });
      await expect(step('kind:cluster@demo').run(again)).resolves.toEqual({ context: 'kind-demo', apiServerUrl: 'https://172.18.0.3:6443' });
      expect(again.exec.lines).toEqual(['kind get clusters', DISCOVER_DEMO]);
    });

    it('refuses to touch an existing cluster created with a different config', async () => {
      const { step, context } = setup();
      const ctx = context('kind:cluster@demo', 'demo');
      await mkdir(join(ctx.stateDir, 'kind'), { recursive: true });
      await writeFile(join(ctx.stateDir, 'kind', 'demo.yaml'), 'kind: Cluster\nnodes: [{ role: control-plane }]\n');
      ctx.exec.on('kind get clusters', { stdout: 'demo\n' });
      const error = await step('kind:cluster@demo').run(ctx).catch((e: unknown) => e);
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
      await expect(step('kind:cluster@demo').run(ctx)).rejects.toThrow('container demo-control-plane has no address on docker network kind');
    });

    it('passes a non-default network to kind through KIND_EXPERIMENTAL_DOCKER_NETWORK', async () => {
      const { step, context } = setup({ network: 'mesh' });
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
