// Checks of link and export modes: the release supports them, a gateway exists for gateway links, an
// export is mirrored by the links it has, and pod-to-pod traffic has routable pod networks.
import { asWarning, overlaps, parseIpv4Cidr, type Diagnostic, type Topology, type ValidateContext } from '@meshspec/core/plugin';
import { kindPlugin } from '@meshspec/plugin-kind';
import { defaultLinkMode, exportModeOf, FEDERATED_SINCE, FLAT_LINKS_SINCE, needsPodRouting, REMOTE_DISCOVERY_SINCE } from './link-modes.js';
import { linkPairs } from './mesh.js';
import { withDefaults, type LinkerdSection } from './schema.js';
import type { LinkerdVersion } from './version.js';

const KEY = 'linkerd';
type Path = (string | number)[];

/** Where a link's mode comes from: its own `mode`, `multicluster.linkMode`, or `multicluster.gateway: false`. */
function linkModePath(section: LinkerdSection, index: number | undefined): Path {
  if (index !== undefined && Array.isArray(section.links) && section.links[index]?.mode !== undefined) return ['links', index, 'mode'];
  if (section.multicluster?.linkMode !== undefined) return ['multicluster', 'linkMode'];
  if (section.multicluster?.gateway === false) return ['multicluster', 'gateway'];
  return ['links'];
}

const newer = (since: number) => `set linkerd.version to Linkerd 2.${since} or later (e.g. edge-26.6.3, Linkerd 2.20)`;

export function linkModeProblems(
  topology: Topology,
  section: LinkerdSection,
  version: LinkerdVersion | undefined,
  ctx: ValidateContext,
): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const at = (path: Path, message: string, fix: string) => problems.push(ctx.diagnostic([KEY, ...path], message, fix));
  const resolved = withDefaults(section);
  if (!resolved.multicluster.enabled) return [];
  const clusters = Object.keys(topology.clusters);
  const explicit = Array.isArray(section.links);
  const dflt = defaultLinkMode(section);
  const links = linkPairs(clusters, resolved.links)
    .map((pair, i) => ({ ...pair, mode: pair.mode ?? dflt, index: explicit ? i : undefined }))
    .filter((l) => clusters.includes(l.from) && clusters.includes(l.to) && l.from !== l.to);
  const exports = resolved.export.map((e, i) => ({ ...e, mode: exportModeOf(e, section), index: i }));
  const reported = new Set<string>();
  const once = (path: Path, message: string, fix: string) => {
    const key = path.join('.');
    if (!reported.has(key)) at(path, message, fix);
    reported.add(key);
  };

  const flat = links.filter((l) => l.mode === 'flat');
  if (version && version.minor < FLAT_LINKS_SINCE) {
    for (const l of flat) {
      // 2.13's `multicluster link` has no --gateway flag: "Error: unknown flag: --gateway" (the real CLI).
      once(
        linkModePath(section, l.index),
        `flat (gateway-less) links need Linkerd 2.${FLAT_LINKS_SINCE}+, but linkerd.version is ${version.text}, whose \`multicluster link\` has no --gateway flag`,
        `${newer(FLAT_LINKS_SINCE)}, or use gateway links (multicluster.linkMode: gateway)`,
      );
    }
  }
  if (!resolved.multicluster.gateway) {
    for (const l of links.filter((x) => x.mode === 'gateway')) {
      once(
        linkModePath(section, l.index),
        `link ${l.from} -> ${l.to} goes through ${l.from}'s multicluster gateway, but multicluster.gateway is false, so there is none`,
        'set multicluster.gateway: true, or make the link flat (mode: flat)',
      );
    }
  }

  for (const e of exports) {
    const path: Path = section.export?.[e.index]?.mode !== undefined ? ['export', e.index, 'mode'] : ['export', e.index];
    const since = e.mode === 'federated' ? FEDERATED_SINCE : e.mode === 'remote-discovery' ? REMOTE_DISCOVERY_SINCE : 0;
    // A defaulted remote-discovery comes from flat links, already refused above on such a release.
    if (version && version.minor < since && path.length === 3) {
      at(
        path,
        `${e.mode} exports need Linkerd 2.${since}+, but linkerd.version is ${version.text}`,
        `${newer(since)}, or export with mode: mirror`,
      );
    }
    if (e.mode === 'mirror' && links.length > 0 && links.every((l) => l.mode === 'flat')) {
      at(
        path,
        `${e.namespace}/${e.service} is exported with mode mirror (mirror.linkerd.io/exported=true), but every link is flat: a gateway-less Link has no selector for it, so no cluster would mirror it`,
        'export it with mode: remote-discovery (or federated), or link through gateways',
      );
    }
  }

  // Pod-to-pod traffic: flat links, and remote-discovery or federated exports (whatever the link's mode).
  const podTraffic: { path: Path; what: string }[] = [
    ...flat.map((l) => ({ path: linkModePath(section, l.index), what: `flat link ${l.from} -> ${l.to}` })),
    ...(links.length > 0
      ? exports
          .filter((e) => needsPodRouting(e.mode))
          .map((e) => ({ path: ['export', e.index] as Path, what: `${e.mode} export ${e.namespace}/${e.service}` }))
      : []),
  ];
  const first = podTraffic[0];
  if (first) problems.push(...routabilityProblems(topology, section, links, first, podTraffic.length, ctx));
  return problems;
}

function routabilityProblems(
  topology: Topology,
  section: LinkerdSection,
  links: { from: string; to: string }[],
  first: { path: Path; what: string },
  count: number,
  ctx: ValidateContext,
): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const kind = ctx.facts(kindPlugin);
  const linked = [...new Set(links.flatMap((l) => [l.from, l.to]))];
  const others = count > 1 ? ` (and ${count - 1} more pod-to-pod link${count > 2 ? 's or exports' : ' or export'})` : '';

  // Pod subnets must be distinct, or a pod address means two pods. a provider already refuses overlaps among
  // the clusters it creates; this catches the rest (context clusters with a podSubnet written).
  const subnets = linked.flatMap((c) => {
    const text = ctx.clusters.of(c).podSubnet;
    const cidr = text ? parseIpv4Cidr(text) : undefined;
    return cidr ? [{ cluster: c, text: text!, cidr }] : [];
  });
  for (let i = 0; i < subnets.length; i++) {
    for (let j = i + 1; j < subnets.length; j++) {
      const a = subnets[i]!;
      const b = subnets[j]!;
      // Core already refuses overlaps among the clusters one provider creates.
      const providerA = ctx.clusters.of(a.cluster).provider;
      if (providerA !== undefined && providerA === ctx.clusters.of(b.cluster).provider) continue;
      if (overlaps(a.cidr, b.cidr)) {
        problems.push(
          ctx.diagnostic(
            ['clusters', b.cluster, 'podSubnet'],
            `pod subnet ${b.text} of ${b.cluster} overlaps ${a.text} of ${a.cluster}: pod-to-pod multicluster (${first.what}) needs distinct pod networks`,
            `give ${b.cluster} a pod subnet that no other cluster uses`,
          ),
        );
      }
    }
  }

  const declared = section.multicluster?.podNetworksRoutable;
  const notRoutable = linked.filter((c) => kind.podNetworksRoutable(c) === false);
  const unknown = linked.filter((c) => kind.podNetworksRoutable(c) === undefined);
  if (declared === true) {
    if (notRoutable.length > 0) {
      problems.push(
        asWarning(
          ctx.diagnostic(
            [KEY, 'multicluster', 'podNetworksRoutable'],
            `podNetworksRoutable is true for kind clusters ${notRoutable.join(', ')}: meshspec does not add the routes; pod-to-pod traffic fails until every node routes the other clusters' pod subnets`,
            'add the routes described in plugin-linkerd README ("Gateway-less links on kind") after the clusters exist',
          ),
        ),
      );
    }
    return problems;
  }
  if (declared === false) {
    problems.push(
      ctx.diagnostic(
        [KEY, ...first.path],
        `${first.what}${others} sends traffic pod-to-pod, but multicluster.podNetworksRoutable is false`,
        'use gateway links and mirror exports, or make the pod networks routable and set podNetworksRoutable: true',
      ),
    );
    return problems;
  }
  if (notRoutable.length > 0) {
    problems.push(
      ctx.diagnostic(
        [KEY, ...first.path],
        `${first.what}${others} sends traffic pod-to-pod, but kind clusters (${notRoutable.join(', ')}) do not route each other's pod subnets: their nodes share a docker network, not pod routes`,
        'use gateway links (multicluster.linkMode: gateway) and mirror exports; or add a route per node to every other cluster\'s pod subnet (plugin-linkerd README, "Gateway-less links on kind") and set linkerd.multicluster.podNetworksRoutable: true',
      ),
    );
  } else if (unknown.length > 0) {
    problems.push(
      ctx.diagnostic(
        [KEY, ...first.path],
        `${first.what}${others} sends traffic pod-to-pod, and meshspec cannot tell whether pods of ${unknown.join(', ')} reach the other clusters' pods`,
        'once they do (a flat network, VPC routes), set linkerd.multicluster.podNetworksRoutable: true; else use gateway links and mirror exports',
      ),
    );
  }
  return problems;
}
