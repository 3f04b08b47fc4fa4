// Finding free address space: whole aligned subnets from a pool (cluster pod/service CIDRs) and small
// address ranges carved out of one subnet (load-balancer pools). Deterministic: same input, same answer.
import { blockSize, cidrToRange, networkOf, overlaps, parseIpv4, parseIpv4Cidr, type Ipv4Cidr, type Ipv4Range } from './ipv4.js';

type RangeLike = Ipv4Range | Ipv4Cidr;
const toRange = (value: RangeLike): Ipv4Range => ('family' in value ? cidrToRange(value) : value);

function cidrArg(value: string | Ipv4Cidr): Ipv4Cidr {
  const cidr = typeof value === 'string' ? parseIpv4Cidr(value) : value;
  if (!cidr) throw new RangeError(`${String(value)} is not an IPv4 CIDR`);
  return networkOf(cidr);
}

export interface AllocateSubnetsOptions {
  /** The pool to allocate from, e.g. `10.0.0.0/8`. */
  within: string | Ipv4Cidr;
  /** Prefix length of each allocated subnet (16 → /16s). */
  prefix: number;
  count: number;
  /** Where to start looking (rounded up to a block boundary); the search wraps around to the pool start. */
  startAt?: string | number;
  /** Address space already taken (explicit subnets of other clusters...). */
  avoid?: RangeLike[];
}

/**
 * Allocates up to `count` aligned subnets of `prefix` inside `within`, none overlapping `avoid` or each
 * other. Returns fewer when the pool runs out; callers decide whether that is an error.
 */
export function allocateSubnets(options: AllocateSubnetsOptions): Ipv4Cidr[] {
  const pool = cidrToRange(cidrArg(options.within));
  const size = blockSize(options.prefix);
  if (options.prefix < cidrArg(options.within).prefix) return [];
  const start = typeof options.startAt === 'string' ? parseIpv4(options.startAt) : options.startAt;
  const first = start === undefined || start < pool.start || start > pool.end ? pool.start : alignUp(start, size);
  const taken: Ipv4Range[] = (options.avoid ?? []).map(toRange);
  const found: Ipv4Cidr[] = [];
  // Two passes: from startAt to the end of the pool, then wrap around to the beginning.
  for (const [from, to] of [
    [first, pool.end],
    [pool.start, first - 1],
  ] as const) {
    let cursor = from;
    while (found.length < options.count && cursor + size - 1 <= to) {
      const candidate = { start: cursor, end: cursor + size - 1 };
      const clashes = taken.filter((t) => overlaps(t, candidate));
      if (clashes.length > 0) {
        cursor = alignUp(Math.max(...clashes.map((c) => c.end)) + 1, size);
        continue;
      }
      found.push({ family: 4, address: cursor, prefix: options.prefix });
      taken.push(candidate);
      cursor += size;
    }
  }
  return found;
}

/** One free subnet of `prefix` (see `allocateSubnets`), or undefined when the pool is exhausted. */
export function findFreeSubnet(options: Omit<AllocateSubnetsOptions, 'count'>): Ipv4Cidr | undefined {
  return allocateSubnets({ ...options, count: 1 })[0];
}

export interface CarveRangesOptions {
  /** Addresses per range. */
  size: number;
  count: number;
  /** Carve from the highest addresses downwards (`top`) or from the lowest upwards (`bottom`). Default `top`. */
  from?: 'top' | 'bottom';
  /** Addresses that must stay out of every range (gateway, explicit pools...). */
  avoid?: (RangeLike | number)[];
  /** Restrict carving to this part of the subnet (e.g. its upper half). */
  area?: Ipv4Range;
}

/**
 * Carves `count` disjoint ranges of `size` addresses out of `subnet`, never using the network or
 * broadcast address. Returns fewer when the subnet (or area) runs out.
 */
export function carveRanges(subnet: string | Ipv4Cidr, options: CarveRangesOptions): Ipv4Range[] {
  const whole = cidrToRange(cidrArg(subnet));
  const usable = {
    start: Math.max(whole.start + 1, options.area?.start ?? 0),
    end: Math.min(whole.end - 1, options.area?.end ?? Infinity),
  };
  const taken: Ipv4Range[] = (options.avoid ?? []).map((a) => (typeof a === 'number' ? { start: a, end: a } : toRange(a)));
  const found: Ipv4Range[] = [];
  const downwards = (options.from ?? 'top') === 'top';
  let cursor = downwards ? usable.end : usable.start;
  while (found.length < options.count) {
    const candidate = downwards ? { start: cursor - options.size + 1, end: cursor } : { start: cursor, end: cursor + options.size - 1 };
    if (candidate.start < usable.start || candidate.end > usable.end) break;
    const clashes = taken.filter((t) => overlaps(t, candidate));
    if (clashes.length > 0) {
      cursor = downwards ? Math.min(...clashes.map((c) => c.start)) - 1 : Math.max(...clashes.map((c) => c.end)) + 1;
      continue;
    }
    found.push(candidate);
    cursor = downwards ? candidate.start - 1 : candidate.end + 1;
  }
  return found;
}

function alignUp(value: number, size: number): number {
  return Math.ceil(value / size) * size;
}
