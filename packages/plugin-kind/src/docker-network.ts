// The docker network kind puts its nodes on: creating it up front, and reading its IPv4 range.
import { formatCidr, formatIpv4, networkOf, parseCidr, parseIpv4, type Ipv4Cidr } from '@meshspec/core/plugin';

/**
 * `docker network create` with the options kind itself uses for its network (bridge, IP masquerade,
 * MTU 1500); IPv4 only, as meshspec's clusters are IPv4 only.
 */
export function networkCreateArgs(network: string): string[] {
  return [
    'network',
    'create',
    '-d=bridge',
    '-o',
    'com.docker.network.bridge.enable_ip_masquerade=true',
    '-o',
    'com.docker.network.driver.mtu=1500',
    network,
  ];
}

export function networkInspectArgs(network: string): string[] {
  return ['network', 'inspect', network, '--format', '{{json .IPAM.Config}}'];
}

export interface DockerNetworkInfo {
  subnet: string;
  gateway: string;
}

/**
 * Picks the IPv4 entry of `docker network inspect --format '{{json .IPAM.Config}}'` output, e.g.
 * `[{"Subnet":"fc00:f853:ccd:e793::/64"},{"Subnet":"172.18.0.0/16","Gateway":"172.18.0.1"}]`.
 * Without a Gateway entry docker uses the first address of the subnet.
 */
export function parseIpamConfig(output: string): DockerNetworkInfo | undefined {
  let entries: unknown;
  try {
    entries = JSON.parse(output.trim() || 'null');
  } catch {
    return undefined;
  }
  if (!Array.isArray(entries)) return undefined;
  for (const entry of entries as { Subnet?: string; Gateway?: string }[]) {
    const cidr = typeof entry?.Subnet === 'string' ? parseCidr(entry.Subnet) : undefined;
    if (cidr?.family !== 4) continue;
    const network: Ipv4Cidr = networkOf(cidr);
    const gateway = entry.Gateway && parseIpv4(entry.Gateway) !== undefined ? entry.Gateway : formatIpv4(network.address + 1);
    return { subnet: formatCidr(network), gateway };
  }
  return undefined;
}
