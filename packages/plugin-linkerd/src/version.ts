// Linkerd version names and what each release line can do. Linkerd ships under several naming schemes
// (stable-2.13.3, edge-25.4.4, version-2.18, enterprise-2.18.1); steps only care about the feature set,
// so every name is reduced to the 2.N release line it belongs to.

export type LinkerdChannel = 'stable' | 'edge' | 'version' | 'enterprise';

export interface LinkerdVersion {
  /** The name as written, e.g. `stable-2.13.3`. */
  text: string;
  channel: LinkerdChannel;
  /** Always 2 for the 2.x line. */
  major: number;
  /** The 2.N release line; for edge builds, the latest line whose first edge is not after this build. */
  minor: number;
  /** Patch of stable/enterprise names; undefined otherwise. */
  patch?: number;
  /** edge-YY.M.N parts, for edge builds. */
  edge?: { year: number; month: number; build: number };
}

/**
 * The edge build each 2.N release is (Linkerd's release notes: "stable-2.N.0 / version-2.N = edge-yy.m.n").
 * Open-source Linkerd stopped publishing stable tags after stable-2.14.10; later lines are named by their
 * edge build. An edge build between two releases is a step toward the next one, so it belongs to that
 * next minor (edge-25.5.1 is a 2.19 pre-release); a build after the newest release here belongs to the
 * minor after it. This is the only table of Linkerd versions in meshspec: other plugins read what it decides
 * through the linkerd plugin's facts (`version`, `capabilities`), never by parsing `linkerd.version`.
 */
export const EDGE_OF_RELEASE: readonly { minor: number; edge: [number, number, number] }[] = [
  { minor: 20, edge: [26, 6, 3] },
  { minor: 19, edge: [25, 10, 7] },
  { minor: 18, edge: [25, 4, 4] },
  { minor: 17, edge: [24, 11, 8] },
  { minor: 16, edge: [24, 8, 2] },
  // 2.14 and 2.15 came out in August 2023 and February 2024; their exact edge builds matter to no
  // capability below, so the month is precise enough.
  { minor: 15, edge: [24, 2, 0] },
  { minor: 14, edge: [23, 8, 0] },
];

/** The newest release line this table knows; `linkerd.version` defaults to it. */
export const NEWEST_KNOWN_MINOR = EDGE_OF_RELEASE[0]!.minor;

export const VERSION_PATTERN =
  '^(stable-2\\.[0-9]+\\.[0-9]+|enterprise-2\\.[0-9]+\\.[0-9]+|version-2\\.[0-9]+|edge-[0-9]{2}\\.[0-9]{1,2}\\.[0-9]+)$';

const STABLE = /^(stable|enterprise)-2\.(\d+)\.(\d+)$/;
const LINE = /^version-2\.(\d+)$/;
const EDGE = /^edge-(\d{2})\.(\d{1,2})\.(\d+)$/;

const compareEdge = (a: readonly number[], b: readonly number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;

/** The release line of an edge build (see EDGE_OF_RELEASE). */
function minorOfEdge(parts: [number, number, number]): number {
  const ascending = [...EDGE_OF_RELEASE].reverse();
  const oldest = ascending[0]!;
  // Before the first edge of 2.14 nothing here tells the lines apart: 2.13 or older.
  if (compareEdge(parts, oldest.edge) < 0) return oldest.minor - 1;
  return ascending.find((r) => compareEdge(parts, r.edge) <= 0)?.minor ?? NEWEST_KNOWN_MINOR + 1;
}

/** Parses a Linkerd version name; undefined when it is none of the known schemes. */
export function parseLinkerdVersion(text: string): LinkerdVersion | undefined {
  const stable = STABLE.exec(text);
  if (stable) return { text, channel: stable[1] as 'stable' | 'enterprise', major: 2, minor: Number(stable[2]), patch: Number(stable[3]) };
  const line = LINE.exec(text);
  if (line) return { text, channel: 'version', major: 2, minor: Number(line[1]) };
  const edge = EDGE.exec(text);
  if (edge) {
    const parts: [number, number, number] = [Number(edge[1]), Number(edge[2]), Number(edge[3])];
    if (parts[1] < 1 || parts[1] > 12) return undefined;
    return { text, channel: 'edge', major: 2, minor: minorOfEdge(parts), edge: { year: parts[0], month: parts[1], build: parts[2] } };
  }
  return undefined;
}

export interface LinkerdCapabilities {
  /** 2.18+: `multicluster link-gen` emits Link + credentials only; the per-link controllers come from the multicluster chart's `controllers` values. */
  usesLinkGen: boolean;
  /** 2.14+: Gateway API HTTPRoute is the way to split traffic. */
  prefersHttpRoute: boolean;
  /** 2.18+: SMI TrafficSplit is not maintained for this line (linkerd-smi targets older lines). */
  smiRemoved: boolean;
  /** Before 2.18 `linkerd install --crds` installs the Gateway API CRDs itself; from 2.18 they must exist first (or be asked for with installGatewayAPI=true). */
  installsGatewayApiCrds: boolean;
  /** 2.16+ (IPv6 support) lists fd00::/8 in the default clusterNetworks. */
  ipv6ClusterNetworks: boolean;
  /** 2.13+ / edge-23.1.1+: the linkerd-smi extension must be v0.2.3 or later (linkerd-smi's compatibility matrix). */
  needsLinkerdSmi023: boolean;
}

/** The first edge build that needs linkerd-smi v0.2.3+ (the 2.13 line). */
const FIRST_EDGE_NEEDING_SMI_023: readonly [number, number, number] = [23, 1, 1];

export function capabilitiesOf(version: LinkerdVersion): LinkerdCapabilities {
  const atLeast = (minor: number) => version.major > 2 || version.minor >= minor;
  return {
    usesLinkGen: atLeast(18),
    prefersHttpRoute: atLeast(14),
    smiRemoved: atLeast(18),
    installsGatewayApiCrds: !atLeast(18),
    ipv6ClusterNetworks: atLeast(16),
    needsLinkerdSmi023: version.edge
      ? compareEdge([version.edge.year, version.edge.month, version.edge.build], FIRST_EDGE_NEEDING_SMI_023) >= 0
      : atLeast(13),
  };
}

/** Linkerd's own default `clusterNetworks` for a release line. */
export function defaultClusterNetworks(caps: LinkerdCapabilities): string[] {
  const v4 = ['10.0.0.0/8', '100.64.0.0/10', '172.16.0.0/12', '192.168.0.0/16'];
  return caps.ipv6ClusterNetworks ? [...v4, 'fd00::/8'] : v4;
}
