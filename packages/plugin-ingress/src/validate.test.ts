import type { Diagnostic, Topology, ValidateContext } from '@meshspec/core';
import { describe, expect, it } from 'vitest';
import type { IngressSection } from './schema.js';
import { validateIngress } from './validate.js';

function topology(ingress: IngressSection): Topology {
  return { apiVersion: 'meshspec.dev/v1alpha1', kind: 'Topology', metadata: { name: 't' }, clusters: { demo: {}, demo3: {} }, ingress };
}
const frontend = { namespace: 'test', service: 'frontend', port: 8080 };

describe('validateIngress', () => {
  const vctx: ValidateContext = {
    source: { file: 'topology.yaml', text: '', positionOf: () => ({ line: 1, column: 1 }) },
    diagnostic: (path, message, fix): Diagnostic => ({ file: 'topology.yaml', line: 1, column: 1, path: path.join('.'), message, ...(fix ? { fix } : {}), source: 'ingress' }),
  };
  const run = (s: IngressSection) => validateIngress(topology(s), s, vctx).map((d) => `${d.path}: ${d.message}`);

  it.each<[string, IngressSection, string]>([
    ['unknown placeholder', { hostPattern: '{svc}.example.com' }, 'ingress.hostPattern: unknown placeholder {svc}'],
    ['same host for every service', { hostPattern: '{cluster}.example.com', expose: [frontend, { ...frontend, service: 'b' }] }, 'ingress.hostPattern: hostPattern has no {service} or {namespace}'],
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
});
