// What the linkerd plugin publishes to the plugins that depend on it (read with `ctx.facts(linkerdPlugin)`):
// the one source of its version, links, exports, mirror names and step ids for smi, ingress and workloads.
import type { Topology } from '@meshspec/core';
import { gatewayApiStepId } from './gateway-api.js';
import { linkPairs, mirrorServiceName } from './mesh.js';
import { withDefaults, type ExportEntry, type LinkerdSection, type LinkPair } from './schema.js';
import { GATEWAY_SERVICE, linkerdStepIds, MULTICLUSTER_NAMESPACE } from './steps.js';
import { capabilitiesOf, parseLinkerdVersion, type LinkerdCapabilities, type LinkerdVersion } from './version.js';

export interface LinkerdStepIds {
  crds(cluster: string): string;
  /** Linkerd's control plane (its proxy injector must run before meshed pods are created). */
  controlPlane(cluster: string): string;
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
  capabilities: LinkerdCapabilities | undefined;
  /** The linkerd CLI the topology names (`linkerd.cliPath`), for extensions run through it. */
  cli: string;
  /** `linkerd.multicluster.enabled` (false also when Linkerd is unused): without it there are no links. */
  multicluster: boolean;
  /** Every link, resolved (`links` default full-mesh; none when multicluster is disabled). */
  links: LinkPair[];
  isLinked(from: string, to: string): boolean;
  /** Services labelled for export in every cluster. */
  exports: ExportEntry[];
  isExported(namespace: string, service: string): boolean;
  /**
   * The mirror of `service` exported by `remote` that exists in `cluster`: its name, or undefined when no
   * mirror will exist there (not exported, or `cluster` has no link to `remote`).
   */
  mirrorIn(cluster: string, namespace: string, service: string, remote: string): string | undefined;
  /** The name Linkerd gives the mirror of `service` exported by `remote` (whether or not it exists). */
  mirrorName(service: string, remote: string): string;
  /**
   * Whether a TLS identity (a proxy metric's `server_id`) is a multicluster gateway's: every cluster
   * shares one trust domain, so traffic to a remote backend shows the remote gateway's identity.
   */
  isGatewayIdentity(identity: string): boolean;
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
  const links = resolved && multicluster ? linkPairs(Object.keys(topology.clusters), resolved.links) : [];
  const exports = resolved?.export ?? [];
  const isLinked = (from: string, to: string) => links.some((l) => l.from === from && l.to === to);
  const isExported = (namespace: string, service: string) => exports.some((e) => e.namespace === namespace && e.service === service);
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
    mirrorIn: (cluster, namespace, service, remote) => (isExported(namespace, service) && isLinked(remote, cluster) ? mirrorServiceName(service, remote) : undefined),
    mirrorName: mirrorServiceName,
    isGatewayIdentity: (identity) => identity.startsWith(GATEWAY_IDENTITY_PREFIX),
    steps: stepIds,
  };
}
