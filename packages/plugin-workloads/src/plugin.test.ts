// The workloads plugin through PluginTester: whole topologies validated by the composed schema and every
// plugin's checks (positions are the real ones), the steps it makes and where they sit in the plan.
// Manifest paths are checked on disk, relative to the topology file: the cases live in a temp folder.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginTester } from '@meshspec/core/testing';
import { kindPlugin } from '@meshspec/plugin-kind';
import { linkerdPlugin } from '@meshspec/plugin-linkerd';
import { workloadsPlugin } from './plugin.js';

const dir = mkdtempSync(join(tmpdir(), 'meshspec-workloads-tester-'));
writeFileSync(join(dir, 'app.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: app, namespace: default }\ndata: { a: "1" }\n');
mkdirSync(join(dir, 'overlay'));
writeFileSync(join(dir, 'overlay/kustomization.yaml'), 'resources: []\n');
mkdirSync(join(dir, 'empty'));

const HEAD =
  'apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: w }\nclusters: { east: {}, west: {} }\nkindClusters: {}\n';
/** Lines 1-5 the head, 6 `workloads:`, then the section's lines. */
const topology = (workloads: string, head = HEAD) => `${head}workloads:\n${workloads}`;

new PluginTester(workloadsPlugin, {
  plugins: [kindPlugin, linkerdPlugin],
  base: HEAD,
  file: join(dir, 'topology.yaml'),
  topologyDir: dir,
}).run({
  valid: [
    { name: 'the demo app with its defaults', section: { demo: {} } },
    { section: { demo: { namespace: 'shop', loadGenerators: false } } },
    {
      name: 'a file of manifests and a kustomize directory, one of them in west only',
      section: {
        manifests: [
          { name: 'app', path: 'app.yaml' },
          { name: 'overlay', kustomize: 'overlay', clusters: ['west'] },
        ],
      },
    },
    { section: { demo: false } },
  ],
  invalid: [
    {
      name: 'a manifests path that does not exist, relative to the topology file',
      topology: topology('  manifests: [{ name: app, path: missing.yaml }]\n'),
      errors: [
        {
          path: 'workloads.manifests[0].path',
          line: 7,
          column: 34,
          message: `missing.yaml does not exist (looked in ${join(dir, 'missing.yaml')})`,
          fix: 'paths are relative to the topology file; fix the path or create the file',
        },
      ],
    },
    {
      name: 'both path and kustomize, and a name used twice',
      topology: topology('  manifests:\n    - { name: app, path: app.yaml, kustomize: overlay }\n    - { name: app, path: app.yaml }\n'),
      errors: [
        {
          path: 'workloads.manifests[0]',
          line: 8,
          column: 7,
          message: 'manifests "app" needs exactly one of path or kustomize',
          fix: 'remove either path or kustomize',
        },
        { path: 'workloads.manifests[1].name', line: 9, column: 15, message: 'manifests name "app" is used twice; step ids would collide' },
      ],
    },
    {
      name: 'a kustomize directory without kustomization.yaml',
      topology: topology('  manifests: [{ name: k, kustomize: empty }]\n'),
      errors: [{ path: 'workloads.manifests[0].kustomize', message: 'empty has no kustomization.yaml' }],
    },
    {
      name: 'an unknown cluster',
      topology: topology('  manifests: [{ name: app, path: app.yaml, clusters: [north] }]\n'),
      errors: [{ path: 'workloads.manifests[0].clusters[0]', message: 'unknown cluster "north"', fix: 'use one of: east, west' }],
    },
    {
      name: 'a demo namespace that is no DNS label (schema)',
      topology: topology('  demo: { namespace: Test_NS }\n'),
      errors: [{ path: 'workloads.demo.namespace', line: 7, column: 22, message: /Test_NS/ }],
    },
  ],
  steps: [
    { section: { demo: {} }, ids: ['workloads:demo@east', 'workloads:demo@west'] },
    { section: { manifests: [{ name: 'app', path: 'app.yaml', clusters: ['west'] }] }, ids: ['workloads:manifests:app@west'] },
    { section: { demo: false }, ids: [] },
  ],
  plans: [
    {
      name: "the demo after the cluster and Linkerd's control plane (its pods get proxies), before Linkerd exports its service",
      topology: topology('  demo: {}\n', `${HEAD}linkerd: { version: edge-26.6.3, export: [{ namespace: test, service: podinfo }] }\n`),
      steps: {
        'workloads:demo@east': { needs: [], after: ['kind:cluster@east', 'linkerd:control-plane@east'] },
        // Seen from Linkerd's side: its export waits for the service (workloads orders itself before it).
        'linkerd:export:test/podinfo@east': { after: ['kind:cluster@east', 'workloads:demo@east'] },
      },
    },
  ],
});
