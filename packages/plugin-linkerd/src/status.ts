// `meshspec status` for Linkerd: does every cluster trust OUR anchor, is the issuer far from expiry, and
// does every exported service have a mirror in each linked cluster that points at the remote gateway.
import { parse } from 'yaml';
import type { KubeObject, StatusLine, StepContext, Topology } from '@meshspec/core/plugin';
import { CERT_FILES, certificatesIn, notAfterOf, notBeforeOf } from './identity.js';
import { durationMs } from './duration.js';
import { loadBalancerAddress } from './gateway-address.js';
import { federatedServiceName, linkMirrors, resolveExports, resolveLinks } from './link-modes.js';
import { linkPairs, mirrorServiceName } from './mesh.js';
import { withDefaults, type LinkerdSection } from './schema.js';
import { GATEWAY_SERVICE, LINKERD_NAMESPACE, MULTICLUSTER_NAMESPACE } from './steps.js';
import { ISSUER_SECRET, issuerCertOf } from './rotate/objects.js';

const DAY_MS = 86_400_000;

/** The trust roots a cluster's control plane uses: the trust-roots ConfigMap, else linkerd-config's values. */
async function trustRootsOf(kube: ReturnType<StepContext['kube']>): Promise<string | undefined> {
  const roots = await kube.get('v1', 'ConfigMap', 'linkerd-identity-trust-roots', LINKERD_NAMESPACE);
  const bundle = (roots?.['data'] as Record<string, string> | undefined)?.['ca-bundle.crt'];
  if (bundle) return bundle;
  const config = await kube.get('v1', 'ConfigMap', 'linkerd-config', LINKERD_NAMESPACE);
  const values = (config?.['data'] as Record<string, string> | undefined)?.['values'];
  if (!values) return undefined;
  const pem = (parse(values) as { identityTrustAnchorsPEM?: unknown } | null)?.identityTrustAnchorsPEM;
  return typeof pem === 'string' ? pem : undefined;
}

function endpointAddresses(ep: KubeObject | undefined): string[] {
  const subsets = (ep?.['subsets'] as { addresses?: { ip?: string; hostname?: string }[] }[] | undefined) ?? [];
  return subsets
    .flatMap((s) => s.addresses ?? [])
    .map((a) => a.ip ?? a.hostname ?? '')
    .filter(Boolean);
}

export async function linkerdStatus(topology: Topology, raw: LinkerdSection | undefined, ctx: StepContext): Promise<StatusLine[]> {
  if (raw === undefined) return [];
  const section = withDefaults(raw);
  const lines: StatusLine[] = [];
  const clusters = Object.keys(topology.clusters);

  const localAnchor = await ctx.secrets.read(CERT_FILES.caCert);
  const localIssuer = await ctx.secrets.read(CERT_FILES.issuerCert);
  if (!localIssuer) {
    lines.push({
      name: 'linkerd issuer',
      ok: false,
      level: 'warn',
      detail: `no ${CERT_FILES.issuerCert} in ${ctx.secrets.dir}: run meshspec apply`,
    });
  } else {
    const left = notAfterOf(localIssuer).getTime() - Date.now();
    const warnWithin = durationMs(section.issuerRenewBefore);
    const days = Math.floor(left / DAY_MS);
    const notBefore = notBeforeOf(localIssuer);
    if (notBefore.getTime() > Date.now())
      lines.push({
        name: 'linkerd issuer',
        ok: false,
        level: 'error',
        detail: `issuer certificate not valid until ${notBefore.toISOString()} (clock skew, or a wrongly made file): proxies reject it until then; fix this machine's clock if it is behind, else run meshspec rotate <file> --issuer`,
      });
    else if (left <= 0)
      lines.push({
        name: 'linkerd issuer',
        ok: false,
        level: 'error',
        detail: `issuer certificate expired ${-days} days ago: run meshspec rotate <file> --issuer`,
      });
    else if (left <= warnWithin)
      lines.push({
        name: 'linkerd issuer',
        ok: false,
        level: 'warn',
        detail: `issuer certificate expires in ${days} days: run meshspec rotate <file> --issuer`,
      });
    else lines.push({ name: 'linkerd issuer', ok: true, level: 'ok', detail: `issuer valid for ${days} more days` });
  }

  const anchorKey = localAnchor ? certificatesIn(localAnchor)[0] : undefined;
  if (localAnchor && notBeforeOf(localAnchor).getTime() > Date.now()) {
    lines.push({
      name: 'linkerd trust anchor',
      ok: false,
      level: 'error',
      detail: `trust anchor ${CERT_FILES.caCert} not valid until ${notBeforeOf(localAnchor).toISOString()} (clock skew, or a wrongly made file): fix this machine's clock if it is behind, else restore the anchor the clusters trust from your backup`,
    });
  }
  for (const c of clusters) {
    const roots = await trustRootsOf(ctx.kube(c));
    if (roots === undefined) {
      lines.push({
        cluster: c,
        name: 'linkerd trust anchor',
        ok: false,
        level: 'error',
        detail: `no Linkerd trust roots in namespace ${LINKERD_NAMESPACE} (control plane not installed?)`,
      });
    } else if (!anchorKey) {
      lines.push({
        cluster: c,
        name: 'linkerd trust anchor',
        ok: false,
        level: 'warn',
        detail: `cannot compare: no local ${CERT_FILES.caCert}`,
      });
    } else if (certificatesIn(roots).includes(anchorKey)) {
      lines.push({ cluster: c, name: 'linkerd trust anchor', ok: true, level: 'ok', detail: 'cluster trusts the shared trust anchor' });
    } else {
      lines.push({
        cluster: c,
        name: 'linkerd trust anchor',
        ok: false,
        level: 'error',
        detail: `trust anchor mismatch: the control plane does not trust ${CERT_FILES.caCert}; cross-cluster mTLS fails (reinstall Linkerd in ${c} with meshspec's certificates)`,
      });
    }
  }

  lines.push(...(await clusterIssuerLines(clusters, localIssuer, ctx)));

  if (!section.multicluster.enabled) return lines;
  const gatewayOf = new Map<string, string | undefined>();
  const federatedSeen = new Set<string>();
  for (const { from: source, to: target, mode: linkMode } of resolveLinks(linkPairs(clusters, section.links), raw)) {
    if (linkMode === 'gateway' && !gatewayOf.has(source)) {
      gatewayOf.set(source, loadBalancerAddress(await ctx.kube(source).get('v1', 'Service', GATEWAY_SERVICE, MULTICLUSTER_NAMESPACE)));
    }
    const gateway = gatewayOf.get(source);
    for (const { namespace, service, mode } of resolveExports(section.export, raw)) {
      if (mode === 'federated') {
        // One federated service per cluster, whichever cluster it links to.
        const federated = federatedServiceName(service);
        if (federatedSeen.has(`${target}/${namespace}/${federated}`)) continue;
        federatedSeen.add(`${target}/${namespace}/${federated}`);
        const found = await ctx.kube(target).get('v1', 'Service', federated, namespace);
        lines.push(
          found
            ? {
                cluster: target,
                name: `federated ${namespace}/${federated}`,
                ok: true,
                level: 'ok',
                detail: `federated service over the clusters exporting ${service}`,
              }
            : {
                cluster: target,
                name: `federated ${namespace}/${federated}`,
                ok: false,
                level: 'error',
                detail: `no federated ${service}: check the links (linkerd multicluster check) and the mirror.linkerd.io/federated=member label on ${service}`,
              },
        );
        continue;
      }
      // A flat link does not mirror an exported=true service (validate says so); nothing to look for.
      if (!linkMirrors(linkMode, mode)) continue;
      const mirror = mirrorServiceName(service, source);
      const name = `mirror ${namespace}/${mirror}`;
      const kube = ctx.kube(target);
      if (!(await kube.get('v1', 'Service', mirror, namespace))) {
        const simulated = ctx.clusters.of(target);
        if (!simulated.realContainers) {
          // The service-mirror controller is a pod; on simulated pods (kwok) it never runs, so no mirror appears.
          lines.push({
            cluster: target,
            name,
            ok: false,
            level: 'warn',
            detail: `no mirror of ${service} from ${source}, as expected: ${target} is simulated by ${simulated.provider ?? 'its provider'}, where the service-mirror controller does not run`,
          });
          continue;
        }
        lines.push({
          cluster: target,
          name,
          ok: false,
          level: 'error',
          detail: `no mirror of ${service} from ${source}: check the link (linkerd multicluster check) and the ${service} export label in ${source}`,
        });
        continue;
      }
      // Pod-to-pod mirrors (remote discovery) get their endpoints from the remote API, none locally.
      if (linkMode === 'flat' || mode === 'remote-discovery') {
        lines.push({
          cluster: target,
          name,
          ok: true,
          level: 'ok',
          detail: `mirrors ${service} from ${source}${mode === 'remote-discovery' ? ' (remote discovery: endpoints read from the remote cluster)' : ''}`,
        });
        continue;
      }
      const addresses = endpointAddresses(await kube.get('v1', 'Endpoints', mirror, namespace));
      if (addresses.length === 0)
        lines.push({
          cluster: target,
          name,
          ok: false,
          level: 'error',
          detail: `mirror of ${service} from ${source} has no endpoints: the service mirror has not written ${source}'s gateway address (check linkerd multicluster check in ${target}, and that ${GATEWAY_SERVICE} in ${source} has an address), then re-run the link (meshspec apply)`,
        });
      else if (!gateway)
        lines.push({
          cluster: target,
          name,
          ok: false,
          level: 'error',
          detail: `${GATEWAY_SERVICE} in ${source} has no LoadBalancer address`,
        });
      else if (addresses.includes(gateway))
        lines.push({ cluster: target, name, ok: true, level: 'ok', detail: `endpoints -> ${source} gateway ${gateway}` });
      else
        lines.push({
          cluster: target,
          name,
          ok: false,
          level: 'error',
          detail: `endpoints [${addresses.join(', ') || 'none'}] do not include ${source}'s gateway ${gateway}: re-run the link (meshspec apply)`,
        });
    }
  }
  return lines;
}

/** The issuer each control plane really uses (its Secret), so `status` shows a rotation's new expiry per cluster. */
async function clusterIssuerLines(clusters: string[], localIssuer: string | undefined, ctx: StepContext): Promise<StatusLine[]> {
  const lines: StatusLine[] = [];
  for (const c of clusters) {
    const cert = issuerCertOf(await ctx.kube(c).get('v1', 'Secret', ISSUER_SECRET, LINKERD_NAMESPACE));
    if (!cert) continue;
    const until = notAfterOf(cert);
    const detail = `issuer valid until ${until.toISOString()} (${Math.floor((until.getTime() - Date.now()) / DAY_MS)} days)`;
    if (localIssuer && certificatesIn(localIssuer)[0] !== certificatesIn(cert)[0]) {
      lines.push({
        cluster: c,
        name: 'linkerd issuer in cluster',
        ok: false,
        level: 'warn',
        detail: `${detail}, but not the issuer in ${CERT_FILES.issuerCert}: finish the rotation with meshspec rotate <file> --issuer`,
      });
    } else lines.push({ cluster: c, name: 'linkerd issuer in cluster', ok: true, level: 'ok', detail });
  }
  return lines;
}
