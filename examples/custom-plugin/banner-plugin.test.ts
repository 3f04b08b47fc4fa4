// The example plugin tested the way docs/plugins.md recommends: tables of valid and invalid topologies,
// steps and plans through PluginTester (the real schema, validate and planner), and run/status/destroy
// against @meshspec/core/testing's in-memory cluster.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestStepContext, PluginTester, testStepsContext, validateTopology } from '@meshspec/core/testing';
import { kindPlugin } from '@meshspec/plugin-kind';
import { linkerdPlugin } from '@meshspec/plugin-linkerd';
import { describe, expect, it } from 'vitest';
import bannerPlugin from './banner-plugin.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const example = readFileSync(join(here, 'topology.yaml'), 'utf8');
const topology = (banner: string, more = '') =>
  `apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: b }\nclusters: { east: {}, west: {} }\nkindClusters: {}\n${more}banner:\n${banner}`;

new PluginTester(bannerPlugin, { plugins: [kindPlugin, linkerdPlugin], base: topology('  message: x\n') }).run({
  valid: [example, { section: { message: 'hi' } }, { section: { message: 'hi', namespace: 'ops', clusters: ['west'] } }],
  invalid: [
    {
      name: 'an empty message and an unknown cluster, positioned, with fixes',
      topology: topology('  message: " "\n  clusters: [east, nowhere]\n'),
      errors: [
        { path: 'banner.message', message: 'message is empty', line: 7, column: 12, fix: 'write the text the banner should carry' },
        { path: 'banner.clusters[1]', message: "unknown cluster 'nowhere'", line: 8, column: 20, fix: 'use one of: east, west' },
      ],
    },
    {
      name: 'a section without message is a schema error',
      topology: topology('  namespace: x\n'),
      errors: [{ path: 'banner.message', message: /missing required key 'message'/ }],
    },
    {
      name: 'a typo is an unknown key with a suggestion',
      topology: topology('  message: hi\n  clusterz: [east]\n'),
      errors: [{ path: 'banner.clusterz', message: /unknown key 'clusterz'/, fix: /clusters/ }],
    },
  ],
  steps: [
    { section: { message: 'hi' }, ids: ['banner:configmap@east', 'banner:configmap@west'] },
    { section: { message: 'hi', clusters: ['west'] }, ids: ['banner:configmap@west'] },
  ],
  plans: [
    {
      name: 'after the kind cluster, and after Linkerd when it is used',
      topology: topology('  message: hi\n', 'linkerd: { version: edge-26.6.3 }\n'),
      steps: {
        'banner:configmap@east': {
          after: ['kind:cluster@east', 'linkerd:control-plane@east'],
          plan: ['kubectl apply --server-side (meshspec) ConfigMap default/meshspec-banner'],
        },
      },
    },
    {
      name: 'without Linkerd, after the kind cluster only',
      section: { message: 'hi' },
      steps: { 'banner:configmap@west': { needs: [], after: ['kind:cluster@west'] } },
    },
  ],
});

describe('banner plugin steps', () => {
  it('run applies the ConfigMap, status sees it, destroy removes it', async () => {
    const { topology: valid } = await validateTopology({
      text: example,
      file: 'topology.yaml',
      plugins: [kindPlugin, linkerdPlugin, bannerPlugin],
    });
    const [step] = bannerPlugin.steps(
      valid,
      valid['banner'] as Parameters<typeof bannerPlugin.steps>[1],
      testStepsContext(valid, bannerPlugin),
    );
    const ctx = createTestStepContext(valid, { step: { id: step!.id, cluster: 'east' } });
    expect(await step!.status!(ctx)).toBe(false);
    await step!.run(ctx);
    const live = await ctx.kube().get('v1', 'ConfigMap', 'meshspec-banner', 'default');
    expect(live).toMatchObject({ data: { message: 'hello from meshspec', cluster: 'east' } });
    expect(await step!.status!(ctx)).toBe(true);
    await step!.destroy!(ctx);
    expect(await ctx.kube().get('v1', 'ConfigMap', 'meshspec-banner', 'default')).toBeUndefined();
  });
});
