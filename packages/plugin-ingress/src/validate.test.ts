import { type Diagnostic, type Topology, type ValidateContext } from '@meshspec/core/plugin';
import { factsAccess } from '@meshspec/core/testing';
import { ingressPlugin } from './index.js';
import { describe, expect, it } from 'vitest';
import type { IngressSection } from './schema.js';
import { validateIngress } from './validate.js';

function topology(ingress: IngressSection): Topology {
  return { apiVersion: 'meshspec.dev/v1alpha1', kind: 'Topology', metadata: { name: 't' }, clusters: { demo: {}, demo3: {} }, ingress };
}
const frontend = { namespace: 'test', service: 'frontend', port: 8080 };

describe('validateIngress', () => {
  /** The engine's ctx.facts for `t`, checked against ingress's declared dependencies. */
  const ctxFor = (t: Topology): ValidateContext => ({ ...vctx, ...factsAccess(t, ingressPlugin) });
  const vctx: Omit<ValidateContext, 'facts' | 'clusters'> = {
    source: { file: 'topology.yaml', text: '', positionOf: () => ({ line: 1, column: 1 }) },
    diagnostic: (path, message, fix): Diagnostic => ({
      file: 'topology.yaml',
      line: 1,
      column: 1,
      path: path.join('.'),
      message,
      ...(fix ? { fix } : {}),
      source: 'ingress',
    }),
  };
  const errors = (s: IngressSection, t = topology(s)) => validateIngress(t, s, ctxFor(t)).filter((d) => d.severity !== 'warning');
  const run = (s: IngressSection) => errors(s).map((d) => `${d.path}: ${d.message}`);

  it.each<[string, IngressSection, string]>([
    ['unknown placeholder', { hostPattern: '{svc}.example.com' }, 'ingress.hostPattern: unknown placeholder {svc}'],
    [
      'same host for every service',
      { hostPattern: '{cluster}.example.com', expose: [frontend, { ...frontend, service: 'b' }] },
      'ingress.hostPattern: hostPattern has no {service} or {namespace}',
    ],
    ['unknown cluster', { expose: [{ ...frontend, clusters: ['demo2'] }] }, 'ingress.expose.0.clusters.0: unknown cluster "demo2"'],
    ['duplicate expose', { expose: [frontend, frontend] }, 'ingress.expose.1.service: test/frontend is exposed twice'],
  ])('reports %s', (_, section, expected) => {
    const problems = run(section);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it('accepts the seed section', () => {
    expect(run({ expose: [frontend] })).toEqual([]);
  });

  it('warns that ingress-nginx is retired, with the switch to the Gateway API ingress as the fix', () => {
    const [warning, ...rest] = validateIngress(
      topology({ expose: [frontend] }),
      { expose: [frontend] },
      ctxFor(topology({ expose: [frontend] })),
    );
    expect(rest).toEqual([]);
    expect(warning).toMatchObject({
      severity: 'warning',
      path: 'ingress.controller',
      message: 'ingress-nginx is retired: no releases or security fixes after March 2026',
      fix: 'switch to the Gateway API ingress: ingress.controller: envoy-gateway (Envoy Gateway, HTTPRoutes to the meshed Services)',
    });
    expect(
      validateIngress(
        topology({ controller: 'envoy-gateway' }),
        { controller: 'envoy-gateway' },
        ctxFor(topology({ controller: 'envoy-gateway' })),
      ),
    ).toEqual([]);
  });

  it.each([
    [
      'stable-2.13.3',
      [
        'ingress.controller: envoy-gateway needs the Gateway API CRDs that meshspec installs with Linkerd 2.18+; linkerd.version stable-2.13.3 is Linkerd 2.13',
      ],
    ],
    [
      'version-2.17',
      [
        'ingress.controller: envoy-gateway needs the Gateway API CRDs that meshspec installs with Linkerd 2.18+; linkerd.version version-2.17 is Linkerd 2.17',
      ],
    ],
    ['edge-26.6.3', []],
  ])('envoy-gateway with Linkerd %s', (version, expected) => {
    const s: IngressSection = { controller: 'envoy-gateway', expose: [frontend] };
    const t = { ...topology(s), linkerd: { version } };
    expect(errors(s, t).map((d) => `${d.path}: ${d.message}`)).toEqual(expected);
  });
});
