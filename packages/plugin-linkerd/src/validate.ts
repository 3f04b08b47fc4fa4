// Semantic checks of the linkerd section that JSON Schema cannot express.
import {
  asWarning,
  formatCidr,
  hasHostBits,
  networkOf,
  parseCidr,
  type Diagnostic,
  type Topology,
  type ValidateContext,
} from '@meshspec/core/plugin';
import { parseDuration } from './duration.js';
import { gatewayApiProblems } from './gateway-api-plan.js';
import { kubernetesSupportProblems } from './kubernetes-support.js';
import { linkModeProblems } from './link-modes-validate.js';
import { withDefaults, type LinkerdSection } from './schema.js';
import { parseLinkerdVersion } from './version.js';

const KEY = 'linkerd';

export function validateLinkerd(topology: Topology, section: LinkerdSection | undefined, ctx: ValidateContext): Diagnostic[] {
  if (section === undefined) return [];
  const problems: Diagnostic[] = [];
  const at = (path: (string | number)[], message: string, fix: string) => problems.push(ctx.diagnostic([KEY, ...path], message, fix));
  const clusters = Object.keys(topology.clusters);

  const resolved = withDefaults(section);
  const version = parseLinkerdVersion(resolved.version);
  if (!version) {
    at(
      ['version'],
      `"${resolved.version}" is not a Linkerd release name`,
      'write e.g. stable-2.13.3, stable-2.14.10, edge-26.6.3 or version-2.20',
    );
  } else {
    problems.push(...kubernetesSupportProblems(topology, version, ctx));
    problems.push(...gatewayApiProblems(section, version, ctx));
  }

  const validity = parseDuration(resolved.issuerValidity);
  const renew = parseDuration(resolved.issuerRenewBefore);
  if (validity !== undefined && renew !== undefined && renew >= validity) {
    at(
      ['issuerRenewBefore'],
      `issuerRenewBefore (${resolved.issuerRenewBefore}) is not shorter than issuerValidity (${resolved.issuerValidity}): the issuer would be re-issued on every apply`,
      'make issuerRenewBefore shorter than issuerValidity, e.g. 720h for 8760h',
    );
  }

  if (Array.isArray(section.links)) {
    const seen = new Set<string>();
    section.links.forEach((link, i) => {
      for (const end of ['from', 'to'] as const) {
        if (!clusters.includes(link[end])) {
          at(['links', i, end], `link ${end} "${link[end]}" is not a cluster of this topology`, `use one of: ${clusters.join(', ')}`);
        }
      }
      if (link.from === link.to)
        at(['links', i], `link from "${link.from}" to itself`, 'remove it: a cluster reaches its own services without a link');
      const key = `${link.from}->${link.to}`;
      if (seen.has(key)) at(['links', i], `duplicate link ${link.from} -> ${link.to}`, 'remove the repeated entry');
      seen.add(key);
    });
  }

  resolved.clusterNetworks.forEach((text, i) => {
    const cidr = parseCidr(text);
    if (!cidr) at(['clusterNetworks', i], `"${text}" is not a CIDR`, 'write a network like 10.250.0.0/16');
    else if (cidr.family === 4 && hasHostBits(cidr)) {
      at(['clusterNetworks', i], `${text} has host bits set`, `write its network, ${formatCidr(networkOf(cidr))}`);
    }
  });

  const exported = new Set<string>();
  resolved.export.forEach((entry, i) => {
    const key = `${entry.namespace}/${entry.service}`;
    if (exported.has(key)) at(['export', i], `${key} is exported twice`, 'remove the repeated entry');
    exported.add(key);
  });

  // Only an explicit list conflicts: `full-mesh` is also the schema default, so it cannot tell a written
  // value from an omitted one, and with multicluster off it simply means no links (the facts resolve that).
  if (section.multicluster?.enabled === false && Array.isArray(section.links) && section.links.length > 0) {
    at(
      ['links'],
      'links need the multicluster extension, which multicluster.enabled turns off',
      'remove links, or set multicluster.enabled: true',
    );
  }
  // Exporting labels a service for mirroring into linked clusters; with multicluster off nothing links or
  // mirrors. Only a warning: the label is harmless and may be set ahead of turning multicluster on.
  if (section.multicluster?.enabled === false) {
    resolved.export.forEach((entry, i) => {
      problems.push(
        asWarning(
          ctx.diagnostic(
            [KEY, 'export', i],
            `${entry.namespace}/${entry.service} is exported, but multicluster.enabled is false: no cluster links to another, so no cluster will mirror it`,
            'set multicluster.enabled: true, or remove this export',
          ),
        ),
      );
    });
  }
  problems.push(...linkModeProblems(topology, section, version, ctx));
  return problems;
}
