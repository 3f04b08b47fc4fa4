// Which split API the topology's Linkerd wants, and which linkerd-smi it needs. Read only from the linkerd
// plugin's facts (its version table and capabilities are the one source): this plugin never parses
// `linkerd.version` itself.
import type { LinkerdFacts } from '@meshspec/plugin-linkerd';

export type SplitApi = 'trafficsplit' | 'httproute';

/** What the split API depends on: Linkerd's capabilities (undefined when its version is unreadable). */
export type LinkerdRelease = Pick<LinkerdFacts, 'capabilities'>;

/**
 * TrafficSplit (linkerd-smi) before 2.18; HTTPRoute from 2.18, where SMI support is gone. 2.14–2.17 could
 * do either; we keep TrafficSplit there so upgrading an existing setup does not change its objects.
 * An unreadable version counts as current Linkerd (linkerd's own validate reports it).
 */
export function splitApiOf(linkerd: LinkerdRelease): SplitApi {
  return linkerd.capabilities === undefined || linkerd.capabilities.smiRemoved ? 'httproute' : 'trafficsplit';
}

/** linkerd-smi before v0.2.3 does not work with Linkerd 2.13+ / edge-23.1.1+ (its compatibility matrix). */
export function needsSmi023(linkerd: LinkerdRelease): boolean {
  return linkerd.capabilities?.needsLinkerdSmi023 ?? true;
}

export function isOlderExtension(version: string, than: string): boolean {
  const parts = (v: string) => v.replace(/^v/, '').split('.').map(Number);
  const [a, b] = [parts(version), parts(than)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0;
  }
  return false;
}
