import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { kindPlugin } from '@meshspec/plugin-kind';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Topology } from '@meshspec/core/plugin';
import { buildPlan, factsAccess, createTestStepContext, withEngineFacts } from '@meshspec/core/testing';
import { linkerdPlugin, linkerdSteps, type LinkerdSection } from '@meshspec/plugin-linkerd';
import { describe, expect, it } from 'vitest';
import type { WorkloadsSection } from './schema.js';
import { workloadsSteps as workloadsStepsRaw } from './steps.js';
import { workloadsPlugin } from './index.js';

const workloadsSteps = withEngineFacts(workloadsPlugin, workloadsStepsRaw, [kindPlugin]);

const topology = (workloads: WorkloadsSection): Topology => ({
  apiVersion: 'meshspec.dev/v1alpha1',
  kind: 'Topology',
  metadata: { name: 't' },
  clusters: { demo: { context: 'kind-demo' }, demo3: { context: 'kind-demo3' } },
  workloads,
});

function fixtureDir() {
  const dir = mkdtempSync(join(tmpdir(), 'meshspec-workloads-'));
  mkdirSync(join(dir, 'apps'));
  writeFileSync(join(dir, 'apps', 'b.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: b }\n');
  writeFileSync(
    join(dir, 'apps', 'a.yml'),
    '---\napiVersion: v1\nkind: Service\nmetadata: { name: a }\nspec: {}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: a2, namespace: other }\n',
  );
  writeFileSync(join(dir, 'apps', 'README.md'), 'not yaml');
  return dir;
}

describe('workloads steps', () => {
  const stepsCtx = (topologyDir = '/nowhere') => ({ stateDir: '/state', topologyDir, contextOf: (c: string) => `kind-${c}` });

  it('has no steps without a section, and demo steps per cluster ordered after the injector', () => {
    expect(workloadsSteps(topology({}), undefined, stepsCtx())).toEqual([]);
    const steps = workloadsSteps({ ...topology({ demo: {} }), kindClusters: {} }, { demo: {} }, stepsCtx());
    expect(steps.map((s) => s.id)).toEqual(['workloads:demo@demo', 'workloads:demo@demo3']);
    expect(steps[0]!.after).toEqual(['kind:cluster@demo', 'linkerd:control-plane@demo']);
    // Clusters given by context exist already: nothing to order after but Linkerd.
    expect(workloadsSteps(topology({ demo: {} }), { demo: {} }, stepsCtx())[0]!.after).toEqual(['linkerd:control-plane@demo']);
    expect(steps[0]!.plan).toContain('kubectl rollout status deployment/podinfo -n test --context kind-demo');
  });

  it("orders demo and manifests before Linkerd labels exported services, through linkerd's facts", () => {
    const section: WorkloadsSection = { demo: {}, manifests: [{ name: 'extra', path: 'x' }] };
    const linkerd: LinkerdSection = { version: 'stable-2.13.3', export: [{ namespace: 'test', service: 'podinfo' }] };
    const t = { ...topology(section), linkerd, kindClusters: {} };
    const steps = workloadsSteps(t, section, stepsCtx());
    expect(steps.find((s) => s.id === 'workloads:manifests:extra@demo3')!.before).toEqual(['linkerd:export:test/podinfo@demo3']);
    // In the plan the engine builds, the export waits for both, as Linkerd knows nothing of workloads.
    const plan = buildPlan([...linkerdSteps(t, linkerd, { ...stepsCtx(), ...factsAccess(t, linkerdPlugin) }), ...steps]);
    // (kind's steps are not in this plan, so the soft edges to them are dropped)
    expect(plan.graph.get('linkerd:export:test/podinfo@demo3')!.after).toEqual(['workloads:demo@demo3', 'workloads:manifests:extra@demo3']);
    expect(plan.graph.get('workloads:demo@demo')!.after).toEqual(['linkerd:control-plane@demo']);
  });

  it('demo run applies the rendered objects and waits for both rollouts', async () => {
    const t = topology({ demo: { namespace: 'shop' } });
    const [step] = workloadsSteps(t, t.workloads as WorkloadsSection, stepsCtx());
    const ctx = createTestStepContext(t, { step: { id: step!.id, cluster: 'demo' } });
    expect(await step!.status!(ctx)).toBe(false);
    const out = await step!.run(ctx);
    const applied = ctx.kubes.get('kind-demo')!.applied.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(applied).toEqual([
      'Namespace//shop',
      'Deployment/shop/podinfo',
      'Service/shop/podinfo',
      'ConfigMap/shop/frontend',
      'Deployment/shop/frontend',
      'Service/shop/frontend',
    ]);
    expect(out).toEqual({ namespace: 'shop', services: ['podinfo', 'frontend'] });
    expect(await step!.status!(ctx)).toBe(true);
    await step!.destroy!(ctx);
    expect(ctx.kubes.get('kind-demo')!.objects.size).toBe(0);
  });

  it('manifests from a directory apply its YAML files in name order with the default namespace', async () => {
    const dir = fixtureDir();
    const section: WorkloadsSection = { manifests: [{ name: 'apps', path: 'apps', clusters: ['demo3'], namespace: 'team' }] };
    const t = topology(section);
    const steps = workloadsSteps(t, section, stepsCtx(dir));
    expect(steps.map((s) => s.id)).toEqual(['workloads:manifests:apps@demo3']);
    const ctx = createTestStepContext(t, { topologyDir: dir, step: { id: steps[0]!.id, cluster: 'demo3' } });
    await steps[0]!.run(ctx);
    const applied = ctx.kubes.get('kind-demo3')!.applied.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
    expect(applied).toEqual(['Service/team/a', 'ConfigMap/other/a2', 'ConfigMap/team/b']);
  });

  it('manifests destroy deletes the objects it applied but leaves shared Namespaces and CRDs unless meshspec labelled them', async () => {
    const dir = fixtureDir();
    writeFileSync(
      join(dir, 'apps', 'c.yaml'),
      'apiVersion: v1\nkind: Namespace\nmetadata: { name: shared }\n---\napiVersion: v1\nkind: Namespace\nmetadata: { name: mine, labels: { app.kubernetes.io/managed-by: meshspec } }\n---\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: { name: widgets.example.com }\n',
    );
    const section: WorkloadsSection = { manifests: [{ name: 'apps', path: 'apps', clusters: ['demo3'], namespace: 'team' }] };
    const t = topology(section);
    const [step] = workloadsSteps(t, section, stepsCtx(dir));
    const ctx = createTestStepContext(t, { topologyDir: dir, step: { id: step!.id, cluster: 'demo3' } });
    await step!.run(ctx);
    const kube = ctx.kubes.get('kind-demo3')!;
    await step!.destroy!(ctx);
    const left = [...kube.objects.values()].map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(left).toEqual(['CustomResourceDefinition/widgets.example.com', 'Namespace/shared']);
  });

  it('manifests fingerprint changes when a file changes', () => {
    const dir = fixtureDir();
    const section: WorkloadsSection = { manifests: [{ name: 'apps', path: 'apps' }] };
    const inputs = () => JSON.stringify(workloadsSteps(topology(section), section, stepsCtx(dir))[0]!.inputs);
    const before = inputs();
    writeFileSync(join(dir, 'apps', 'b.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: b2 }\n');
    expect(inputs()).not.toEqual(before);
  });

  it('kustomize entries apply the output of kubectl kustomize', async () => {
    const section: WorkloadsSection = { manifests: [{ name: 'k', kustomize: 'overlays/dev' }] };
    const t = topology(section);
    const [step] = workloadsSteps(t, section, stepsCtx('/topo'));
    expect(step!.plan).toEqual(['kubectl apply --server-side (meshspec) --context kind-demo <- kubectl kustomize /topo/overlays/dev']);
    const ctx = createTestStepContext(t, { topologyDir: '/topo', step: { id: step!.id, cluster: 'demo' } });
    ctx.exec.on('kubectl kustomize', { stdout: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: k, namespace: n }\n' });
    await step!.run(ctx);
    expect(ctx.exec.lines).toEqual(['kubectl kustomize /topo/overlays/dev']);
    expect(ctx.kubes.get('kind-demo')!.applied.map((o) => o.metadata.name)).toEqual(['k']);
  });

  it('fails with the step id when a manifests source is empty', async () => {
    const section: WorkloadsSection = { manifests: [{ name: 'k', kustomize: 'empty' }] };
    const t = topology(section);
    const [step] = workloadsSteps(t, section, stepsCtx('/topo'));
    const ctx = createTestStepContext(t, { topologyDir: '/topo', step: { id: step!.id, cluster: 'demo' } });
    await expect(step!.run(ctx)).rejects.toThrow(/manifests k: .* holds no objects/);
  });
});
