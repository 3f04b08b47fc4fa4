// The smi plugin through PluginTester: whole topologies validated by the composed schema and every
// plugin's checks (positions are the real ones), the steps it makes and where they sit in the plan.
// Most invalid cases are contradictions with the linkerd section, read through Linkerd's facts.
import { PluginTester } from '@meshspec/core/testing';
import { kindPlugin } from '@meshspec/plugin-kind';
import { linkerdPlugin } from '@meshspec/plugin-linkerd';
import { workloadsPlugin } from '@meshspec/plugin-workloads';
import { smiPlugin } from './plugin.js';

const HEAD =
  'apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: s }\nclusters:\n  east: { context: ctx-east }\n  west: { context: ctx-west }\nworkloads: { demo: { namespace: test } }\n';
const EXPORT = '  export: [{ namespace: test, service: podinfo }]\n';
/** Lines 1-7 the head, 8 `linkerd:`, then the linkerd lines, then `smi:` and its lines. */
const topology = (linkerd: string, smi: string) => `${HEAD}linkerd:\n${linkerd}smi:\n${smi}`;
const MODERN = `  version: edge-26.6.3\n${EXPORT}`;
const SEED = `  version: stable-2.13.3\n${EXPORT}`;
const SPLIT = '  splits: [{ namespace: test, service: podinfo }]\n';
/** Linkerd 2.20 with podinfo exported as a federated service (pods declared routable for it). */
const FEDERATED =
  '  version: edge-26.6.3\n  multicluster: { podNetworksRoutable: true }\n  export: [{ namespace: test, service: podinfo, mode: federated }]\n';

new PluginTester(smiPlugin, { plugins: [kindPlugin, linkerdPlugin, workloadsPlugin], base: `${HEAD}linkerd:\n${SEED}` }).run({
  valid: [
    {
      name: 'the seed: Linkerd 2.13, export, full-mesh links, a default 50/50 split',
      section: { splits: [{ namespace: 'test', service: 'podinfo' }] },
    },
    {
      name: 'explicit weighted backends',
      section: {
        splits: [
          {
            namespace: 'test',
            service: 'podinfo',
            backends: [
              { cluster: 'east', weight: 90 },
              { cluster: 'west', weight: 10 },
            ],
          },
        ],
      },
    },
    { name: 'a split in one cluster only', section: { splits: [{ namespace: 'test', service: 'podinfo', clusters: ['east'] }] } },
    {
      name: 'Linkerd 2.20: HTTPRoutes, with a warning that SMI itself is not installed',
      topology: topology(MODERN, SPLIT),
      warnings: [
        { path: 'smi', line: 11, column: 1, message: /^SMI is deprecated in Linkerd's docs .* the smi splits are Gateway API HTTPRoutes/ },
      ],
    },
    {
      name: 'flat links and a remote-discovery export: a default split over the remote-discovery mirrors',
      topology: topology('  version: edge-26.6.3\n  multicluster: { linkMode: flat, podNetworksRoutable: true }\n' + EXPORT, SPLIT),
      warnings: [{ path: 'smi', message: /^SMI is deprecated/ }],
    },
  ],
  invalid: [
    {
      name: 'cross-plugin: a default split over a federated service (it already balances across clusters)',
      topology: topology(FEDERATED, SPLIT),
      errors: [
        {
          path: 'smi.splits[0].service',
          line: 13,
          column: 40,
          message:
            'test/podinfo is exported as federated: no per-cluster mirror exists to split to, and podinfo-federated already balances across the member clusters',
          fix: 'send traffic to podinfo-federated (it balances over every cluster; no split needed), or export test/podinfo with mode: remote-discovery or mirror to split it by weight',
        },
      ],
    },
    {
      name: 'cross-plugin: weighted backends of a federated service',
      topology: topology(
        FEDERATED,
        '  splits: [{ namespace: test, service: podinfo, backends: [{ cluster: east, weight: 90 }, { cluster: west, weight: 10 }] }]\n',
      ),
      errors: [
        {
          path: 'smi.splits[0].backends[0].cluster',
          message:
            'test/podinfo is exported as federated: there is no mirror podinfo-east, only podinfo-federated, which already balances across the member clusters',
        },
        { path: 'smi.splits[0].backends[1].cluster', message: /there is no mirror podinfo-west, only podinfo-federated/ },
      ],
    },
    {
      name: 'cross-plugin: a backend behind a flat link, exported with mode mirror (the flat Link has no selector for it)',
      topology: topology(
        '  version: edge-26.6.3\n  multicluster: { podNetworksRoutable: true }\n  links: [{ from: east, to: west, mode: flat }, { from: west, to: east }]\n  export: [{ namespace: test, service: podinfo, mode: mirror }]\n',
        '  splits: [{ namespace: test, service: podinfo, backends: [{ cluster: east, weight: 50 }, { cluster: west, weight: 50 }] }]\n',
      ),
      errors: [
        {
          path: 'smi.splits[0].backends[0].cluster',
          message:
            'the link from east into west is flat and test/podinfo is exported with mode mirror, so the mirror podinfo-east will not exist there',
          fix: 'export test/podinfo with mode: remote-discovery (flat links mirror only that), or make the link a gateway link',
        },
      ],
    },
    {
      name: 'cross-plugin: multicluster off, an export and a default split (no mirror will ever exist)',
      topology: topology(`  version: stable-2.13.3\n  multicluster: { enabled: false }\n${EXPORT}`, SPLIT),
      errors: [
        {
          path: 'smi.splits[0]',
          line: 13,
          column: 12,
          message:
            'test/podinfo is split across clusters, but linkerd.multicluster.enabled is false: no cluster is linked to another, so no mirror of podinfo will ever exist to send traffic to',
          fix: 'set linkerd.multicluster.enabled: true (links and mirrors need the multicluster extension), or remove this split',
        },
      ],
      warnings: [{ path: 'linkerd.export[0]', message: /is exported, but multicluster.enabled is false/ }],
    },
    {
      name: 'cross-plugin: a split of a service no cluster exports',
      topology: topology('  version: stable-2.13.3\n', SPLIT),
      errors: [
        {
          path: 'smi.splits[0].service',
          line: 11,
          column: 40,
          message: 'test/podinfo is not exported by any cluster, so no mirrors exist to split to',
          fix: 'add { namespace: test, service: podinfo } to linkerd.export',
        },
      ],
    },
    {
      name: 'cross-plugin: links that leave the split cluster without a mirror',
      topology: topology(
        `  version: stable-2.13.3\n  links: [{ from: east, to: west }]\n${EXPORT}`,
        '  splits: [{ namespace: test, service: podinfo, clusters: [east] }]\n',
      ),
      errors: [
        {
          path: 'smi.splits[0]',
          message:
            'test/podinfo would split to no mirror: none of east is linked to another cluster (linkerd.links), so all its traffic would stay local',
        },
      ],
    },
    {
      name: 'cross-plugin: no linkerd section at all',
      topology: `${HEAD}smi:\n${SPLIT}`,
      errors: [
        {
          path: 'smi',
          line: 8,
          column: 1,
          message: 'smi splits traffic between Linkerd multicluster mirrors, but the topology has no linkerd section',
        },
      ],
    },
    {
      name: 'cross-plugin: an extension too old for Linkerd 2.13',
      topology: topology(SEED, `  extensionVersion: v0.2.1\n${SPLIT}`),
      errors: [
        {
          path: 'smi.extensionVersion',
          line: 12,
          column: 21,
          message: 'linkerd-smi v0.2.1 does not work with Linkerd stable-2.13.3 (2.13 and later need v0.2.3+)',
          fix: /set extensionVersion: v0\.2\./,
        },
      ],
    },
    {
      name: 'a backend in an unknown cluster, and all weights 0',
      topology: topology(
        SEED,
        '  splits:\n    - namespace: test\n      service: podinfo\n      backends: [{ cluster: north, weight: 0 }, { cluster: east, weight: 0 }]\n',
      ),
      errors: [
        // In file order: the list's own position comes before its first entry's.
        {
          path: 'smi.splits[0].backends',
          line: 15,
          column: 17,
          message: 'all backends of test/podinfo have weight 0, so no request could be routed',
        },
        {
          path: 'smi.splits[0].backends[0].cluster',
          line: 15,
          column: 29,
          message: 'unknown cluster "north"',
          fix: 'use one of: east, west',
        },
      ],
    },
    {
      name: 'the same service split twice',
      topology: topology(SEED, '  splits:\n    - { namespace: test, service: podinfo }\n    - { namespace: test, service: podinfo }\n'),
      errors: [
        {
          path: 'smi.splits[1].service',
          line: 14,
          column: 35,
          message: 'test/podinfo is split twice',
          fix: 'merge the two entries into one',
        },
      ],
    },
  ],
  steps: [
    {
      name: 'Linkerd 2.13: the linkerd-smi extension and a TrafficSplit per cluster',
      section: { splits: [{ namespace: 'test', service: 'podinfo' }] },
      ids: ['smi:install@east', 'smi:install@west', 'smi:split:test/podinfo@east', 'smi:split:test/podinfo@west'],
    },
    {
      name: 'Linkerd 2.20: HTTPRoutes only, nothing to install',
      topology: topology(MODERN, SPLIT),
      ids: ['smi:split:test/podinfo@east', 'smi:split:test/podinfo@west'],
    },
  ],
  plans: [
    {
      name: "a TrafficSplit after the extension, Linkerd's export and the demo app it splits",
      section: { splits: [{ namespace: 'test', service: 'podinfo' }] },
      steps: {
        'smi:install@east': { needs: [], after: ['linkerd:control-plane@east'] },
        // The mirror podinfo-west exists in east once west exports podinfo and east links to west.
        'smi:split:test/podinfo@east': {
          needs: ['smi:install@east'],
          after: [
            'linkerd:crds@east',
            'linkerd:control-plane@east',
            'workloads:demo@east',
            'linkerd:link:west@east',
            'linkerd:export:test/podinfo@west',
          ],
          plan: ['kubectl apply --server-side (meshspec) --context ctx-east <- TrafficSplit test/podinfo: podinfo=50, podinfo-west=50'],
        },
      },
    },
    {
      name: 'an HTTPRoute (Linkerd 2.20) needs no extension',
      topology: topology(MODERN, SPLIT),
      steps: { 'smi:split:test/podinfo@west': { needs: [] } },
    },
  ],
});
