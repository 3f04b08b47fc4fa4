// Link modes (gateway / flat) and export modes (mirror / remote-discovery / federated): what each link and
// export resolves to, the label an export puts on its service, and which service a cluster ends up with.
// Pure. What the real CLIs do, read from their source and output (Linkerd 2.13.3 and 2.20):
// - 2.13's `multicluster link` has no `--gateway` flag ("Error: unknown flag: --gateway"); 2.14 added it.
// - `link`/`link-gen --gateway=false` writes a Link without gateway fields AND without `selector`: only
//   `remoteDiscoverySelector` (exported=remote-discovery) and, from 2.17, `federatedServiceSelector`
//   (federated=member). So a gateway-less link mirrors no `exported=true` service.
// - The mirror of a remote-discovery service is named like a gateway mirror, `<service>-<cluster>`; a
//   federated service is `<service>-federated` in each cluster (service-mirror/cluster_watcher.go).
import type { ExportEntry, ExportMode, LinkerdSection, LinkMode, LinkPair } from './schema.js';

export const EXPORT_LABEL = 'mirror.linkerd.io/exported';
export const FEDERATED_LABEL = 'mirror.linkerd.io/federated';

/** The first Linkerd 2.N line of each mode. */
export const FLAT_LINKS_SINCE = 14;
export const REMOTE_DISCOVERY_SINCE = 14;
export const FEDERATED_SINCE = 17;

export interface ResolvedLink extends LinkPair {
  mode: LinkMode;
}

export interface ResolvedExport extends ExportEntry {
  mode: ExportMode;
}

type ModeSection = Pick<LinkerdSection, 'multicluster'>;

/** `multicluster.linkMode`, else `flat` when the gateway is not installed, else `gateway`. */
export function defaultLinkMode(section: ModeSection): LinkMode {
  return section.multicluster?.linkMode ?? (section.multicluster?.gateway === false ? 'flat' : 'gateway');
}

export function resolveLinks(pairs: LinkPair[], section: ModeSection): ResolvedLink[] {
  const dflt = defaultLinkMode(section);
  return pairs.map((p) => ({ ...p, mode: p.mode ?? dflt }));
}

/** `mode` as written, else `remote-discovery` when links are flat by default (flat links mirror no `exported=true`), else `mirror`. */
export function exportModeOf(entry: ExportEntry, section: ModeSection): ExportMode {
  return entry.mode ?? (defaultLinkMode(section) === 'flat' ? 'remote-discovery' : 'mirror');
}

export function resolveExports(entries: ExportEntry[], section: ModeSection): ResolvedExport[] {
  return entries.map((e) => ({ ...e, mode: exportModeOf(e, section) }));
}

/** The label (key and value) an export puts on its service in every cluster. */
export function exportLabel(mode: ExportMode): { key: string; value: string } {
  if (mode === 'federated') return { key: FEDERATED_LABEL, value: 'member' };
  return { key: EXPORT_LABEL, value: mode === 'mirror' ? 'true' : 'remote-discovery' };
}

/** Does a link of this mode mirror an export of that mode as `<service>-<cluster>`? */
export function linkMirrors(link: LinkMode, exported: ExportMode): boolean {
  if (exported === 'federated') return false;
  return exported === 'remote-discovery' || link === 'gateway';
}

/** Traffic of this link or export goes pod-to-pod between clusters. */
export const needsPodRouting = (mode: LinkMode | ExportMode): boolean =>
  mode === 'flat' || mode === 'remote-discovery' || mode === 'federated';

export function federatedServiceName(service: string): string {
  return `${service}-federated`;
}
