// The linkerd plugin through PluginTester: whole topologies validated by the composed schema and every
// plugin's checks (positions are the real ones), the steps it makes and where they sit in the plan.
import { PluginTester } from '@meshspec/core/testing';
import { kindPlugin } from '@meshspec/plugin-kind';
import { metallbPlugin } from '@meshspec/plugin-metallb';
import { linkerdPlugin } from './plugin.js';

const HEAD =
  'apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: l }\nclusters: { east: {}, west: {} }\nkindClusters: {}\nmetallb: {}\n';
const topology = (linkerd: string, head = HEAD) => `${head}linkerd:\n${linkerd}`;
/** Clusters given by kube context, with distinct pod subnets: no provider to say whether pods route between them. */
const CONTEXTS =
  'apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: l }\nclusters:\n  east: { context: ctx-east, podSubnet: 10.1.0.0/16 }\n  west: { context: ctx-west, podSubnet: 10.2.0.0/16 }\n';
const onContexts = (linkerd: string) => topology(linkerd, CONTEXTS);
const EXPORT = '  export: [{ namespace: test, service: podinfo }]\n';

new PluginTester(linkerdPlugin, { plugins: [kindPlugin, metallbPlugin], base: HEAD }).run({
  valid: [
    { name: 'Linkerd 2.20 on the default kind node image', section: { version: 'edge-26.6.3' } },
    { section: { version: 'edge-26.6.3', export: [{ namespace: 'test', service: 'podinfo' }], links: [{ from: 'east', to: 'west' }] } },
    { section: { version: 'edge-26.6.3', viz: false, multicluster: { enabled: false } } },
    {
      name: 'an export with multicluster off only warns (nothing will mirror it)',
      topology: topology('  version: edge-26.6.3\n  multicluster: { enabled: false }\n  export: [{ namespace: test, service: podinfo }]\n'),
      warnings: [
        {
          path: 'linkerd.export[0]',
          line: 10,
          column: 12,
          message: 'test/podinfo is exported, but multicluster.enabled is false: no cluster links to another, so no cluster will mirror it',
        },
      ],
    },
    {
      name: 'flat links on 2.20 between clusters declared routable',
      topology: onContexts('  version: edge-26.6.3\n  multicluster: { linkMode: flat, podNetworksRoutable: true }\n' + EXPORT),
    },
    {
      name: 'a federated export over gateway links (2.17+), pods routable',
      topology: onContexts(
        '  version: edge-24.11.8\n  multicluster: { podNetworksRoutable: true }\n  export: [{ namespace: test, service: podinfo, mode: federated }]\n',
      ),
    },
    {
      name: 'one flat link beside gateway links, remote-discovery export',
      topology: onContexts(
        '  version: stable-2.14.10\n  multicluster: { podNetworksRoutable: true }\n  links: [{ from: east, to: west, mode: flat }, { from: west, to: east }]\n  export: [{ namespace: test, service: podinfo, mode: remote-discovery }]\n',
      ),
    },
    {
      name: 'kind clusters declared routable: only a warning, meshspec adds no routes',
      topology: topology('  version: edge-26.6.3\n  multicluster: { linkMode: flat, podNetworksRoutable: true }\n' + EXPORT),
      warnings: [
        {
          path: 'linkerd.multicluster.podNetworksRoutable',
          line: 9,
          column: 56,
          message: /kind clusters east, west: meshspec does not add the routes/,
        },
      ],
    },
  ],
  invalid: [
    {
      name: 'flat links on 2.13 (its link command has no --gateway flag)',
      topology: onContexts('  version: stable-2.13.3\n  multicluster: { linkMode: flat, podNetworksRoutable: true }\n'),
      errors: [
        {
          path: 'linkerd.multicluster.linkMode',
          line: 9,
          column: 29,
          message:
            'flat (gateway-less) links need Linkerd 2.14+, but linkerd.version is stable-2.13.3, whose `multicluster link` has no --gateway flag',
          fix: /linkerd\.version to Linkerd 2\.14 or later/,
        },
      ],
    },
    {
      name: 'multicluster.gateway: false on 2.13 makes the links flat, refused where it is written',
      topology: onContexts('  version: stable-2.13.3\n  multicluster: { gateway: false, podNetworksRoutable: true }\n'),
      errors: [{ path: 'linkerd.multicluster.gateway', line: 9, column: 28, message: /flat \(gateway-less\) links need Linkerd 2\.14\+/ }],
    },
    {
      name: "one link's own flat mode on 2.13",
      topology: onContexts(
        '  version: stable-2.13.3\n  multicluster: { podNetworksRoutable: true }\n  links:\n    - { from: east, to: west, mode: flat }\n',
      ),
      errors: [{ path: 'linkerd.links[0].mode', line: 11, column: 37, message: /need Linkerd 2\.14\+/ }],
    },
    {
      name: 'federated export before 2.17, remote-discovery before 2.14',
      topology: onContexts(
        '  version: stable-2.13.3\n  multicluster: { podNetworksRoutable: true }\n  export:\n    - { namespace: test, service: podinfo, mode: federated }\n    - { namespace: test, service: other, mode: remote-discovery }\n',
      ),
      errors: [
        {
          path: 'linkerd.export[0].mode',
          line: 11,
          column: 50,
          message: 'federated exports need Linkerd 2.17+, but linkerd.version is stable-2.13.3',
          fix: /Linkerd 2\.17 or later.*or export with mode: mirror/,
        },
        {
          path: 'linkerd.export[1].mode',
          line: 12,
          column: 48,
          message: 'remote-discovery exports need Linkerd 2.14+, but linkerd.version is stable-2.13.3',
        },
      ],
    },
    {
      name: 'federated on 2.16 (edge-24.8.2)',
      topology: onContexts(
        '  version: edge-24.8.2\n  multicluster: { podNetworksRoutable: true }\n  export: [{ namespace: test, service: podinfo, mode: federated }]\n',
      ),
      errors: [{ path: 'linkerd.export[0].mode', message: 'federated exports need Linkerd 2.17+, but linkerd.version is edge-24.8.2' }],
    },
    {
      name: 'a gateway link without the gateway',
      topology: onContexts('  version: edge-26.6.3\n  multicluster: { gateway: false, linkMode: gateway }\n'),
      errors: [
        {
          path: 'linkerd.multicluster.linkMode',
          line: 9,
          column: 45,
          message: "link east -> west goes through east's multicluster gateway, but multicluster.gateway is false, so there is none",
          fix: 'set multicluster.gateway: true, or make the link flat (mode: flat)',
        },
      ],
    },
    {
      name: 'a mirror export when every link is flat (a gateway-less Link has no selector)',
      topology: onContexts(
        '  version: edge-26.6.3\n  multicluster: { linkMode: flat, podNetworksRoutable: true }\n  export: [{ namespace: test, service: podinfo, mode: mirror }]\n',
      ),
      errors: [
        {
          path: 'linkerd.export[0].mode',
          line: 10,
          column: 55,
          message: /every link is flat: a gateway-less Link has no selector for it/,
          fix: /mode: remote-discovery/,
        },
      ],
    },
    {
      name: 'flat links between kind clusters, no routes declared',
      topology: topology('  version: edge-26.6.3\n  multicluster: { linkMode: flat }\n' + EXPORT),
      errors: [
        {
          path: 'linkerd.multicluster.linkMode',
          line: 9,
          column: 29,
          message:
            "flat link east -> west (and 2 more pod-to-pod links or exports) sends traffic pod-to-pod, but kind clusters (east, west) do not route each other's pod subnets: their nodes share a docker network, not pod routes",
          fix: /use gateway links .*Gateway-less links on kind.*podNetworksRoutable: true/,
        },
      ],
    },
    {
      name: 'a federated export between context clusters nobody declared routable',
      topology: onContexts('  version: edge-26.6.3\n  export: [{ namespace: test, service: podinfo, mode: federated }]\n'),
      errors: [
        {
          path: 'linkerd.export[0]',
          line: 9,
          column: 12,
          message:
            "federated export test/podinfo sends traffic pod-to-pod, and meshspec cannot tell whether pods of east, west reach the other clusters' pods",
          fix: /set linkerd\.multicluster\.podNetworksRoutable: true/,
        },
      ],
    },
    {
      name: 'flat links declared not routable',
      topology: onContexts('  version: edge-26.6.3\n  multicluster: { linkMode: flat, podNetworksRoutable: false }\n'),
      errors: [
        {
          path: 'linkerd.multicluster.linkMode',
          message:
            'flat link east -> west (and 1 more pod-to-pod link or export) sends traffic pod-to-pod, but multicluster.podNetworksRoutable is false',
        },
      ],
    },
    {
      name: 'overlapping pod subnets of context clusters, flat links',
      topology: topology(
        '  version: edge-26.6.3\n  multicluster: { linkMode: flat, podNetworksRoutable: true }\n',
        CONTEXTS.replace('10.2.0.0/16', '10.1.128.0/17'),
      ),
      errors: [
        {
          path: 'clusters.west.podSubnet',
          line: 6,
          column: 41,
          message:
            'pod subnet 10.1.128.0/17 of west overlaps 10.1.0.0/16 of east: pod-to-pod multicluster (flat link east -> west) needs distinct pod networks',
        },
      ],
    },
    {
      name: 'not a release name (schema)',
      topology: topology('  version: latest\n'),
      errors: [{ path: 'linkerd.version', line: 8, column: 12, message: /latest/ }],
    },
    {
      name: 'a link to a cluster the topology does not have, and one to itself',
      topology: topology('  version: edge-26.6.3\n  links:\n    - { from: east, to: north }\n    - { from: west, to: west }\n'),
      errors: [
        {
          path: 'linkerd.links[0].to',
          line: 10,
          column: 25,
          message: 'link to "north" is not a cluster of this topology',
          fix: 'use one of: east, west',
        },
        { path: 'linkerd.links[1]', line: 11, column: 7, message: 'link from "west" to itself' },
      ],
    },
    {
      name: 'links with the multicluster extension turned off',
      topology: topology('  version: edge-26.6.3\n  multicluster: { enabled: false }\n  links: [{ from: east, to: west }]\n'),
      errors: [
        {
          path: 'linkerd.links',
          line: 10,
          column: 10,
          message: 'links need the multicluster extension, which multicluster.enabled turns off',
          fix: 'remove links, or set multicluster.enabled: true',
        },
      ],
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
        ...['east', 'west'].flatMap((c) =>
          ['gateway-api', 'crds', 'control-plane', 'viz', 'multicluster', 'gateway'].map((step) => `linkerd:${step}@${c}`),
        ),
        'linkerd:link:east@west',
        'linkerd:link:west@east',
        'linkerd:export:test/podinfo@east',
        'linkerd:export:test/podinfo@west',
      ],
    },
    {
      name: 'Linkerd 2.13: no Gateway API step (it predates them), no viz or multicluster when turned off',
      topology: topology(
        '  version: stable-2.13.3\n  viz: false\n  multicluster: { enabled: false }\n',
        HEAD.replace(
          'kindClusters: {}',
          'kindClusters: { nodeImage: "kindest/node:v1.24.7@sha256:577c630ce8e509131eab1aea12c022190978dd2f745aac5eb1fe65c0807eb315" }',
        ),
      ),
      ids: ['linkerd:certs', 'linkerd:crds@east', 'linkerd:control-plane@east', 'linkerd:crds@west', 'linkerd:control-plane@west'],
    },
    { name: 'no section: no steps', topology: HEAD, ids: [] },
    {
      name: 'no gateway installed: flat links, no gateway step',
      topology: onContexts(
        '  version: edge-26.6.3\n  viz: false\n  multicluster: { gateway: false, podNetworksRoutable: true }\n' + EXPORT,
      ),
      ids: [
        'linkerd:certs',
        ...['east', 'west'].flatMap((c) => ['gateway-api', 'crds', 'control-plane', 'multicluster'].map((step) => `linkerd:${step}@${c}`)),
        'linkerd:link:east@west',
        'linkerd:link:west@east',
        'linkerd:export:test/podinfo@east',
        'linkerd:export:test/podinfo@west',
      ],
    },
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
          plan: [
            /^kubectl apply --server-side \(meshspec\) --context kind-west <- linkerd --context kind-east multicluster link-gen --cluster-name east --api-server-address <kind:cluster@east\.apiServerUrl>/,
          ],
        },
      },
    },
    {
      name: 'a flat link: --gateway=false, no wait for the gateway; its default export is labelled remote-discovery',
      topology: onContexts('  version: edge-26.6.3\n  multicluster: { linkMode: flat, podNetworksRoutable: true }\n' + EXPORT),
      steps: {
        'linkerd:link:east@west': {
          needs: ['linkerd:multicluster@east', 'linkerd:multicluster@west'],
          plan: [
            'kubectl apply --server-side (meshspec) --context ctx-west <- linkerd --context ctx-east multicluster link-gen --cluster-name east --gateway=false   (API server address: the server of context ctx-east in the kubeconfig)',
          ],
        },
        'linkerd:export:test/podinfo@east': {
          plan: [
            'kubectl label service podinfo -n test --context ctx-east mirror.linkerd.io/exported=remote-discovery (after the service exists)',
          ],
        },
      },
    },
    {
      name: 'per-link modes: the gateway link waits for the gateway, the flat one does not; a federated export is labelled member',
      topology: onContexts(
        '  version: edge-26.6.3\n  multicluster: { podNetworksRoutable: true }\n  links: [{ from: east, to: west, mode: flat }, { from: west, to: east }]\n  export: [{ namespace: test, service: podinfo, mode: federated }]\n',
      ),
      steps: {
        'linkerd:link:east@west': {
          needs: ['linkerd:multicluster@east', 'linkerd:multicluster@west'],
          plan: [/multicluster link-gen --cluster-name east --gateway=false/],
        },
        'linkerd:link:west@east': {
          needs: ['linkerd:multicluster@west', 'linkerd:multicluster@east', 'linkerd:gateway@west'],
          plan: [/multicluster link-gen --cluster-name west {3}\(API/],
        },
        'linkerd:export:test/podinfo@west': {
          plan: ['kubectl label service podinfo -n test --context ctx-west mirror.linkerd.io/federated=member (after the service exists)'],
        },
      },
    },
    {
      name: 'Linkerd 2.14 links flat with `link --gateway=false`',
      topology: onContexts('  version: stable-2.14.10\n  multicluster: { linkMode: flat, podNetworksRoutable: true }\n'),
      steps: {
        'linkerd:link:west@east': { plan: [/<- linkerd --context ctx-west multicluster link --cluster-name west --gateway=false/] },
      },
    },
    {
      name: 'without MetalLB the gateway waits for no pool',
      topology: topology('  version: edge-26.6.3\n', HEAD.replace('metallb: {}\n', '')),
      steps: { 'linkerd:gateway@west': { needs: ['linkerd:multicluster@west'], after: ['kind:cluster@west'] } },
    },
  ],
});
