// The ingress plugin through PluginTester: whole topologies validated by the composed schema and every
// plugin's checks (positions are the real ones), the steps it makes and where they sit in the plan.
import { PluginTester } from '@meshspec/core/testing';
import { kindPlugin } from '@meshspec/plugin-kind';
import { linkerdPlugin } from '@meshspec/plugin-linkerd';
import { metallbPlugin } from '@meshspec/plugin-metallb';
import { workloadsPlugin } from '@meshspec/plugin-workloads';
import { ingressPlugin } from './plugin.js';

/** Linkerd 2.13 needs an older Kubernetes than kind's default node image: the seed's. */
const SEED_NODE_IMAGE = 'kindest/node:v1.24.7@sha256:577c630ce8e509131eab1aea12c022190978dd2f745aac5eb1fe65c0807eb315';
const head = (linkerd = 'edge-26.6.3') =>
  `apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: i }\nclusters: { east: {}, west: {} }\nkindClusters: { nodeImage: "${linkerd.startsWith('stable-2.13') ? SEED_NODE_IMAGE : 'kindest/node:v1.35.8@sha256:07b2536e30b803ed61d1677a79df6115f798ce64c80f9e22f6ed45afd09323c0'}" }\nmetallb: {}\nlinkerd: { version: ${linkerd} }\nworkloads: { demo: { namespace: test } }\n`;
/** Lines 1-8 the head, 9 `ingress:`, then the section's lines. */
const topology = (ingress: string, linkerd?: string) => `${head(linkerd)}ingress:\n${ingress}`;
const EXPOSE = '  expose: [{ namespace: test, service: frontend, port: 8080 }]\n';
const RETIRED = {
  path: 'ingress.controller',
  message: 'ingress-nginx is retired: no releases or security fixes after March 2026',
  fix: /controller: envoy-gateway/,
};

new PluginTester(ingressPlugin, { plugins: [kindPlugin, metallbPlugin, linkerdPlugin, workloadsPlugin], base: head() }).run({
  valid: [
    {
      name: 'Envoy Gateway with HTTPRoutes on Linkerd 2.20',
      section: { controller: 'envoy-gateway', expose: [{ namespace: 'test', service: 'frontend', port: 8080 }] },
    },
    {
      section: {
        controller: 'envoy-gateway',
        hostPattern: '{service}.{cluster}.example.test',
        expose: [{ namespace: 'test', service: 'frontend', port: 8080, clusters: ['west'] }],
      },
    },
    {
      name: 'the retired ingress-nginx still works, with a warning',
      topology: topology(`  controller: ingress-nginx\n${EXPOSE}`, 'stable-2.13.3'),
      warnings: [{ ...RETIRED, line: 10, column: 15 }],
    },
  ],
  invalid: [
    {
      name: "cross-plugin: Envoy Gateway needs the Gateway API CRDs Linkerd's plugin installs from 2.18",
      topology: topology(`  controller: envoy-gateway\n${EXPOSE}`, 'stable-2.13.3'),
      errors: [
        {
          path: 'ingress.controller',
          line: 10,
          column: 15,
          message:
            'envoy-gateway needs the Gateway API CRDs that meshspec installs with Linkerd 2.18+; linkerd.version stable-2.13.3 is Linkerd 2.13',
          fix: /use Linkerd 2\.18 or newer/,
        },
      ],
    },
    {
      name: 'an unknown host pattern placeholder',
      topology: topology(`  controller: envoy-gateway\n  hostPattern: "{svc}.example.test"\n${EXPOSE}`),
      errors: [
        {
          path: 'ingress.hostPattern',
          line: 11,
          column: 16,
          message: 'unknown placeholder {svc}',
          fix: 'use {service}, {namespace}, {cluster} or {context}',
        },
      ],
    },
    {
      name: 'one host for every service',
      topology: topology(
        '  controller: envoy-gateway\n  hostPattern: "{cluster}.example.test"\n  expose:\n    - { namespace: test, service: frontend, port: 8080 }\n    - { namespace: test, service: podinfo, port: 9898 }\n',
      ),
      errors: [
        {
          path: 'ingress.hostPattern',
          message: 'hostPattern has no {service} or {namespace}: every exposed service would get the same host',
        },
      ],
    },
    {
      name: 'the same service exposed twice, and an unknown cluster',
      topology: topology(
        '  controller: envoy-gateway\n  expose:\n    - { namespace: test, service: frontend, port: 8080 }\n    - { namespace: test, service: frontend, port: 80, clusters: [north] }\n',
      ),
      errors: [
        {
          path: 'ingress.expose[1].service',
          message: 'test/frontend is exposed twice; the Ingress is named after the service',
          fix: 'merge the two entries',
        },
        { path: 'ingress.expose[1].clusters[0]', message: 'unknown cluster "north"', fix: 'use one of: east, west' },
      ],
    },
    {
      name: 'a port out of range (schema)',
      topology: topology('  controller: envoy-gateway\n  expose: [{ namespace: test, service: frontend, port: 70000 }]\n'),
      errors: [{ path: 'ingress.expose[0].port', line: 11, column: 56, message: 'must be at most 65535, but is the number 70000' }],
    },
  ],
  steps: [
    {
      name: 'Envoy Gateway: controller, gateway and one route per cluster',
      section: { controller: 'envoy-gateway', expose: [{ namespace: 'test', service: 'frontend', port: 8080 }] },
      ids: [
        'ingress:controller@east',
        'ingress:gateway@east',
        'ingress:route:test/frontend@east',
        'ingress:controller@west',
        'ingress:gateway@west',
        'ingress:route:test/frontend@west',
      ],
    },
    {
      name: 'ingress-nginx: no gateway step',
      topology: topology(`  controller: ingress-nginx\n${EXPOSE}`, 'stable-2.13.3'),
      ids: ['ingress:controller@east', 'ingress:route:test/frontend@east', 'ingress:controller@west', 'ingress:route:test/frontend@west'],
    },
  ],
  plans: [
    {
      name: "the controller after Linkerd's control plane (meshed) and MetalLB's pools; the route after the app it routes to",
      section: { controller: 'envoy-gateway', expose: [{ namespace: 'test', service: 'frontend', port: 8080 }] },
      steps: {
        'ingress:controller@east': {
          needs: [],
          after: ['kind:cluster@east', 'linkerd:gateway-api@east', 'linkerd:control-plane@east', 'metallb:pools@east'],
        },
        'ingress:gateway@east': { needs: ['ingress:controller@east'] },
        'ingress:route:test/frontend@east': {
          needs: ['ingress:gateway@east'],
          after: ['workloads:demo@east'],
          plan: [
            'kubectl apply --server-side (meshspec) --context kind-east <- HTTPRoute test/frontend-ingress host frontend-kind-east.127-0-0-1.sslip.io path / -> frontend:8080 (Gateway envoy-gateway-system/meshspec)',
          ],
        },
      },
    },
  ],
});
