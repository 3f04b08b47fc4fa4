// Semantic checks of kind clusters: subnets that are real networks and never shared between clusters
// (a multicluster mesh routes by pod/service IP, so a shared range silently sends traffic to the wrong cluster).
import { clusterSubnetDiagnostics, type Diagnostic, type Topology, type ValidateContext } from '@meshspec/core/plugin';
import { kindContext } from './resolve.js';
import { KIND_SECTION_KEY, withDefaults, type KindClusterSpec, type KindSection } from './schema.js';

export function validateKind(topology: Topology, section: KindSection | undefined, ctx: ValidateContext): Diagnostic[] {
  if (section === undefined) return [];
  const clusters = topology.clusters as Record<string, KindClusterSpec>;
  const diagnostics: Diagnostic[] = [];
  const report = (path: (string | number)[], message: string, fix: string) =>
    diagnostics.push({ ...ctx.diagnostic(path, message, fix), source: 'kind' });

  diagnostics.push(...clusterSubnetDiagnostics(clusters, ctx, 'kind', 'kind'));

  const defaults = withDefaults(section);
  const ports = new Map<string, string>();
  for (const [cluster, spec] of Object.entries(clusters)) {
    const expected = kindContext(cluster);
    if (spec.context !== undefined && spec.context !== expected) {
      report(
        ['clusters', cluster, 'context'],
        `kind names the kube context of cluster ${cluster} "${expected}", not "${spec.context}"`,
        `remove context or write context: ${expected}`,
      );
    }
    const port = spec.apiServerPort ?? defaults.apiServerPort;
    if (port === undefined || port === 0) continue;
    const where = `${spec.apiServerAddress ?? '127.0.0.1'}:${port}`;
    const owner = ports.get(where);
    if (owner !== undefined) {
      const path = spec.apiServerPort !== undefined ? ['clusters', cluster, 'apiServerPort'] : [KIND_SECTION_KEY, 'apiServerPort'];
      report(
        path,
        `cluster ${cluster} would listen on ${where}, which cluster ${owner} already uses`,
        `give each cluster its own apiServerPort, or omit it so kind picks a free port`,
      );
    } else {
      ports.set(where, cluster);
    }
  }
  return diagnostics;
}
