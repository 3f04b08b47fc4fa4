// Semantic checks of kind clusters: subnets that are real networks and never shared between clusters
// (a multicluster mesh routes by pod/service IP, so a shared range silently sends traffic to the wrong cluster).
import {
  findFreeSubnet,
  formatCidr,
  hasHostBits,
  networkOf,
  overlaps,
  parseCidr,
  type Diagnostic,
  type Ipv4Cidr,
  type Topology,
  type ValidateContext,
} from '@meshspec/core';
import { kindContext, SUBNET_POOL } from './resolve.js';
import { DEFAULT_POD_SUBNET_START, DEFAULT_SERVICE_SUBNET_START, KIND_SECTION_KEY, withDefaults, type KindClusterSpec, type KindSection } from './schema.js';

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

export function validateKind(topology: Topology, section: KindSection | undefined, ctx: ValidateContext): Diagnostic[] {
  if (section === undefined) return [];
  const clusters = topology.clusters as Record<string, KindClusterSpec>;
  const diagnostics: Diagnostic[] = [];
  const report = (path: (string | number)[], message: string, fix: string) => diagnostics.push({ ...ctx.diagnostic(path, message, fix), source: 'kind' });

  // First pass: every subnet parses; collect the networks for the overlap checks.
  const entries: SubnetEntry[] = [];
  for (const [cluster, spec] of Object.entries(clusters)) {
    for (const key of SUBNET_KEYS) {
      const value = spec[key];
      const path = ['clusters', cluster, key];
      if (value === undefined) {
        report(['clusters', cluster], `cluster ${cluster} has no ${key} and no free /16 is left in ${SUBNET_POOL}`, `write ${key} for cluster ${cluster} explicitly`);
        continue;
      }
      const parsed = typeof value === 'string' ? parseCidr(value) : undefined;
      if (parsed?.family === 6) {
        report(path, `${key} ${value} is IPv6; meshspec's kind clusters are IPv4 only`, `use an IPv4 CIDR such as ${key === 'podSubnet' ? '10.244.0.0/16' : '10.96.0.0/16'}`);
        continue;
      }
      if (!parsed) {
        report(path, `${key} ${JSON.stringify(value)} is not an IPv4 CIDR (a.b.c.d/n)`, `write a CIDR such as ${key === 'podSubnet' ? '10.244.0.0/16' : '10.96.0.0/16'}`);
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
      const fix = clash ? `use a free range of the same size instead, e.g. ${entry.key}: ${freeLike(entry) ?? `a /${entry.network.prefix} outside the other clusters' ranges`}` : `write ${entry.key}: ${network}`;
      report(path, `${entry.text} has host bits set; its network is ${network}`, fix);
    }
    if (clash) {
      const whose = clash.cluster === entry.cluster ? `its own ${clash.key}` : `${clash.key} ${clash.text} of cluster ${clash.cluster}`;
      const shown = entry.text === network ? entry.text : `${entry.text} (network ${network})`;
      const free = freeLike(entry);
      report(
        path,
        `${entry.key} ${shown} of cluster ${entry.cluster} overlaps ${whose}${clash.cluster === entry.cluster ? ` ${clash.text}` : ''}; clusters must not share pod or service ranges`,
        free ? `use a free /${entry.network.prefix} such as ${entry.key}: ${free}` : `choose a /${entry.network.prefix} that overlaps no other cluster's pod or service range`,
      );
    }
    if (entry.key === 'serviceSubnet' && entry.network.prefix > MAX_SERVICE_PREFIX) {
      report(path, `serviceSubnet ${entry.text} is too small: it holds ${2 ** (32 - entry.network.prefix)} addresses, and kind puts kube-dns at the 10th`, `use a /${MAX_SERVICE_PREFIX} or larger range, e.g. ${formatCidr({ ...entry.network, prefix: 16 })}`);
    }
    if (entry.key === 'podSubnet' && entry.network.prefix < MIN_POD_PREFIX) {
      report(path, `podSubnet ${entry.text} is too large: it covers ${entry.network.prefix === 0 ? 'every address' : `2^${32 - entry.network.prefix} addresses`}, including the docker network and the service ranges`, `use a /16 such as ${freeLike({ ...entry, network: { ...entry.network, prefix: 16 } }) ?? '10.244.0.0/16'}`);
    }
    if (entry.key === 'podSubnet' && entry.network.prefix > MAX_POD_PREFIX) {
      report(path, `podSubnet ${entry.text} is too small: each node gets a /${MAX_POD_PREFIX} of it`, `use a /16 such as ${formatCidr({ ...entry.network, prefix: 16 })}`);
    }
    if (entry.key === 'serviceSubnet' && entry.network.prefix < MIN_SERVICE_PREFIX) {
      report(path, `serviceSubnet ${entry.text} is larger than /${MIN_SERVICE_PREFIX}, which kube-apiserver refuses`, `use a /${MIN_SERVICE_PREFIX} or smaller range, e.g. ${formatCidr({ ...entry.network, prefix: 16 })}`);
    }
  });

  const defaults = withDefaults(section);
  const ports = new Map<string, string>();
  for (const [cluster, spec] of Object.entries(clusters)) {
    const expected = kindContext(cluster);
    if (spec.context !== undefined && spec.context !== expected) {
      report(['clusters', cluster, 'context'], `kind names the kube context of cluster ${cluster} "${expected}", not "${spec.context}"`, `remove context or write context: ${expected}`);
    }
    const port = spec.apiServerPort ?? defaults.apiServerPort;
    if (port === undefined || port === 0) continue;
    const where = `${spec.apiServerAddress ?? '127.0.0.1'}:${port}`;
    const owner = ports.get(where);
    if (owner !== undefined) {
      const path = spec.apiServerPort !== undefined ? ['clusters', cluster, 'apiServerPort'] : [KIND_SECTION_KEY, 'apiServerPort'];
      report(path, `cluster ${cluster} would listen on ${where}, which cluster ${owner} already uses`, `give each cluster its own apiServerPort, or omit it so kind picks a free port`);
    } else {
      ports.set(where, cluster);
    }
  }
  return diagnostics;
}
