// The example plugin tested the way docs/plugins.md recommends: steps as data, run/status/destroy against
// @meshspec/core/testing's in-memory cluster, and validation through core's validateTopology.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TopologyError, validateTopology, type Plugin, type Topology } from '@meshspec/core';
import { createTestStepContext } from '@meshspec/core/testing';
import { kindPlugin } from '@meshspec/plugin-kind';
import { describe, expect, it } from 'vitest';
import bannerPlugin from './banner-plugin.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const plugins = [kindPlugin, bannerPlugin] as Plugin[];
const stepsCtx = { stateDir: '/state', topologyDir: here, contextOf: (c: string) => `kind-${c}` };

async function load(text: string): Promise<Topology> {
  return (await validateTopology({ text, file: 'topology.yaml', plugins })).topology;
}

describe('banner plugin', () => {
  it('the example topology: one ConfigMap step per cluster, after the kind cluster (and Linkerd when used)', async () => {
    const topology = await load(readFileSync(join(here, 'topology.yaml'), 'utf8'));
    const steps = bannerPlugin.steps(topology, topology['banner'], stepsCtx);
    expect(steps.map((s) => [s.id, s.cluster, s.after])).toEqual([
      ['banner:configmap@east', 'east', ['kind:cluster@east', 'linkerd:control-plane@east']],
      ['banner:configmap@west', 'west', ['kind:cluster@west', 'linkerd:control-plane@west']],
    ]);
    expect(steps[0]!.plan).toEqual(['kubectl apply --server-side (meshspec) ConfigMap default/meshspec-banner']);
  });

  it('run applies the ConfigMap, status sees it, destroy removes it', async () => {
    const topology = await load(readFileSync(join(here, 'topology.yaml'), 'utf8'));
    const [step] = bannerPlugin.steps(topology, topology['banner'], stepsCtx);
    const ctx = createTestStepContext(topology, { step: { id: step!.id, cluster: 'east' } });
    expect(await step!.status!(ctx)).toBe(false);
    await step!.run(ctx);
    const live = await ctx.kube().get('v1', 'ConfigMap', 'meshspec-banner', 'default');
    expect(live).toMatchObject({ data: { message: 'hello from meshspec', cluster: 'east' } });
    expect(await step!.status!(ctx)).toBe(true);
    await step!.destroy!(ctx);
    expect(await ctx.kube().get('v1', 'ConfigMap', 'meshspec-banner', 'default')).toBeUndefined();
  });

  it('validate: an empty message and an unknown cluster, positioned, with fixes', async () => {
    const text = 'apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: b }\nclusters: { east: {} }\nkindClusters: {}\nbanner:\n  message: " "\n  clusters: [east, nowhere]\n';
    const error = await load(text).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TopologyError);
    expect((error as TopologyError).diagnostics.map((d) => `${d.line}:${d.column} ${d.path}: ${d.message} (fix: ${d.fix})`)).toEqual([
      '7:12 banner.message: message is empty (fix: write the text the banner should carry)',
      "8:20 banner.clusters[1]: unknown cluster 'nowhere' (fix: use one of: east)",
    ]);
  });

  it('a section without message is a schema error', async () => {
    const error = await load('apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: b }\nclusters: { east: {} }\nbanner: { namespace: x }\n').catch((e: unknown) => e);
    expect((error as TopologyError).diagnostics.map((d) => d.path)).toEqual(['banner.message']);
  });
});
