// Which Kubernetes minors each Linkerd release line supports, and the check of a topology's clusters
// against it. Linkerd's own table: https://linkerd.io/2/reference/k8s-versions (2.10-2.19). Linkerd 2.20
// (June 2026) supports 1.31-1.35 (Linkerd's docs, as recorded in ../shared/conformance/README.md).
// 2.19 follows ../shared/reference/seed-procedure.md (read from the k8s-versions page on 2026-11-29:
// 1.22-1.35); an older stored copy of that page said 1.29-1.34, before 2.19's range was widened.
import type { Diagnostic, Topology, ValidateContext } from '@meshspec/core/plugin';
import { kindPlugin } from '@meshspec/plugin-kind';
import type { LinkerdVersion } from './version.js';

export interface KubernetesRange {
  /** Linkerd 2.N. */
  linkerd: number;
  /** Kubernetes 1.min ... 1.max, both included. */
  min: number;
  max: number;
  source: string;
}

const K8S_VERSIONS_PAGE = 'https://linkerd.io/2/reference/k8s-versions';

/** Newest first. */
export const KUBERNETES_SUPPORT: readonly KubernetesRange[] = [
  { linkerd: 20, min: 31, max: 35, source: 'Linkerd 2.20 docs (k8s-versions), per ../shared/conformance/README.md' },
  { linkerd: 19, min: 22, max: 35, source: `${K8S_VERSIONS_PAGE} (as of 2026-11-29, ../shared/reference/seed-procedure.md)` },
  { linkerd: 18, min: 22, max: 32, source: K8S_VERSIONS_PAGE },
  { linkerd: 17, min: 22, max: 31, source: K8S_VERSIONS_PAGE },
  { linkerd: 16, min: 22, max: 29, source: K8S_VERSIONS_PAGE },
  { linkerd: 15, min: 22, max: 29, source: K8S_VERSIONS_PAGE },
  { linkerd: 14, min: 21, max: 28, source: K8S_VERSIONS_PAGE },
  { linkerd: 13, min: 21, max: 28, source: K8S_VERSIONS_PAGE },
  { linkerd: 12, min: 21, max: 24, source: K8S_VERSIONS_PAGE },
  { linkerd: 11, min: 17, max: 23, source: K8S_VERSIONS_PAGE },
  { linkerd: 10, min: 16, max: 23, source: K8S_VERSIONS_PAGE },
];

/** The supported range of Linkerd 2.N; undefined for a line this table does not know (newer or older). */
export function kubernetesRangeOf(minor: number): KubernetesRange | undefined {
  return KUBERNETES_SUPPORT.find((r) => r.linkerd === minor);
}

/** Linkerd lines that support Kubernetes 1.N, newest first. */
export function linkerdLinesSupporting(kubernetesMinor: number): number[] {
  return KUBERNETES_SUPPORT.filter((r) => kubernetesMinor >= r.min && kubernetesMinor <= r.max).map((r) => r.linkerd);
}

/**
 * One diagnostic per place a node image is set whose Kubernetes minor is outside what the Linkerd release
 * supports. Images with no version in their tag, and Linkerd lines the table does not know, are not judged.
 */
export function kubernetesSupportProblems(topology: Topology, version: LinkerdVersion, ctx: ValidateContext): Diagnostic[] {
  const range = kubernetesRangeOf(version.minor);
  if (!range) return [];
  const byPath = new Map<string, { path: (string | number)[]; image: string; minor: number; clusters: string[] }>();
  const kind = ctx.facts(kindPlugin);
  for (const { cluster, image, path, kubernetes: k8s } of kind.nodeImages) {
    if (!k8s || k8s.major !== 1 || (k8s.minor >= range.min && k8s.minor <= range.max)) continue;
    const key = path.join('.');
    const entry = byPath.get(key) ?? { path, image, minor: k8s.minor, clusters: [] };
    entry.clusters.push(cluster);
    byPath.set(key, entry);
  }
  const supported = `1.${range.min}-1.${range.max}`;
  return [...byPath.values()].map(({ path, image, minor, clusters }) => {
    const who = clusters.length === 1 ? `cluster ${clusters[0]} runs` : `clusters ${clusters.join(', ')} run`;
    const tag = image.split('@')[0];
    const pin = kind.pinnedNodeImageWithin(range.min, range.max);
    const pinFix = pin
      ? `pin a node image inside ${supported}: nodeImage: ${pin.image} (kind ${pin.kind} release notes, ${pin.source}; create the clusters with kind ${pin.kind})`
      : `pin a kindest/node image for Kubernetes ${supported} by digest from the kind release notes (meshspec pins none in that range)`;
    const lines = linkerdLinesSupporting(minor);
    const other =
      lines.length > 0
        ? `, or a Linkerd release that supports Kubernetes 1.${minor}: ${lines
            .slice(0, 2)
            .map((l) => `2.${l}`)
            .join(', ')}${lines.length > 2 ? ' ...' : ''} (linkerd.version)`
        : '';
    return ctx.diagnostic(
      path,
      `${who} Kubernetes 1.${minor} (${tag}), but Linkerd 2.${version.minor} (${version.text}) supports Kubernetes ${supported}`,
      pinFix + other,
    );
  });
}
