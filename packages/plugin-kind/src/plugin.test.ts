// The kind plugin through PluginTester: whole topologies validated by the composed schema and every
// plugin's checks (positions are the real ones), the steps it makes and where they sit in the plan.
import { PluginTester } from '@meshspec/core/testing';
import { kindPlugin } from './plugin.js';

const topology = (clusters: string, kind = 'kindClusters: {}\n') =>
  `apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: k }\nclusters:\n${clusters}${kind}`;

new PluginTester(kindPlugin, { base: topology('  east: {}\n  west: {}\n', '') }).run({
  valid: [
    { section: {} },
    { section: { workers: 0, network: 'meshspec' } },
    {
      name: 'disjoint subnets and a per-cluster worker count',
      topology: topology(
        '  east: { podSubnet: 10.244.0.0/16, serviceSubnet: 10.96.0.0/16 }\n  west: { podSubnet: 10.245.0.0/16, serviceSubnet: 10.97.0.0/16, workers: 1 }\n',
      ),
    },
    {
      name: "kind's own context name and a fixed API server port",
      topology: topology('  east: { context: kind-east, apiServerPort: 6443 }\n'),
    },
  ],
  invalid: [
    {
      name: 'overlapping service subnets, at the later cluster, with a free range',
      topology: topology('  east: { serviceSubnet: 10.96.0.0/16 }\n  west: { serviceSubnet: 10.96.0.0/16 }\n'),
      errors: [
        {
          path: 'clusters.west.serviceSubnet',
          line: 6,
          column: 26,
          message: /overlaps serviceSubnet 10\.96\.0\.0\/16 of cluster east/,
          fix: /use a free \/16 such as serviceSubnet: /,
        },
      ],
    },
    {
      name: 'host bits set',
      topology: topology('  east: { podSubnet: 10.244.1.0/16 }\n'),
      errors: [
        { path: 'clusters.east.podSubnet', line: 5, column: 22, message: '10.244.1.0/16 has host bits set; its network is 10.244.0.0/16' },
      ],
    },
    {
      name: 'a context kind would not give the cluster',
      topology: topology('  east: { context: prod }\n'),
      errors: [
        {
          path: 'clusters.east.context',
          line: 5,
          column: 20,
          message: 'kind names the kube context of cluster east "kind-east", not "prod"',
          fix: 'remove context or write context: kind-east',
        },
      ],
    },
    {
      name: 'two clusters on one API server port',
      topology: topology('  east: { apiServerPort: 6443 }\n  west: { apiServerPort: 6443 }\n'),
      errors: [{ path: 'clusters.west.apiServerPort', message: /cluster west would listen on .*6443, which cluster east already uses/ }],
    },
    {
      name: "settings under 'kind:' (the document kind) get a fix naming kindClusters",
      topology: topology('  east: {}\n', 'kind: { workers: 1 }\n'),
      errors: [
        {
          path: 'kind',
          line: 6,
          column: 1,
          message: "duplicate key 'kind': it is already set on line 2",
          fix: /settings of the kind plugin go under 'kindClusters:'/,
        },
      ],
    },
    {
      name: 'a worker count out of range (schema)',
      topology: topology('  east: {}\n', 'kindClusters: { workers: 50 }\n'),
      errors: [{ path: 'kindClusters.workers', line: 6, column: 26, message: /at most 20|<= 20|maximum/ }],
    },
  ],
  steps: [
    { section: {}, ids: ['kind:network', 'kind:registry-mirror', 'kind:cluster@east', 'kind:cluster@west'] },
    {
      name: 'registry mirror off: no cache step',
      section: { registryMirror: { enabled: false } },
      ids: ['kind:network', 'kind:cluster@east', 'kind:cluster@west'],
    },
    { name: 'no section: no steps', topology: topology('  east: { context: east }\n', ''), ids: [] },
  ],
  plans: [
    {
      name: 'the network first, then the shared registry caches, then every cluster after them',
      section: {},
      order: ['kind:network', 'kind:registry-mirror', 'kind:cluster@east', 'kind:cluster@west'],
      steps: { 'kind:registry-mirror': { needs: ['kind:network'] } },
    },
  ],
});
