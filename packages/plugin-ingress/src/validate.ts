import { asWarning, type Diagnostic, type Topology, type ValidateContext } from '@meshspec/core/plugin';
import { linkerdPlugin } from '@meshspec/plugin-linkerd';
import { unknownPlaceholders } from './render.js';
import { ingressOptions, type IngressSection } from './schema.js';

export function validateIngress(topology: Topology, section: IngressSection | undefined, ctx: ValidateContext): Diagnostic[] {
  if (!section) return [];
  const problems: Diagnostic[] = [];
  const clusters = Object.keys(topology.clusters);
  const controller = ingressOptions(section).controller;
  if (controller === 'ingress-nginx') {
    problems.push(
      asWarning(
        ctx.diagnostic(
          ['ingress', 'controller'],
          'ingress-nginx is retired: no releases or security fixes after March 2026',
          'switch to the Gateway API ingress: ingress.controller: envoy-gateway (Envoy Gateway, HTTPRoutes to the meshed Services)',
        ),
      ),
    );
  } else {
    // Gateway/GatewayClass CRDs come from linkerd:gateway-api, which exists only for Linkerd 2.18+.
    // Linkerd's capabilities say whether its own `install --crds` brings them (before 2.18) instead.
    const { version, capabilities } = ctx.facts(linkerdPlugin);
    if (version && capabilities?.installsGatewayApiCrds) {
      problems.push(
        ctx.diagnostic(
          ['ingress', 'controller'],
          `envoy-gateway needs the Gateway API CRDs that meshspec installs with Linkerd 2.18+; linkerd.version ${version.text} is Linkerd 2.${version.minor}`,
          'use Linkerd 2.18 or newer (e.g. linkerd.version: edge-26.6.3), or controller: ingress-nginx for this older Linkerd',
        ),
      );
    }
  }
  const unknown = unknownPlaceholders(section.hostPattern ?? '');
  if (unknown.length > 0) {
    problems.push(
      ctx.diagnostic(
        ['ingress', 'hostPattern'],
        `unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `{${u}}`).join(', ')}`,
        'use {service}, {namespace}, {cluster} or {context}',
      ),
    );
  } else if (
    section.hostPattern !== undefined &&
    !/\{(service|namespace)\}/.test(section.hostPattern) &&
    (section.expose ?? []).length > 1
  ) {
    problems.push(
      ctx.diagnostic(
        ['ingress', 'hostPattern'],
        'hostPattern has no {service} or {namespace}: every exposed service would get the same host',
        'add {service} to hostPattern, e.g. {service}-{context}.127-0-0-1.sslip.io',
      ),
    );
  }
  const seen = new Set<string>();
  (section.expose ?? []).forEach((e, i) => {
    const at = ['ingress', 'expose', i];
    const key = `${e.namespace}/${e.service}`;
    if (seen.has(key))
      problems.push(
        ctx.diagnostic([...at, 'service'], `${key} is exposed twice; the Ingress is named after the service`, 'merge the two entries'),
      );
    seen.add(key);
    (e.clusters ?? []).forEach((c, j) => {
      if (!clusters.includes(c))
        problems.push(ctx.diagnostic([...at, 'clusters', j], `unknown cluster "${c}"`, `use one of: ${clusters.join(', ')}`));
    });
  });
  return problems;
}
