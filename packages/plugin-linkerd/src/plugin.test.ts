// The linkerd plugin through PluginTester: whole topologies validated by the composed schema and every
// plugin's checks (positions are the real ones), the steps it makes and where they sit in the plan.
import { PluginTester } from '@meshspec/core/testing';
import { kindPlugin } from '@meshspec/plugin-kind';
import { metallbPlugin } from '@meshspec/plugin-metallb';
import { linkerdPlugin } from './plugin.js';

const HEAD = 'apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: l }\nclusters: { east: {}, west: {} }\nkindClusters: {}\nmetallb: {}\n';
const topology = (linkerd: string, head = HEAD) => `${head}linkerd:\n${linkerd}`;

new PluginTester(linkerdPlugin, { plugins: [kindPlugin, metallbPlugin], base: HEAD }).run({
  valid: [
    { name: 'Linkerd 2.20 on the default kind node image', section: { version: 'edge-26.6.3' } },
    { section: { version: 'edge-26.6.3', export: [{ namespace: 'test', service: 'podinfo' }], links: [{ from: 'east', to: 'west' }] } },
    { section: { version: 'edge-26.6.3', viz: false, multicluster: { enabled: false } } },
    {
      name: 'an export with multicluster off only warns (nothing will mirror it)',
      topology: topology('  version: edge-26.6.3\n  multicluster: { enabled: false }\n  export: [{ namespace: test, service: podinfo }]\n'),
      warnings: [{ path: 'linkerd.export[0]', line: 10, column: 12, message: 'test/podinfo is exported, but multicluster.enabled is false: no cluster links to another, so no cluster will mirror it' }],
    },
  ],
  invalid: [
    {
      name: 'not a release name (schema)',
      topology: topology('  version: latest\n'),
      errors: [{ path: 'linkerd.version', line: 8, column: 12, message: /latest/ }],
    },
    {
      name: 'a link to a cluster the topology does not have, and one to itself',
      topology: topology('  version: edge-26.6.3\n  links:\n    - { from: east, to: north }\n    - { from: west, to: west }\n'),
      errors: [
        { path: 'linkerd.links[0].to', line: 10, column: 25, message: 'link to "north" is not a cluster of this topology', fix: 'use one of: east, west' },
        { path: 'linkerd.links[1]', line: 11, column: 7, message: 'link from "west" to itself' },
      ],
    },
    {
      name: 'links with the multicluster extension turned off',
      topology: topology('  version: edge-26.6.3\n  multicluster: { enabled: false }\n  links: [{ from: east, to: west }]\n'),
      errors: [{ path: 'linkerd.links', line: 10, column: 10, message: 'links need the multicluster extension, which multicluster.enabled turns off', fix: 'remove links, or set multicluster.enabled: true' }],
    },
    {
      name: 'an issuer renewed on every apply',
      topology: topology('  version: edge-26.6.3\n  issuerValidity: 24h\n  issuerRenewBefore: 48h\n'),
      errors: [{ path: 'linkerd.issuerRenewBefore', message: /issuerRenewBefore \(48h\) is not shorter than issuerValidity \(24h\)/ }],
    },
    {
      name: "cross-plugin: kind's node image runs a Kubernetes this Linkerd does not support",
      topology: topology('  version: stable-2.13.3\n'),
      errors: [{ path: 'kindClusters.nodeImage', message: /Kubernetes 1\.35.*stable-2\.13\.3|stable-2\.13\.3.*1\.35/ }],
    },
  ],
  steps: [
    {
      name: 'Linkerd 2.20 on two clusters with one export',
      section: { version: 'edge-26.6.3', export: [{ namespace: 'test', service: 'podinfo' }] },
      ids: [
        'linkerd:certs',
        ...['east', 'west'].flatMap((c) => ['gateway-api', 'crds', 'control-plane', 'viz', 'multicluster', 'gateway'].map((step) => `linkerd:${step}@${c}`)),
        'linkerd:link:east@west',
        'linkerd:link:west@east',
        'linkerd:export:test/podinfo@east',
        'linkerd:export:test/podinfo@west',
      ],
    },
    {
      name: 'Linkerd 2.13: no Gateway API step (it predates them), no viz or multicluster when turned off',
      topology: topology('  version: stable-2.13.3\n  viz: false\n  multicluster: { enabled: false }\n', HEAD.replace('kindClusters: {}', 'kindClusters: { nodeImage: "kindest/node:v1.24.7@sha256:577c630ce8e509131eab1aea12c022190978dd2f745aac5eb1fe65c0807eb315" }')),
      ids: ['linkerd:certs', 'linkerd:crds@east', 'linkerd:control-plane@east', 'linkerd:crds@west', 'linkerd:control-plane@west'],
    },
    { name: 'no section: no steps', topology: HEAD, ids: [] },
  ],
  plans: [
    {
      name: 'control plane after the kind cluster and the shared certificates; the gateway waits for MetalLB',
      section: { version: 'edge-26.6.3' },
      steps: {
        'linkerd:crds@east': { needs: ['linkerd:gateway-api@east'], after: ['kind:cluster@east'] },
        'linkerd:control-plane@east': { needs: ['linkerd:crds@east', 'linkerd:certs'], after: ['kind:cluster@east'] },
        'linkerd:gateway@east': {
          needs: ['linkerd:multicluster@east'],
          after: ['kind:cluster@east', 'metallb:pools@east'],
          plan: [
            'kubectl rollout status deployment/linkerd-gateway -n linkerd-multicluster --context kind-east',
            'wait for service/linkerd-gateway -n linkerd-multicluster --context kind-east to get a LoadBalancer address -> <address>',
          ],
        },
        // The link reaches east's API server at the address kind's cluster step learns on the docker network.
        'linkerd:link:east@west': {
          needs: ['linkerd:multicluster@east', 'linkerd:multicluster@west', 'linkerd:gateway@east'],
          plan: [/^kubectl apply --server-side \(meshspec\) --context kind-west <- linkerd --context kind-east multicluster link-gen --cluster-name east --api-server-address <kind:cluster@east\.apiServerUrl>/],
        },
      },
    },
    {
      name: 'without MetalLB the gateway waits for no pool',
      topology: topology('  version: edge-26.6.3\n', HEAD.replace('metallb: {}\n', '')),
      steps: { 'linkerd:gateway@west': { needs: ['linkerd:multicluster@west'], after: ['kind:cluster@west'] } },
    },
  ],
});
