// What the linkerd plugin publishes to the plugins that depend on it (read with `ctx.facts(linkerdPlugin)`):
// the one source of its version, links, exports, mirror names and step ids for smi, ingress and workloads.
import type { Topology } from '@meshspec/core/plugin';
import { gatewayApiStepId } from './gateway-api.js';
import { federatedServiceName, linkMirrors, resolveExports, resolveLinks, type ResolvedExport, type ResolvedLink } from './link-modes.js';
import { linkPairs, mirrorServiceName } from './mesh.js';
import { withDefaults, type LinkerdSection } from './schema.js';
import { GATEWAY_SERVICE, linkerdStepIds, MULTICLUSTER_NAMESPACE } from './steps.js';
import { capabilitiesOf, parseLinkerdVersion, type LinkerdCapabilities, type LinkerdVersion } from './version.js';

export interface LinkerdStepIds {
  /** Linkerd's CRDs in `cluster` (`linkerd install --crds`). */
  crds(cluster: string): string;
  /** Linkerd's control plane (its proxy injector must run before meshed pods are created). */
  controlPlane(cluster: string): string;
  /** The Gateway API CRDs in `cluster` (Linkerd 2.18+; absent from the plan otherwise, so order on it softly). */
  gatewayApi(cluster: string): string;
  /** The link applied in `to` that mirrors services of `from`. */
  link(from: string, to: string): string;
  /** Labels `namespace/service` in `cluster` for export (after the service exists). */
  export(namespace: string, service: string, cluster: string): string;
}

export interface LinkerdFacts {
  /** The linkerd section is present (Linkerd is installed on every cluster). */
  used: boolean;
  /** `linkerd.version` as written or defaulted (undefined when Linkerd is unused). */
  versionText: string | undefined;
  /** Parsed version; undefined when unused or unreadable (linkerd's own validate reports that). */
  version: LinkerdVersion | undefined;
  /** What the release can do (link command, Gateway API handling...); undefined when `version` is undefined. */
  capabilities: LinkerdCapabilities | undefined;
  /** The linkerd CLI the topology names (`linkerd.cliPath`), for extensions run through it. */
  cli: string;
  /** `linkerd.multicluster.enabled` (false also when Linkerd is unused): without it there are no links. */
  multicluster: boolean;
  /** Every link, resolved (`links` default full-mesh; none when multicluster is disabled), with its mode. */
  links: ResolvedLink[];
  /** Does `to` mirror the services `from` exports (a resolved link)? */
  isLinked(from: string, to: string): boolean;
  /** Services labelled for export in every cluster, with their mode (mirror, remote-discovery, federated). */
  exports: ResolvedExport[];
  /** Is `namespace/service` in `export`? */
  isExported(namespace: string, service: string): boolean;
  /**
   * The mirror of `service` exported by `remote` that exists in `cluster`: its name, or undefined when no
   * mirror will exist there (not exported, `cluster` has no link to `remote`, an `exported=true` service
   * over a flat link, or a federated export: see federatedIn).
   */
  mirrorIn(cluster: string, namespace: string, service: string, remote: string): string | undefined;
  /**
   * The federated service (`<service>-federated`) in `cluster` when `namespace/service` is exported as
   * federated and `cluster` links to another cluster; it already balances over every member cluster.
   */
  federatedIn(cluster: string, namespace: string, service: string): string | undefined;
  /** The name Linkerd gives the mirror of `service` exported by `remote` (whether or not it exists). */
  mirrorName(service: string, remote: string): string;
  /**
   * Whether a TLS identity (a proxy metric's `server_id`) is a multicluster gateway's: every cluster
   * shares one trust domain, so traffic to a remote backend shows the remote gateway's identity.
   */
  isGatewayIdentity(identity: string): boolean;
  /** Ids of Linkerd's steps, to order after (softly: `after`, since Linkerd may be absent). */
  steps: LinkerdStepIds;
}

const stepIds: LinkerdStepIds = {
  crds: linkerdStepIds.crds,
  controlPlane: linkerdStepIds.controlPlane,
  gatewayApi: gatewayApiStepId,
  link: (from, to) => linkerdStepIds.link({ from, to }),
  export: (namespace, service, cluster) => linkerdStepIds.export({ namespace, service }, cluster),
};

/** The gateway's service account (named like its Service) in the multicluster namespace: `<sa>.<ns>.serviceaccount.identity...`. */
const GATEWAY_IDENTITY_PREFIX = `${GATEWAY_SERVICE}.${MULTICLUSTER_NAMESPACE}.`;

export function linkerdFacts(topology: Topology, section: LinkerdSection | undefined): LinkerdFacts {
  const resolved = section === undefined ? undefined : withDefaults(section);
  const version = resolved === undefined ? undefined : parseLinkerdVersion(resolved.version);
  const multicluster = resolved?.multicluster.enabled ?? false;
  const links = section && resolved && multicluster ? resolveLinks(linkPairs(Object.keys(topology.clusters), resolved.links), section) : [];
  const exports = section && resolved ? resolveExports(resolved.export, section) : [];
  // Maps, not scans: smi asks for every (cluster, remote) pair, and a 120-cluster full mesh has 14,280 links.
  const linkByPair = new Map<string, (typeof links)[number]>();
  for (const l of links) if (!linkByPair.has(JSON.stringify([l.from, l.to]))) linkByPair.set(JSON.stringify([l.from, l.to]), l);
  const linkOf = (from: string, to: string) => linkByPair.get(JSON.stringify([from, to]));
  const linkedInto = new Set(links.map((l) => l.to));
  const exportByKey = new Map(exports.map((e) => [JSON.stringify([e.namespace, e.service]), e] as const));
  const isLinked = (from: string, to: string) => linkOf(from, to) !== undefined;
  const exportOf = (namespace: string, service: string) => exportByKey.get(JSON.stringify([namespace, service]));
  const isExported = (namespace: string, service: string) => exportOf(namespace, service) !== undefined;
  return {
    used: resolved !== undefined,
    versionText: resolved?.version,
    version,
    capabilities: version === undefined ? undefined : capabilitiesOf(version),
    cli: (resolved ?? withDefaults({})).cliPath,
    multicluster,
    links,
    isLinked,
    exports,
    isExported,
    mirrorIn: (cluster, namespace, service, remote) => {
      const exported = exportOf(namespace, service);
      const link = linkOf(remote, cluster);
      return exported && link && linkMirrors(link.mode, exported.mode) ? mirrorServiceName(service, remote) : undefined;
    },
    federatedIn: (cluster, namespace, service) =>
      exportOf(namespace, service)?.mode === 'federated' && linkedInto.has(cluster) ? federatedServiceName(service) : undefined,
    mirrorName: mirrorServiceName,
    isGatewayIdentity: (identity) => identity.startsWith(GATEWAY_IDENTITY_PREFIX),
    steps: stepIds,
  };
}
