import type { Diagnostic, Topology, ValidateContext } from '@meshspec/core';
import { unknownPlaceholders } from './render.js';
import type { IngressSection } from './schema.js';

export function validateIngress(topology: Topology, section: IngressSection | undefined, ctx: ValidateContext): Diagnostic[] {
  if (!section) return [];
  const problems: Diagnostic[] = [];
  const clusters = Object.keys(topology.clusters);
  const unknown = unknownPlaceholders(section.hostPattern ?? '');
  if (unknown.length > 0) {
    problems.push(ctx.diagnostic(['ingress', 'hostPattern'], `unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `{${u}}`).join(', ')}`, 'use {service}, {namespace}, {cluster} or {context}'));
  } else if (section.hostPattern !== undefined && !/\{(service|namespace)\}/.test(section.hostPattern) && (section.expose ?? []).length > 1) {
    problems.push(ctx.diagnostic(['ingress', 'hostPattern'], 'hostPattern has no {service} or {namespace}: every exposed service would get the same host', 'add {service} to hostPattern, e.g. {service}-{context}.127-0-0-1.sslip.io'));
  }
  const seen = new Set<string>();
  (section.expose ?? []).forEach((e, i) => {
    const at = ['ingress', 'expose', i];
    const key = `${e.namespace}/${e.service}`;
    if (seen.has(key)) problems.push(ctx.diagnostic([...at, 'service'], `${key} is exposed twice; the Ingress is named after the service`, 'merge the two entries'));
    seen.add(key);
    (e.clusters ?? []).forEach((c, j) => {
      if (!clusters.includes(c)) problems.push(ctx.diagnostic([...at, 'clusters', j], `unknown cluster "${c}"`, `use one of: ${clusters.join(', ')}`));
    });
  });
  return problems;
}
