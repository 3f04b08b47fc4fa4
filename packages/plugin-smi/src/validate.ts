import { asWarning, type Diagnostic, type Topology, type ValidateContext } from '@meshspec/core/plugin';
import { linkerdPlugin } from '@meshspec/plugin-linkerd';
import { resolveSmi, smiSchema, type SmiSection } from './schema.js';
import { isOlderExtension, needsSmi023, splitApiOf } from './split-api.js';

export function validateSmi(topology: Topology, section: SmiSection | undefined, ctx: ValidateContext): Diagnostic[] {
  if (!section) return [];
  const problems: Diagnostic[] = [];
  const clusters = Object.keys(topology.clusters);
  const mesh = ctx.facts(linkerdPlugin);
  if (!mesh.used) {
    problems.push(
      ctx.diagnostic(
        ['smi'],
        'smi splits traffic between Linkerd multicluster mirrors, but the topology has no linkerd section',
        'add a linkerd section (version, links, export) or remove smi',
      ),
    );
    return problems;
  }
  const { extensionVersion } = resolveSmi(section);
  const api = splitApiOf(mesh);
  if (api === 'httproute') {
    problems.push(
      asWarning(
        ctx.diagnostic(
          ['smi'],
          `SMI is deprecated in Linkerd's docs and linkerd-smi targets Linkerd before 2.18; with ${mesh.versionText ?? 'this Linkerd'} the smi splits are Gateway API HTTPRoutes (no TrafficSplit, no linkerd-smi)`,
          'nothing to install: HTTPRoute is the way from 2.18, and meshspec renders it from this section; drop smi.extensionVersion, which is unused',
        ),
      ),
    );
  }
  if (api === 'trafficsplit' && needsSmi023(mesh) && isOlderExtension(extensionVersion, 'v0.2.3')) {
    problems.push(
      ctx.diagnostic(
        ['smi', 'extensionVersion'],
        `linkerd-smi ${extensionVersion} does not work with Linkerd ${mesh.versionText} (2.13 and later need v0.2.3+)`,
        `set extensionVersion: ${smiSchema.properties.extensionVersion.default}`,
      ),
    );
  }
  const seen = new Set<string>();
  (section.splits ?? []).forEach((split, i) => {
    const at = ['smi', 'splits', i];
    const key = `${split.namespace}/${split.service}`;
    if (seen.has(key)) problems.push(ctx.diagnostic([...at, 'service'], `${key} is split twice`, 'merge the two entries into one'));
    seen.add(key);
    (split.clusters ?? []).forEach((c, j) => {
      if (!clusters.includes(c))
        problems.push(ctx.diagnostic([...at, 'clusters', j], `unknown cluster "${c}"`, `use one of: ${clusters.join(', ')}`));
    });
    // Without the multicluster extension there are no links, so no mirror of any service exists anywhere:
    // a split across clusters would send its remote shares to services that never appear.
    const remoteBackends =
      split.backends === undefined
        ? clusters.length > 1
        : split.backends.some((b) => b.cluster !== undefined && (split.clusters ?? clusters).some((c) => c !== b.cluster));
    if (!mesh.multicluster && remoteBackends) {
      problems.push(
        ctx.diagnostic(
          at,
          `${key} is split across clusters, but linkerd.multicluster.enabled is false: no cluster is linked to another, so no mirror of ${split.service} will ever exist to send traffic to`,
          'set linkerd.multicluster.enabled: true (links and mirrors need the multicluster extension), or remove this split',
        ),
      );
      return;
    }
    // A federated service has no per-cluster mirror to weigh: each linked cluster gets one
    // `<service>-federated` that already balances over every member cluster. Refused rather than warned:
    // the split would name mirrors that never exist.
    const federated = (service: string) => clusters.map((c) => mesh.federatedIn(c, split.namespace, service)).find((f) => f !== undefined);
    const federatedFix = (service: string, name: string) =>
      `send traffic to ${name} (it balances over every cluster; no split needed), or export ${split.namespace}/${service} with mode: remote-discovery or mirror to split it by weight`;
    if (!split.backends) {
      const name = federated(split.service);
      if (clusters.length > 1 && name) {
        problems.push(
          ctx.diagnostic(
            [...at, 'service'],
            `${key} is exported as federated: no per-cluster mirror exists to split to, and ${name} already balances across the member clusters`,
            federatedFix(split.service, name),
          ),
        );
        return;
      }
      // Default backends are the mirrors of the other clusters: without an export there is nothing to split to.
      if (clusters.length > 1 && !mesh.isExported(split.namespace, split.service)) {
        problems.push(
          ctx.diagnostic(
            [...at, 'service'],
            `${key} is not exported by any cluster, so no mirrors exist to split to`,
            `add { namespace: ${split.namespace}, service: ${split.service} } to linkerd.export`,
          ),
        );
        return;
      }
      // Exported, but no cluster of the split links to another: every copy of the split would be 100% local.
      const splitClusters = (split.clusters ?? clusters).filter((c) => clusters.includes(c));
      if (
        clusters.length > 1 &&
        splitClusters.length > 0 &&
        !splitClusters.some((c) => clusters.some((remote) => mesh.mirrorIn(c, split.namespace, split.service, remote) !== undefined))
      ) {
        problems.push(
          ctx.diagnostic(
            at,
            `${key} would split to no mirror: none of ${splitClusters.join(', ')} is linked to another cluster (linkerd.links), so all its traffic would stay local`,
            'set linkerd.links: full-mesh (or add links into these clusters), or remove this split',
          ),
        );
      }
      return;
    }
    // Weights are relative shares (they need not add up to 100). A backend written twice is refused rather
    // than silently summed: it is almost always a copy-paste slip, and the sum would hide it.
    const firstOf = new Map<string, number>();
    split.backends.forEach((b, j) => {
      const bat = [...at, 'backends', j];
      const id = `${b.cluster ?? '(local)'}/${b.service ?? split.service}`;
      const first = firstOf.get(id);
      if (first !== undefined) {
        const total = split.backends![first]!.weight + b.weight;
        problems.push(
          ctx.diagnostic(
            bat,
            `backend ${id} is listed twice (also backends[${first}]); weights are relative, so write it once with weight ${total}`,
            `remove this entry and set weight: ${total} on backends[${first}]`,
          ),
        );
      } else firstOf.set(id, j);
      if (b.weight < 0 || !Number.isInteger(b.weight))
        problems.push(
          ctx.diagnostic([...bat, 'weight'], `weight ${b.weight} must be a whole number >= 0`, 'use a non-negative integer weight'),
        );
      if (b.cluster === undefined) return;
      if (!clusters.includes(b.cluster)) {
        problems.push(ctx.diagnostic([...bat, 'cluster'], `unknown cluster "${b.cluster}"`, `use one of: ${clusters.join(', ')}`));
        return;
      }
      const service = b.service ?? split.service;
      // Every other cluster reaches this backend through the mirror, which only exists for exported services.
      if (clusters.length > 1 && !mesh.isExported(split.namespace, service)) {
        problems.push(
          ctx.diagnostic(
            [...bat, b.service ? 'service' : 'cluster'],
            `${split.namespace}/${service} is not exported from ${b.cluster}, so other clusters have no mirror ${mesh.mirrorName(service, b.cluster)}`,
            `add { namespace: ${split.namespace}, service: ${service} } to linkerd.export`,
          ),
        );
      }
      const federatedName = federated(service);
      if (clusters.length > 1 && federatedName) {
        problems.push(
          ctx.diagnostic(
            [...bat, b.service ? 'service' : 'cluster'],
            `${split.namespace}/${service} is exported as federated: there is no mirror ${service}-${b.cluster}, only ${federatedName}, which already balances across the member clusters`,
            federatedFix(service, federatedName),
          ),
        );
        return;
      }
      const unlinked = (split.clusters ?? clusters).filter((c) => c !== b.cluster && !mesh.isLinked(b.cluster!, c));
      // Linked, exported, and still no mirror: an `exported=true` service over a flat (gateway-less) link.
      const unmirrored = (split.clusters ?? clusters).filter(
        (c) =>
          c !== b.cluster &&
          mesh.isLinked(b.cluster!, c) &&
          mesh.isExported(split.namespace, service) &&
          !mesh.mirrorIn(c, split.namespace, service, b.cluster!),
      );
      if (unmirrored.length > 0) {
        problems.push(
          ctx.diagnostic(
            [...bat, 'cluster'],
            `the link from ${b.cluster} into ${unmirrored.join(', ')} is flat and ${split.namespace}/${service} is exported with mode mirror, so the mirror ${service}-${b.cluster} will not exist there`,
            `export ${split.namespace}/${service} with mode: remote-discovery (flat links mirror only that), or make the link a gateway link`,
          ),
        );
      }
      if (unlinked.length > 0) {
        problems.push(
          ctx.diagnostic(
            [...bat, 'cluster'],
            `${unlinked.join(', ')} ${unlinked.length > 1 ? 'have' : 'has'} no link to ${b.cluster}, so the mirror ${mesh.mirrorName(service, b.cluster)} will not exist there`,
            `add { from: ${b.cluster}, to: ${unlinked[0]} } to linkerd.links (or use links: full-mesh)`,
          ),
        );
      }
    });
    if (split.backends.every((b) => b.weight === 0)) {
      problems.push(
        ctx.diagnostic(
          [...at, 'backends'],
          `all backends of ${key} have weight 0, so no request could be routed`,
          'give at least one backend a weight above 0',
        ),
      );
    }
  });
  return problems;
}
