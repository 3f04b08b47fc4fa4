// IPv4 addresses, CIDRs and inclusive address ranges as plain numbers (0 .. 2^32-1).
// Numbers rather than strings so overlap/containment are comparisons, and nothing here allocates a class.
// IPv6 is only recognised (so callers can skip docker's IPv6 IPAM entries), never computed with.

/** An inclusive range of IPv4 addresses, as unsigned 32-bit numbers. */
export interface Ipv4Range {
  start: number;
  end: number;
}

/** An IPv4 CIDR as written: `address` may have host bits set (see `hasHostBits`). */
export interface Ipv4Cidr {
  family: 4;
  address: number;
  prefix: number;
}

/** An IPv6 CIDR, recognised but not interpreted. */
export interface Ipv6Cidr {
  family: 6;
  text: string;
  prefix: number;
}

export type Cidr = Ipv4Cidr | Ipv6Cidr;

const OCTET = /^(?:0|[1-9][0-9]{0,2})$/;
const MAX = 0xffffffff;

/** `'10.96.0.1'` → 174063617; undefined for anything that is not a dotted quad. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.trim().split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!OCTET.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(address: number): string {
  return [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255].join('.');
}

/** Mask of the network part for a prefix length (as an unsigned number). */
function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (MAX << (32 - prefix)) >>> 0;
}

/** Number of addresses in a block of this prefix length. */
export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** Parses an IPv4 or IPv6 CIDR; undefined when it is neither. IPv6 is checked only loosely. */
export function parseCidr(text: string): Cidr | undefined {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  if (slash < 0) return undefined;
  const addressText = trimmed.slice(0, slash);
  const prefixText = trimmed.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  if (addressText.includes(':')) {
    return /^[0-9a-fA-F:.]+$/.test(addressText) && prefix <= 128 ? { family: 6, text: trimmed, prefix } : undefined;
  }
  const address = parseIpv4(addressText);
  if (address === undefined || prefix > 32) return undefined;
  return { family: 4, address, prefix };
}

/** Parses an IPv4 CIDR only (undefined for IPv6 and garbage). */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const cidr = parseCidr(text);
  return cidr?.family === 4 ? cidr : undefined;
}

/** The network of a CIDR: `10.97.0.0/12` → `10.96.0.0/12`. */
export function networkOf(cidr: Ipv4Cidr): Ipv4Cidr {
  return { family: 4, address: (cidr.address & maskOf(cidr.prefix)) >>> 0, prefix: cidr.prefix };
}

/** True when the address has bits set beyond the prefix, i.e. it is not the network address. */
export function hasHostBits(cidr: Ipv4Cidr): boolean {
  return networkOf(cidr).address !== cidr.address;
}

export function formatCidr(cidr: Ipv4Cidr): string {
  return `${formatIpv4(cidr.address)}/${cidr.prefix}`;
}

/** All addresses of the CIDR's network (network and broadcast included). */
export function cidrToRange(cidr: Ipv4Cidr): Ipv4Range {
  const start = networkOf(cidr).address;
  return { start, end: start + blockSize(cidr.prefix) - 1 };
}

/** The CIDR exactly covering a range, or undefined when the range is not one aligned block. */
export function rangeToCidr(range: Ipv4Range): Ipv4Cidr | undefined {
  const size = range.end - range.start + 1;
  const prefix = 32 - Math.log2(size);
  if (!Number.isInteger(prefix) || range.start % size !== 0) return undefined;
  return { family: 4, address: range.start, prefix };
}

/** `'172.18.0.61-172.18.0.70'` or a CIDR → range. Undefined when unparsable or start > end. */
export function parseIpv4Range(text: string): Ipv4Range | undefined {
  if (text.includes('/')) {
    const cidr = parseIpv4Cidr(text);
    return cidr ? cidrToRange(cidr) : undefined;
  }
  const parts = text.split('-');
  if (parts.length !== 2) return undefined;
  const start = parseIpv4(parts[0]!);
  const end = parseIpv4(parts[1]!);
  if (start === undefined || end === undefined || start > end) return undefined;
  return { start, end };
}

/** `{start, end}` → `'a.b.c.d-a.b.c.e'` (MetalLB's pool syntax). */
export function formatRange(range: Ipv4Range): string {
  return `${formatIpv4(range.start)}-${formatIpv4(range.end)}`;
}

export function rangeSize(range: Ipv4Range): number {
  return range.end - range.start + 1;
}

type RangeLike = Ipv4Range | Ipv4Cidr;
const asRange = (value: RangeLike): Ipv4Range => ('family' in value ? cidrToRange(value) : value);

/** Do the two ranges/CIDRs share at least one address? */
export function overlaps(a: RangeLike, b: RangeLike): boolean {
  const x = asRange(a);
  const y = asRange(b);
  return x.start <= y.end && y.start <= x.end;
}

/** Is every address of `inner` inside `outer`? (`inner` may also be a single address.) */
export function contains(outer: RangeLike, inner: RangeLike | number): boolean {
  const o = asRange(outer);
  const i = typeof inner === 'number' ? { start: inner, end: inner } : asRange(inner);
  return o.start <= i.start && i.end <= o.end;
}
