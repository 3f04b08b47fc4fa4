// The metallb plugin through PluginTester: whole topologies validated by the composed schema and every
// plugin's checks (positions are the real ones), the steps it makes and where they sit in the plan.
import { PluginTester } from '@meshspec/core/testing';
import { kindPlugin } from '@meshspec/plugin-kind';
import { metallbPlugin } from './plugin.js';

const withKind = (metallb: string) =>
  `apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: m }\nclusters: { east: {}, west: {} }\nkindClusters: {}\nmetallb:\n${metallb}`;
const withoutKind = (metallb: string) =>
  `apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: m }\nclusters: { east: { context: east }, west: { context: west } }\nmetallb:\n${metallb}`;

new PluginTester(metallbPlugin, { plugins: [kindPlugin], base: withKind('  {}\n').replace('metallb:\n  {}\n', '') }).run({
  valid: [
    { name: 'automatic pools carved from the kind network', section: {} },
    { section: { poolSize: 20, chartVersion: '0.15.2' } },
    {
      name: 'explicit pools inside the given docker subnet, without kind',
      topology: withoutKind('  dockerSubnet: 172.18.0.0/16\n  pools: { east: 172.18.255.200-172.18.255.209, west: 172.18.255.216/29 }\n'),
    },
    { name: 'one explicit pool, the other cluster automatic', section: { pools: { west: '172.18.255.200-172.18.255.209' } } },
  ],
  invalid: [
    {
      name: 'a pool for a cluster the topology does not have',
      topology: withKind('  pools: { north: 172.18.255.200-172.18.255.209 }\n'),
      errors: [
        {
          path: 'metallb.pools.north',
          line: 7,
          column: 19,
          message: 'metallb pool for north, which is not a cluster of this topology',
          fix: 'remove it or rename it to one of: east, west',
        },
      ],
    },
    {
      name: 'two clusters announcing the same addresses',
      topology: withKind('  pools:\n    east: 172.18.255.200-172.18.255.209\n    west: 172.18.255.205-172.18.255.214\n'),
      errors: [
        {
          path: 'metallb.pools.west',
          line: 9,
          column: 11,
          message: /overlaps pool 172\.18\.255\.200-172\.18\.255\.209 of cluster east; two clusters must never announce the same address/,
        },
      ],
    },
    {
      name: 'a pool outside the docker network',
      topology: withoutKind('  dockerSubnet: 172.18.0.0/16\n  pools: { east: 10.0.0.1-10.0.0.9, west: 172.18.255.200-172.18.255.209 }\n'),
      errors: [
        {
          path: 'metallb.pools.east',
          message: /is outside the docker network 172\.18\.0\.0\/16/,
          fix: /use a range inside 172\.18\.0\.0\/16/,
        },
      ],
    },
    {
      name: 'automatic pools need kind (or dockerSubnet)',
      topology: withoutKind('  pools: { east: 172.18.255.200-172.18.255.209 }\n'),
      errors: [
        {
          path: 'metallb',
          message:
            /clusters west need an automatic pool, carved from the kind docker network, but the topology has no kindClusters section/,
        },
      ],
    },
    {
      name: 'not a range',
      topology: withKind('  pools: { east: lots }\n'),
      errors: [{ path: 'metallb.pools.east', message: /pool "lots" of cluster east is not an address range/ }],
    },
    {
      name: 'a chart version that is not x.y.z (schema)',
      topology: withKind('  chartVersion: latest\n'),
      errors: [
        {
          path: 'metallb.chartVersion',
          line: 7,
          column: 17,
          message: "'latest' is not valid here: expected version of the metallb chart from https://metallb.github.io/metallb.",
        },
      ],
    },
  ],
  steps: [
    { section: {}, ids: ['metallb:install@east', 'metallb:pools@east', 'metallb:install@west', 'metallb:pools@west'] },
    { name: 'no section: no steps', topology: withKind('  {}\n').replace('metallb:\n  {}\n', ''), ids: [] },
  ],
  plans: [
    {
      name: 'pools after the install and the kind network (automatic pools are carved from its subnet), install after the kind cluster',
      section: {},
      steps: {
        'metallb:install@east': { after: ['kind:cluster@east'] },
        'metallb:pools@east': { needs: ['metallb:install@east', 'kind:network'] },
      },
    },
    {
      name: 'explicit pools without kind: no wait on the kind network',
      topology: withoutKind('  dockerSubnet: 172.18.0.0/16\n  pools: { east: 172.18.255.200-172.18.255.209, west: 172.18.255.216/29 }\n'),
      steps: { 'metallb:pools@west': { needs: ['metallb:install@west'], after: [] } },
    },
  ],
});
