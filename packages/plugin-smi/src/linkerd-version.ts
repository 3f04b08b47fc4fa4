// Which split API a Linkerd release wants. The version table lives in plugin-linkerd alone; this module
// reads it only through `linkerdReleaseOf`, so a new Linkerd release is added in one place.
import { linkerdReleaseOf } from '@meshspec/plugin-linkerd';

export type SplitApi = 'trafficsplit' | 'httproute';

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * TrafficSplit (linkerd-smi) before 2.18; HTTPRoute from 2.18, where SMI support is gone. 2.14–2.17 could
 * do either; we keep TrafficSplit there so upgrading an existing setup does not change its objects.
 * An unreadable version counts as current Linkerd.
 */
export function splitApiFor(version: string | undefined): SplitApi {
  const release = version === undefined ? undefined : linkerdReleaseOf(version);
  if (!release) return 'httproute';
  return release.minor >= 18 ? 'httproute' : 'trafficsplit';
}

/** linkerd-smi before v0.2.3 does not work with Linkerd 2.13+ / edge-23.1.1+ (its compatibility matrix). */
export function needsSmi023(version: string | undefined): boolean {
  const release = version === undefined ? undefined : linkerdReleaseOf(version);
  if (!release) return true;
  if (release.edge) return compare(release.edge, [23, 1, 1]) >= 0;
  return release.minor >= 13;
}

export function isOlderExtension(version: string, than: string): boolean {
  const parts = (v: string) => v.replace(/^v/, '').split('.').map(Number);
  return compare(parts(version), parts(than)) < 0;
}
