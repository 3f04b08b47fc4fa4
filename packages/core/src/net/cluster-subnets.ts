// Pod and service subnets of the clusters a provider creates (kind, kwok): distinct free /16s filled in
// when not written, and checks that each is a real IPv4 network shared with no other cluster (a
// multicluster mesh routes by pod/service IP, so a shared range silently sends traffic to the wrong
// cluster). One implementation for every provider.
import type { Diagnostic } from '../errors.js';
import type { ClusterSpec, ValidateContext } from '../plugin/types.js';
import { allocateSubnets, findFreeSubnet } from './allocate.js';
import { formatCidr, hasHostBits, networkOf, overlaps, parseCidr, parseIpv4Cidr, type Ipv4Cidr } from './ipv4.js';

/** Private address space the automatic subnets come from. */
export const SUBNET_POOL = '10.0.0.0/8';
/** kind's own defaults: the first cluster gets exactly what `kind create cluster` would give it. */
export const DEFAULT_POD_SUBNET_START = '10.244.0.0';
export const DEFAULT_SERVICE_SUBNET_START = '10.96.0.0';
export const DEFAULT_SUBNET_PREFIX = 16;

/** The subnet keys of a cluster entry (core cluster keys: every provider reads them). */
export interface ClusterSubnetSpec extends ClusterSpec {
  podSubnet?: string;
  serviceSubnet?: string;
}

/** IPv4 networks written explicitly in the topology (host bits cleared), to keep automatic ones away from them. */
export function explicitSubnets(clusters: Record<string, ClusterSubnetSpec>): Ipv4Cidr[] {
  return Object.values(clusters)
    .flatMap((c) => [c.podSubnet, c.serviceSubnet])
    .map((text) => (typeof text === 'string' ? parseIpv4Cidr(text) : undefined))
    .filter((c): c is Ipv4Cidr => c !== undefined)
    .map(networkOf);
}

/**
 * A copy of `clusters` with `podSubnet` (free /16s from 10.244.0.0 up) and `serviceSubnet` (free /16s
 * from 10.96.0.0 up) filled in where missing. Automatic subnets never overlap any subnet written in the
 * topology nor each other. Fewer subnets than clusters only when 10/8 is exhausted; the check reports it.
 */
export function assignClusterSubnets<C extends ClusterSubnetSpec>(input: Record<string, C>): Record<string, C> {
  const clusters = Object.fromEntries(Object.entries(input).map(([name, spec]) => [name, { ...spec }])) as Record<string, C>;
  const taken = explicitSubnets(clusters);
  const allocate = (key: 'podSubnet' | 'serviceSubnet', startAt: string) => {
    const missing = Object.keys(clusters).filter((name) => clusters[name]![key] === undefined);
    const subnets = allocateSubnets({ within: SUBNET_POOL, startAt, prefix: DEFAULT_SUBNET_PREFIX, count: missing.length, avoid: taken });
    missing.forEach((name, i) => {
      const subnet = subnets[i];
      if (subnet) (clusters[name] as ClusterSubnetSpec)[key] = formatCidr(subnet);
    });
    taken.push(...subnets);
  };
  allocate('podSubnet', DEFAULT_POD_SUBNET_START);
  allocate('serviceSubnet', DEFAULT_SERVICE_SUBNET_START);
  return clusters;
}

type SubnetKey = 'podSubnet' | 'serviceSubnet';
const SUBNET_KEYS: SubnetKey[] = ['podSubnet', 'serviceSubnet'];
/** kube-apiserver refuses IPv4 service ranges larger than /12 (at most 20 host bits). */
const MIN_SERVICE_PREFIX = 12;
/** kind puts kube-dns at the 10th address of the service range, so it needs at least 16 addresses. */
const MAX_SERVICE_PREFIX = 28;
/** Pod ranges wider than a /8 swallow the docker network and other clusters' ranges (0.0.0.0/0 is every address). */
const MIN_POD_PREFIX = 8;
/** kube-controller-manager gives each node a /24 of the pod range (--node-cidr-mask-size), so the range must hold one. */
const MAX_POD_PREFIX = 24;

interface SubnetEntry {
  cluster: string;
  key: SubnetKey;
  text: string;
  network: Ipv4Cidr;
}

/**
 * Every problem with the (resolved) subnets of `clusters`, reported as `source` (the provider's name);
 * `runtime` names what runs the clusters in messages (kind, kwok).
 */
export function clusterSubnetDiagnostics(
  clusters: Record<string, ClusterSubnetSpec>,
  ctx: Pick<ValidateContext, 'diagnostic'>,
  source: string,
  runtime: string,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (path: (string | number)[], message: string, fix: string) =>
    diagnostics.push({ ...ctx.diagnostic(path, message, fix), source });
  // First pass: every subnet parses; collect the networks for the overlap checks.
  const entries: SubnetEntry[] = [];
  for (const [cluster, spec] of Object.entries(clusters)) {
    for (const key of SUBNET_KEYS) {
      const value = spec[key];
      const path = ['clusters', cluster, key];
      if (value === undefined) {
        report(
          ['clusters', cluster],
          `cluster ${cluster} has no ${key} and no free /16 is left in ${SUBNET_POOL}`,
          `write ${key} for cluster ${cluster} explicitly`,
        );
        continue;
      }
      const parsed = typeof value === 'string' ? parseCidr(value) : undefined;
      if (parsed?.family === 6) {
        report(
          path,
          `${key} ${value} is IPv6; meshspec's ${runtime} clusters are IPv4 only`,
          `use an IPv4 CIDR such as ${key === 'podSubnet' ? '10.244.0.0/16' : '10.96.0.0/16'}`,
        );
        continue;
      }
      if (!parsed) {
        report(
          path,
          `${key} ${JSON.stringify(value)} is not an IPv4 CIDR (a.b.c.d/n)`,
          `write a CIDR such as ${key === 'podSubnet' ? '10.244.0.0/16' : '10.96.0.0/16'}`,
        );
        continue;
      }
      entries.push({ cluster, key, text: value, network: networkOf(parsed) });
    }
  }

  // A range a fix proposes is taken too, so two fixes never propose the same range.
  const proposed: Ipv4Cidr[] = [];
  const freeLike = (entry: SubnetEntry) => {
    const free = findFreeSubnet({
      within: SUBNET_POOL,
      prefix: entry.network.prefix,
      startAt: entry.key === 'podSubnet' ? DEFAULT_POD_SUBNET_START : DEFAULT_SERVICE_SUBNET_START,
      avoid: [...entries.filter((e) => e !== entry).map((e) => e.network), ...proposed],
    });
    if (free) proposed.push(free);
    return free ? formatCidr(free) : undefined;
  };

  entries.forEach((entry, index) => {
    const path = ['clusters', entry.cluster, entry.key];
    const network = formatCidr(entry.network);
    const clash = entries.slice(0, index).find((earlier) => overlaps(earlier.network, entry.network));
    if (hasHostBits(parseCidr(entry.text) as Ipv4Cidr)) {
      // The network itself is the right value unless it collides; then only a free range helps.
      const fix = clash
        ? `use a free range of the same size instead, e.g. ${entry.key}: ${freeLike(entry) ?? `a /${entry.network.prefix} outside the other clusters' ranges`}`
        : `write ${entry.key}: ${network}`;
      report(path, `${entry.text} has host bits set; its network is ${network}`, fix);
    }
    if (clash) {
      const whose = clash.cluster === entry.cluster ? `its own ${clash.key}` : `${clash.key} ${clash.text} of cluster ${clash.cluster}`;
      const shown = entry.text === network ? entry.text : `${entry.text} (network ${network})`;
      const free = freeLike(entry);
      report(
        path,
        `${entry.key} ${shown} of cluster ${entry.cluster} overlaps ${whose}${clash.cluster === entry.cluster ? ` ${clash.text}` : ''}; clusters must not share pod or service ranges`,
        free
          ? `use a free /${entry.network.prefix} such as ${entry.key}: ${free}`
          : `choose a /${entry.network.prefix} that overlaps no other cluster's pod or service range`,
      );
    }
    if (entry.key === 'serviceSubnet' && entry.network.prefix > MAX_SERVICE_PREFIX) {
      report(
        path,
        `serviceSubnet ${entry.text} is too small: it holds ${2 ** (32 - entry.network.prefix)} addresses, and ${runtime} puts kube-dns at the 10th`,
        `use a /${MAX_SERVICE_PREFIX} or larger range, e.g. ${formatCidr({ ...entry.network, prefix: 16 })}`,
      );
    }
    if (entry.key === 'podSubnet' && entry.network.prefix < MIN_POD_PREFIX) {
      report(
        path,
        `podSubnet ${entry.text} is too large: it covers ${entry.network.prefix === 0 ? 'every address' : `2^${32 - entry.network.prefix} addresses`}, including the docker network and the service ranges`,
        `use a /16 such as ${freeLike({ ...entry, network: { ...entry.network, prefix: 16 } }) ?? '10.244.0.0/16'}`,
      );
    }
    if (entry.key === 'podSubnet' && entry.network.prefix > MAX_POD_PREFIX) {
      report(
        path,
        `podSubnet ${entry.text} is too small: each node gets a /${MAX_POD_PREFIX} of it`,
        `use a /16 such as ${formatCidr({ ...entry.network, prefix: 16 })}`,
      );
    }
    if (entry.key === 'serviceSubnet' && entry.network.prefix < MIN_SERVICE_PREFIX) {
      report(
        path,
        `serviceSubnet ${entry.text} is larger than /${MIN_SERVICE_PREFIX}, which kube-apiserver refuses`,
        `use a /${MIN_SERVICE_PREFIX} or smaller range, e.g. ${formatCidr({ ...entry.network, prefix: 16 })}`,
      );
    }
  });

  return diagnostics;
}
