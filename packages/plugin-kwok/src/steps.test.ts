import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { StepError, type KubeObject, type Topology } from '@meshspec/core/plugin';
import { createTestStepContext, type MemoryKube } from '@meshspec/core/testing';
import { kwokPlugin } from './plugin.js';
import { renderKwokctlConfig, renderKwokctlConfigYaml } from './render.js';
import { resolveKwok } from './resolve.js';
import { configPath, kwokSteps, kwokWorkdir } from './steps.js';
import { withDefaults } from './schema.js';

const controller = () => ({ node: '/usr/bin/node', script: '/opt/lb-controller.js' });
const topology = (): Topology =>
  resolveKwok(
    {
      apiVersion: 'meshspec.dev/v1alpha1',
      kind: 'Topology',
      metadata: { name: 't' },
      clusters: { east: {}, west: { simulatedNodes: 2 } },
      kwokClusters: {},
    },
    {},
  );
const KUBECONFIG = (port: number) =>
  `apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority: /x/ca.crt\n    server: https://127.0.0.1:${port}\n  name: kwok-east\n`;

/** FAKE kwok: the simulated Nodes become Ready as soon as they are applied, as kwok-controller marks them. */
function kwokMarksNodesReady(kube: MemoryKube): void {
  const apply = kube.apply.bind(kube);
  kube.apply = async (objects, options) => {
    const list = (objects as KubeObject[]).map((o) =>
      o.kind === 'Node' ? { ...o, status: { conditions: [{ type: 'Ready', status: 'True' }] } } : o,
    );
    return apply(list, options);
  };
}

function runContext(existing: string[] = [], createExit = 0) {
  const t = topology();
  const ctx = createTestStepContext(t, { step: { id: 'kwok:cluster@east', cluster: 'east' } });
  ctx.exec.on('kwokctl get clusters', { stdout: existing.map((c) => `${c}\n`).join('') });
  ctx.exec.on('kwokctl create cluster', {
    exitCode: createExit,
    stderr: createExit ? 'failed to start cluster "east": kube-apiserver exited' : '',
  });
  ctx.exec.on('kwokctl get kubeconfig --name east', { stdout: KUBECONFIG(32764) });
  kwokMarksNodesReady(ctx.kube('east') as MemoryKube);
  const step = kwokSteps(t, t['kwokClusters'] as never, controller).find((s) => s.id === 'kwok:cluster@east')!;
  return { ctx, step, t };
}

describe('kwok steps', () => {
  it('plan: one cluster step per cluster, creation marked as cluster-create, matches the golden', async () => {
    const t = topology();
    const steps = kwokPlugin.steps(t, t['kwokClusters'] as never, undefined as never);
    expect(steps.map((s) => [s.id, s.resource])).toEqual([
      ['kwok:cluster@east', 'cluster-create'],
      ['kwok:cluster@west', 'cluster-create'],
    ]);
    await expect(steps.map((s) => `${s.id}\n${(s.plan ?? []).map((l) => `  $ ${l}`).join('\n')}`).join('\n') + '\n').toMatchFileSnapshot(
      '__golden__/plan.txt',
    );
    expect(kwokPlugin.steps({ ...t, kwokClusters: undefined }, undefined, undefined as never)).toEqual([]);
  });

  it('run (FAKE kwokctl, FAKE kwok): writes the config, creates the cluster in <state>/kwok, applies Ready nodes, outputs the loopback URL', async () => {
    const { ctx, step } = runContext();
    const outputs = await step.run(ctx);
    expect(outputs).toEqual({ context: 'kwok-east', apiServerUrl: 'https://127.0.0.1:32764' });
    const create = ctx.exec.calls.find((c) => c.args[0] === 'create')!;
    expect(create.args).toContain('kube-apiserver=service-cluster-ip-range=10.96.0.0/16');
    expect(create.args.slice(create.args.indexOf('--config'), create.args.indexOf('--config') + 2)).toEqual([
      '--config',
      configPath(ctx.stateDir, 'east'),
    ]);
    expect(ctx.exec.calls.every((c) => c.env?.['KWOK_WORKDIR'] === kwokWorkdir(ctx.stateDir))).toBe(true);
    const written = await readFile(configPath(ctx.stateDir, 'east'), 'utf8');
    expect(written).toBe(
      renderKwokctlConfigYaml(
        renderKwokctlConfig('east', withDefaults({}), '198.51.100.1-198.51.100.4', kwokWorkdir(ctx.stateDir), controller()),
      ),
    );
    const node = await ctx.kube('east').get('v1', 'Node', 'kwok-node-0');
    expect((node?.['spec'] as { podCIDR: string }).podCIDR).toBe('10.244.0.0/24');
  });

  it('run: an existing cluster with the recorded config is used as it is (no second create)', async () => {
    const { ctx, step } = runContext(['east']);
    await mkdir(kwokWorkdir(ctx.stateDir), { recursive: true });
    await writeFile(
      configPath(ctx.stateDir, 'east'),
      renderKwokctlConfigYaml(
        renderKwokctlConfig('east', withDefaults({}), '198.51.100.1-198.51.100.4', kwokWorkdir(ctx.stateDir), controller()),
      ),
    );
    await step.run(ctx);
    expect(ctx.exec.lines.filter((l) => l.startsWith('kwokctl create'))).toEqual([]);
  });

  it('run: an existing cluster with another config is refused', async () => {
    const { ctx, step } = runContext(['east']);
    await mkdir(kwokWorkdir(ctx.stateDir), { recursive: true });
    await writeFile(configPath(ctx.stateDir, 'east'), 'something else\n');
    await expect(step.run(ctx)).rejects.toThrow('kwok cluster east exists with a different config; meshspec will not touch it');
  });

  it('run: a failed create says where the component logs are', async () => {
    const { ctx, step } = runContext([], 1);
    const error = (await step.run(ctx).catch((e: unknown) => e)) as StepError;
    expect(error).toBeInstanceOf(StepError);
    expect(error.message).toContain(
      `kwokctl could not create cluster east: its component logs are in ${kwokWorkdir(ctx.stateDir)}/clusters/east/logs`,
    );
  });

  it.each([
    { name: 'deletes an existing cluster', existing: ['east'], deletes: ['kwokctl delete cluster --name east'] },
    { name: 'treats a cluster already gone as done', existing: [], deletes: [] },
  ])('destroy $name', async ({ existing, deletes }) => {
    const { ctx, step } = runContext(existing);
    await step.destroy!(ctx);
    expect(ctx.exec.lines.filter((l) => l.startsWith('kwokctl delete'))).toEqual(deletes);
  });
});
