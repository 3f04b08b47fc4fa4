import type { Topology } from '@meshspec/core/plugin';
import { kindPlugin } from '@meshspec/plugin-kind';
import { createTestStepContext, withEngineFacts } from '@meshspec/core/testing';
import { describe, expect, it } from 'vitest';
import type { SmiSection } from './schema.js';
import { smiSteps as smiStepsRaw } from './steps.js';
import { smiPlugin } from './index.js';

const smiSteps = withEngineFacts(smiPlugin, smiStepsRaw, [kindPlugin]);

const stepsCtx = { stateDir: '/state', topologyDir: '/topo', contextOf: (c: string) => `kind-${c}` };
function topology(version: string, clusters = ['demo', 'demo3']): Topology {
  return {
    apiVersion: 'meshspec.dev/v1alpha1',
    kind: 'Topology',
    metadata: { name: 't' },
    clusters: Object.fromEntries(clusters.map((c) => [c, { context: `kind-${c}` }])),
    linkerd: { version, export: [{ namespace: 'test', service: 'podinfo' }] },
    smi: { splits: [{ namespace: 'test', service: 'podinfo' }] },
  };
}
const section = (t: Topology) => t['smi'] as SmiSection;
const ids = (t: Topology) => smiSteps(t, section(t), stepsCtx).map((s) => s.id);

describe('smi steps', () => {
  it('no section, no steps', () => {
    expect(smiSteps(topology('stable-2.13.3'), undefined, stepsCtx)).toEqual([]);
  });

  it.each([
    [
      'stable-2.13.3',
      ['smi:install@demo', 'smi:install@demo3', 'smi:split:test/podinfo@demo', 'smi:split:test/podinfo@demo3'],
      'TrafficSplit',
    ],
    ['version-2.18', ['smi:split:test/podinfo@demo', 'smi:split:test/podinfo@demo3'], 'HTTPRoute'],
  ])('Linkerd %s: steps %j, applies %s', async (version, expectedIds, kind) => {
    const t = topology(version);
    expect(ids(t)).toEqual(expectedIds);
    const split = smiSteps(t, section(t), stepsCtx).find((s) => s.id === 'smi:split:test/podinfo@demo3')!;
    const ctx = createTestStepContext(t, { step: { id: split.id, cluster: 'demo3' } });
    expect(await split.status!(ctx)).toBe(false);
    await split.run(ctx);
    const applied = ctx.kubes.get('kind-demo3')!.applied;
    expect(applied.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([`${kind}/test/podinfo`]);
    expect(JSON.stringify(applied[0]!.spec)).toContain('podinfo-demo');
    expect(await split.status!(ctx)).toBe(true);
  });

  it('orders a split after the links, exports and demo it relies on; needs the extension in TrafficSplit mode', () => {
    const t = topology('stable-2.13.3', ['a', 'b', 'c']);
    const split = smiSteps(t, section(t), stepsCtx).find((s) => s.id === 'smi:split:test/podinfo@b')!;
    expect(split.needs).toEqual(['smi:install@b']);
    expect(split.after).toEqual(
      expect.arrayContaining([
        'linkerd:link:a@b',
        'linkerd:link:c@b',
        'linkerd:export:test/podinfo@a',
        'linkerd:export:test/podinfo@c',
        'workloads:demo@b',
        'linkerd:control-plane@b',
      ]),
    );
    expect(split.plan).toEqual([
      'kubectl apply --server-side (meshspec) --context kind-b <- TrafficSplit test/podinfo: podinfo=34, podinfo-a=33, podinfo-c=33',
    ]);
  });

  it('install renders with linkerd smi install, applies it and waits for the adaptor', async () => {
    const t = topology('stable-2.13.3');
    const install = smiSteps(t, section(t), stepsCtx)[0]!;
    const ctx = createTestStepContext(t, { step: { id: install.id, cluster: 'demo' } });
    ctx.exec.on('linkerd-smi version', { stdout: 'v0.2.7\n' });
    ctx.exec.on('linkerd smi install', {
      stdout:
        'apiVersion: v1\nkind: Namespace\nmetadata: { name: linkerd-smi }\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: { name: smi-adaptor, namespace: linkerd-smi }\n',
    });
    await install.run(ctx);
    expect(ctx.exec.lines).toEqual(['linkerd-smi version', 'linkerd smi install --context kind-demo']);
    expect(ctx.kubes.get('kind-demo')!.applied.map((o) => o.kind)).toEqual(['Namespace', 'Deployment']);
    expect(await install.status!(ctx)).toBe(true);
  });

  it('install refuses a linkerd-smi CLI of another version than the pinned one', async () => {
    const t = topology('stable-2.13.3');
    const install = smiSteps(t, section(t), stepsCtx)[0]!;
    const ctx = createTestStepContext(t, { step: { id: install.id, cluster: 'demo' } });
    ctx.exec.on('linkerd-smi version', { stdout: 'v0.2.1\n' });
    await expect(install.run(ctx)).rejects.toThrow(/linkerd-smi on PATH is v0.2.1, the topology pins v0.2.7/);
    expect(ctx.exec.lines).toEqual(['linkerd-smi version']);
  });

  // Issue 8 problem 9: `linkerd smi install` ran whatever `linkerd` was on PATH, not linkerd.cliPath.
  it.each([
    [undefined, 'linkerd'],
    ['/opt/linkerd-stable-2.13.3/bin/linkerd', '/opt/linkerd-stable-2.13.3/bin/linkerd'],
  ])('install with linkerd.cliPath %s runs `%s smi install` (plan and run)', async (cliPath, cli) => {
    const t = topology('stable-2.13.3');
    (t['linkerd'] as Record<string, unknown>)['cliPath'] = cliPath;
    const install = smiSteps(t, section(t), stepsCtx)[0]!;
    expect(install.plan!.join('\n')).toContain(`${cli} smi install --context kind-demo`);
    const ctx = createTestStepContext(t, { step: { id: install.id, cluster: 'demo' } });
    ctx.exec.on('linkerd-smi version', { stdout: 'v0.2.7\n' });
    ctx.exec.on(`${cli} smi install`, { stdout: 'apiVersion: v1\nkind: Namespace\nmetadata: { name: linkerd-smi }\n' });
    await install.run(ctx).catch(() => {});
    expect(ctx.exec.lines).toEqual(['linkerd-smi version', `${cli} smi install --context kind-demo`]);
  });
});
