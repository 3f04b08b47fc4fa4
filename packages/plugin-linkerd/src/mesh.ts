// Pure facts derived from the topology: which links exist and which networks Linkerd treats as in-cluster.
import type { ClusterInfo } from '@meshspec/core/plugin';
import type { LinkPair, ResolvedLinkerdSection } from './schema.js';
import { capabilitiesOf, defaultClusterNetworks, parseLinkerdVersion, type LinkerdCapabilities, type LinkerdVersion } from './version.js';

/** Every link of the section: `full-mesh` expands to all ordered pairs of distinct clusters. */
export function linkPairs(clusters: string[], links: ResolvedLinkerdSection['links']): LinkPair[] {
  if (links === 'none') return [];
  if (links === 'full-mesh') return clusters.flatMap((from) => clusters.filter((to) => to !== from).map((to) => ({ from, to })));
  return links;
}

/** The sources whose links are applied in `target` (they need a controller there from 2.18 on). */
export function sourcesLinkedInto(target: string, pairs: LinkPair[]): string[] {
  return pairs.filter((p) => p.to === target).map((p) => p.from);
}

/**
 * clusterNetworks for every control plane: Linkerd's defaults, then every cluster's pod and service
 * subnets (a remote cluster's pods must count as in-mesh for pod-to-pod links), then the extra CIDRs.
 * Duplicates dropped, order kept, so the value (and the step fingerprint) is stable.
 */
export function clusterNetworksFor(
  clusters: Pick<ClusterInfo, 'podSubnet' | 'serviceSubnet'>[],
  section: ResolvedLinkerdSection,
  caps: LinkerdCapabilities,
): string[] {
  const subnets = clusters.flatMap((c) => [c.podSubnet, c.serviceSubnet]).filter((s): s is string => typeof s === 'string');
  return [...new Set([...defaultClusterNetworks(caps), ...subnets, ...section.clusterNetworks])];
}

/** Helm `--set` splits lists on commas; a comma inside one value must be escaped. */
export function helmList(values: string[]): string {
  return values.join('\\,');
}

export function versionOf(section: ResolvedLinkerdSection): { version: LinkerdVersion; caps: LinkerdCapabilities } {
  const version = parseLinkerdVersion(section.version);
  // validate() reports bad names; fall back to the default line so steps() never throws on them.
  const safe = version ?? parseLinkerdVersion('stable-2.13.3')!;
  return { version: safe, caps: capabilitiesOf(safe) };
}

/** The mirror service Linkerd creates in a linked cluster for `service` exported by `remote`. */
export function mirrorServiceName(service: string, remote: string): string {
  return `${service}-${remote}`;
}
