// Before apply's first step: explicit pools must lie inside the docker network the kind nodes use. With
// dockerSubnet given, validate already checked that; otherwise the network is asked for here (when it
// exists already), so a pool such as the seed's 172.17.0.x against kind's 172.18.0.0/16 stops the run
// before anything is created, rather than leaving gateways with addresses nothing can reach.
import {
  contains,
  formatCidr,
  networkOf,
  parseCidr,
  parseIpv4Range,
  type CommandRunner,
  type Ipv4Cidr,
  type Topology,
} from '@meshspec/core/plugin';
import type { KindFacts } from '@meshspec/plugin-kind';
import { withDefaults, type MetallbSection } from './schema.js';

export async function metallbPreflight(
  topology: Topology,
  rawSection: MetallbSection | undefined,
  exec: CommandRunner,
  kind: KindFacts,
): Promise<string[]> {
  if (rawSection === undefined) return [];
  const section = withDefaults(rawSection);
  const explicit = Object.entries(section.pools);
  const network = kind.network;
  if (section.dockerSubnet !== undefined || explicit.length === 0 || network === undefined) return [];
  const inspect = await exec.run('docker', ['network', 'inspect', network, '--format', '{{json .IPAM.Config}}'], {
    reject: false,
    timeout: 15_000,
  });
  // No network yet: kind creates it during apply and docker picks its subnet; nothing to compare with now.
  if (inspect.exitCode !== 0) return [];
  const subnet = ipv4SubnetOf(inspect.stdout);
  if (!subnet) return [];
  const problems: string[] = [];
  for (const [cluster, text] of explicit) {
    const range = parseIpv4Range(text);
    if (range && !contains(subnet, range)) {
      problems.push(
        `metallb.pools.${cluster}: pool ${text} is outside the docker network ${network} (${formatCidr(subnet)}) the kind nodes are on, so its addresses would be unreachable; use a range inside ${formatCidr(subnet)}, or set metallb.dockerSubnet to have validate check it`,
      );
    }
  }
  return problems;
}

/** The IPv4 subnet in `docker network inspect --format '{{json .IPAM.Config}}'` output. */
function ipv4SubnetOf(output: string): Ipv4Cidr | undefined {
  try {
    const entries = JSON.parse(output.trim() || 'null') as { Subnet?: string }[] | null;
    for (const entry of entries ?? []) {
      const cidr = entry.Subnet ? parseCidr(entry.Subnet) : undefined;
      if (cidr?.family === 4) return networkOf(cidr);
    }
  } catch {
    // not JSON: treat as unknown
  }
  return undefined;
}
