// A small reading of `linkerd.version`, just enough to choose the split API. The linkerd plugin owns the
// full validation of the field; this module deliberately does not import it.

export type SplitApi = 'trafficsplit' | 'httproute';

/** Edge release that each stable minor corresponds to (from the Linkerd release notes). */
const EDGE_OF_MINOR: [minor: number, edge: [number, number, number]][] = [
  [19, [25, 10, 7]],
  [18, [25, 4, 4]],
  [17, [24, 11, 8]],
  [16, [24, 8, 2]],
];

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export interface LinkerdVersionInfo {
  /** 2.x minor, when it can be told (stable-2.13.3, version-2.18, enterprise-2.15.1, 2.18.0, recent edges). */
  minor?: number;
  edge?: [number, number, number];
}

export function parseLinkerdVersion(version: string): LinkerdVersionInfo | undefined {
  const edge = /^edge-(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (edge) {
    const e: [number, number, number] = [Number(edge[1]), Number(edge[2]), Number(edge[3])];
    const known = EDGE_OF_MINOR.find(([, first]) => compare(e, first) >= 0);
    return known ? { minor: known[0], edge: e } : { edge: e };
  }
  const named = /^(?:stable-|version-|enterprise-)?v?2\.(\d+)(?:\.\d+)?$/.exec(version);
  return named ? { minor: Number(named[1]) } : undefined;
}

/**
 * TrafficSplit (linkerd-smi) before 2.18; HTTPRoute from 2.18, where SMI support is gone. 2.14–2.17 could
 * do either; we keep TrafficSplit there so upgrading an existing setup does not change its objects.
 * An unreadable version counts as current Linkerd.
 */
export function splitApiFor(version: string | undefined): SplitApi {
  const info = version === undefined ? undefined : parseLinkerdVersion(version);
  if (!info) return 'httproute';
  if (info.minor !== undefined) return info.minor >= 18 ? 'httproute' : 'trafficsplit';
  return 'trafficsplit'; // an edge older than the 2.16 one
}

/** linkerd-smi before v0.2.3 does not work with Linkerd 2.13+ / edge-23.1.1+ (its compatibility matrix). */
export function needsSmi023(version: string | undefined): boolean {
  const info = version === undefined ? undefined : parseLinkerdVersion(version);
  if (!info) return true;
  if (info.edge) return compare(info.edge, [23, 1, 1]) >= 0;
  return (info.minor ?? 99) >= 13;
}

export function isOlderExtension(version: string, than: string): boolean {
  const parts = (v: string) => v.replace(/^v/, '').split('.').map(Number);
  return compare(parts(version), parts(than)) < 0;
}
