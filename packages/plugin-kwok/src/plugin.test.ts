// The kwok plugin through PluginTester: whole topologies validated by the composed schema and every
// plugin's checks (positions are the real ones), the steps it makes and where they sit in the plan.
import { PluginTester } from '@meshspec/core/testing';
import { kindPlugin } from '@meshspec/plugin-kind';
import { metallbPlugin } from '@meshspec/plugin-metallb';
import { kwokPlugin } from './plugin.js';

const topology = (clusters: string, sections = 'kwokClusters: {}\n') =>
  `apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: k }\nclusters:\n${clusters}${sections}`;

new PluginTester(kwokPlugin, { plugins: [kindPlugin, metallbPlugin], base: topology('  east: {}\n  west: {}\n', '') }).run({
  valid: [
    { section: {} },
    { section: { nodes: 3, loadBalancerRange: '198.51.100.0/24', loadBalancerPoolSize: 8 } },
    { name: "kwokctl's own context name", topology: topology('  east: { context: kwok-east }\n') },
  ],
  invalid: [
    {
      name: 'a context kwokctl will not name so',
      topology: topology('  east: { context: my-east }\n'),
      errors: [
        { path: 'clusters.east.context', line: 5, column: 20, message: /kwokctl names the kube context of cluster east "kwok-east"/ },
      ],
    },
    {
      name: "two clusters sharing a pod subnet (core's rule for every provider)",
      topology: topology('  east: { podSubnet: 10.244.0.0/16 }\n  west: { podSubnet: 10.244.0.0/16 }\n'),
      errors: [{ path: 'clusters.west.podSubnet', line: 6, column: 22, message: /overlaps podSubnet 10\.244\.0\.0\/16 of cluster east/ }],
    },
    {
      name: 'kind and kwok both claiming the clusters',
      topology: topology('  east: {}\n', 'kindClusters: {}\nkwokClusters: {}\n'),
      errors: [
        // kind resolved the context first (kind-east), which kwokctl would not create.
        {
          path: 'clusters.east.context',
          line: 5,
          column: 9,
          message: /kwokctl names the kube context of cluster east "kwok-east", not "kind-east"/,
        },
        {
          path: 'kwokClusters',
          line: 7,
          column: 15,
          message: 'cluster east is provided by both kind (kindClusters) and kwok (kwokClusters); a cluster has one provider',
          fix: 'keep one of kindClusters and kwokClusters',
        },
      ],
    },
    {
      name: 'MetalLB on simulated clusters',
      topology: topology('  east: {}\n', 'kwokClusters: {}\nmetallb: {}\n'),
      errors: [
        {
          path: 'metallb',
          line: 7,
          column: 10,
          message: 'MetalLB needs real containers, but east (kwok) has simulated nodes and pods',
          fix: /kwokClusters\.loadBalancerRange assigns LoadBalancer addresses/,
        },
        {
          path: 'metallb',
          line: 7,
          column: 10,
          message: /need an automatic pool, carved from the kind docker network, but the topology has no kindClusters section/,
        },
      ],
    },
  ],
  steps: [
    { section: {}, ids: ['kwok:cluster@east', 'kwok:cluster@west'] },
    { name: 'no section: no steps', topology: topology('  east: { context: east }\n', ''), ids: [] },
  ],
  plans: [{ name: 'one cluster step per cluster', section: {}, order: ['kwok:cluster@east', 'kwok:cluster@west'] }],
});
