// The plan for Linkerd: one global certificate step, then per cluster CRDs → control plane → extensions
// → gateway, then links between clusters and exported services. Manifests are rendered by the linkerd
// CLI (never piped to kubectl) and server-side applied through the kube client.
import { parseAllDocuments } from 'yaml';
import {
  CommandError,
  StepError,
  stepId,
  type ClusterDirectory,
  type KubeObject,
  type Step,
  type StepContext,
  type StepsContext,
  type Topology,
} from '@meshspec/core/plugin';
import { metallbPlugin, type MetallbFacts } from '@meshspec/plugin-metallb';
import { apiServerAddressOf, plannedAddress } from './api-server-address.js';
import { ensureLinkerdCertificates } from './cert-generation.js';
import { CERT_FILES, notAfterOf } from './identity.js';
import {
  applyLine,
  controlPlaneArgs,
  crdsArgs,
  linkArgs,
  multiclusterArgs,
  uninstallArgs,
  unlinkArgs,
  versionArgs,
  vizArgs,
  type IdentityFiles,
} from './commands.js';
import { durationMs } from './duration.js';
import { clusterNetworksFor, linkPairs, sourcesLinkedInto, versionOf } from './mesh.js';
import { gatewayApiPlan } from './gateway-api-plan.js';
import { linkGatewayAddresses, loadBalancerAddress } from './gateway-address.js';
import { gatewayApiStep, gatewayApiStepId } from './gateway-api.js';
import { registerKeyPem } from './redaction.js';
import { issuerRenewalReason, notYetValidReason, readStoredIdentity } from './renewal.js';
import { exportLabel, resolveExports, resolveLinks, type ResolvedExport, type ResolvedLink } from './link-modes.js';
import { withDefaults, type ExportEntry, type LinkerdSection, type LinkPair, type ResolvedLinkerdSection } from './schema.js';
import { parseLinkerdVersion, type LinkerdCapabilities, type LinkerdVersion } from './version.js';

export const LINKERD_NAMESPACE = 'linkerd';
export const VIZ_NAMESPACE = 'linkerd-viz';
export const MULTICLUSTER_NAMESPACE = 'linkerd-multicluster';
export const GATEWAY_SERVICE = 'linkerd-gateway';
export const CONTROL_PLANE_DEPLOYMENTS = ['linkerd-identity', 'linkerd-destination', 'linkerd-proxy-injector'];
export { EXPORT_LABEL } from './link-modes.js';
/** The service-mirror's ServiceAccount and its token Secret, which `multicluster link` reads in the source. */
export const REMOTE_ACCESS_SERVICE_ACCOUNT = 'linkerd-service-mirror-remote-access-default';
export const REMOTE_ACCESS_TOKEN_SECRET = `${REMOTE_ACCESS_SERVICE_ACCOUNT}-token`;

const ROLLOUT_TIMEOUT_MS = 5 * 60_000;
const LB_TIMEOUT_MS = 5 * 60_000;
const SERVICE_TIMEOUT_MS = 5 * 60_000;
const RENDER_TIMEOUT_MS = 2 * 60_000;
/** Deleting a namespace waits for everything in it (finalizers included). */
const DELETION_TIMEOUT_MS = 5 * 60_000;
const TOKEN_TIMEOUT_MS = 2 * 60_000;
/** What the CLI's uninstall commands print when nothing of theirs is left in the cluster. */
const NOTHING_TO_UNINSTALL = 'No resources found to uninstall';

/** Everything the step builders share. */
interface Build {
  topology: Topology;
  section: ResolvedLinkerdSection;
  version: LinkerdVersion;
  caps: LinkerdCapabilities;
  cli: string;
  contextOf(cluster: string): string;
  /** Where the identity files are, as shown in plans (`<state>/secrets/...`). */
  planFiles: IdentityFiles;
  stateDir: string;
  clusters: ClusterDirectory;
  metallb: MetallbFacts;
}

const ids = {
  certs: () => stepId('linkerd', 'certs'),
  crds: (c: string) => stepId('linkerd', 'crds', c),
  controlPlane: (c: string) => stepId('linkerd', 'control-plane', c),
  viz: (c: string) => stepId('linkerd', 'viz', c),
  multicluster: (c: string) => stepId('linkerd', 'multicluster', c),
  gateway: (c: string) => stepId('linkerd', 'gateway', c),
  link: (p: LinkPair) => stepId('linkerd', `link:${p.from}`, p.to),
  export: (e: ExportEntry, c: string) => stepId('linkerd', `export:${e.namespace}/${e.service}`, c),
};
export const linkerdStepIds = ids;

const identityFiles = (path: (name: string) => string): IdentityFiles => ({
  trustAnchors: path(CERT_FILES.caCert),
  issuerCert: path(CERT_FILES.issuerCert),
  issuerKey: path(CERT_FILES.issuerKey),
});

/** Runs the CLI to render manifests; stdout may hold credentials, so it is never logged. */
async function render(run: StepContext, cli: string, args: string[]): Promise<string> {
  const result = await run.exec.run(cli, args, { timeout: RENDER_TIMEOUT_MS, signal: run.signal });
  return result.stdout;
}

function objectsOf(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => !!o && typeof o === 'object' && typeof o.kind === 'string');
}

/**
 * Deletes what the CLI renders (newest first), for destroy, and returns once the Namespaces and CRDs
 * among them are gone: `linkerd uninstall` refuses while an extension's namespace exists, even
 * Terminating, and a CRD is only gone once its custom resources are. Nothing left is success: the
 * uninstall commands say "No resources found to uninstall" (exit 1 for extensions, 0 for the control plane).
 */
async function deleteRendered(run: StepContext, cluster: string, cli: string, args: string[]): Promise<void> {
  let text: string;
  try {
    text = await render(run, cli, args);
  } catch (e) {
    if (e instanceof CommandError && e.stderrTail.includes(NOTHING_TO_UNINSTALL)) {
      run.log.debug(`${cli} ${args.join(' ')}: nothing left to uninstall`);
      return;
    }
    throw e;
  }
  await deleteAndWait(run, cluster, objectsOf(text).reverse());
}

/** Deletes `objects` in order, then waits until the Namespaces and CRDs among them no longer exist. */
async function deleteAndWait(run: StepContext, cluster: string, objects: KubeObject[]): Promise<void> {
  const kube = run.kube(cluster);
  for (const o of objects) await kube.delete(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
  const lasting = objects.filter((o) => (o.apiVersion === 'v1' && o.kind === 'Namespace') || o.kind === 'CustomResourceDefinition');
  for (const o of lasting) {
    run.progress(`waiting for ${o.kind} ${o.metadata.name} to be deleted`);
    await kube.waitFor(o.apiVersion, o.kind, o.metadata.name, undefined, (x) => x === undefined, {
      timeoutMs: DELETION_TIMEOUT_MS,
      signal: run.signal,
      description: `${o.kind} ${o.metadata.name} to be deleted`,
    });
  }
}

function certsStep(b: Build): Step {
  const renewBeforeMs = durationMs(b.section.issuerRenewBefore);
  // An issuer inside the renewal window is kept: apply only warns (plan line, summary) and `meshspec
  // rotate --issuer` replaces it in every cluster without re-rendering the control planes. (Re-issuing
  // here made the control planes re-run `linkerd upgrade`, and again on the next apply when the flag
  // cleared.) Only a missing, unsigned or expired issuer is still re-issued, when this step runs.
  const opts = {
    trustAnchorValidityMs: durationMs(b.section.trustAnchorValidity),
    issuerValidityMs: durationMs(b.section.issuerValidity),
    issuerRenewBeforeMs: 0,
  };
  const stored = readStoredIdentity(b.stateDir);
  const renewal = issuerRenewalReason(stored, renewBeforeMs);
  const early = notYetValidReason(stored);
  return {
    id: ids.certs(),
    title: 'Linkerd trust anchor and issuer (shared by all clusters)',
    resource: 'api',
    estimateSeconds: 1, // in-process key generation
    plan: [
      `generate once, then reuse: <state>/secrets/${CERT_FILES.caCert} + ${CERT_FILES.caKey} (ECDSA P-256 root CA, CN root.linkerd.cluster.local, valid ${b.section.trustAnchorValidity})`,
      `issue when missing: <state>/secrets/${CERT_FILES.issuerCert} + ${CERT_FILES.issuerKey} (intermediate CA pathlen 0, CN identity.linkerd.cluster.local, valid ${b.section.issuerValidity})`,
      ...(renewal ? [`issuer renewal due (${renewal}): apply does not re-issue it; run meshspec rotate <file> --issuer`] : []),
      ...(early?.startsWith('issuer')
        ? [`${early} (clock skew, or a wrongly made file): apply re-issues it from the same trust anchor`]
        : []),
      ...(early?.startsWith('trust anchor')
        ? [`${early} (clock skew, or a wrongly made file): apply stops here; meshspec never replaces a trust anchor`]
        : []),
    ],
    // `renewalDue: false` is constant now; kept so the fingerprint of states written by earlier versions
    // (where it was false whenever no renewal was due) stays the same and no apply re-runs this step and
    // then every control plane's `linkerd upgrade` just because meshspec was updated.
    inputs: { validity: [b.section.trustAnchorValidity, b.section.issuerValidity, b.section.issuerRenewBefore], renewalDue: false },
    async run(run) {
      let result;
      try {
        result = await ensureLinkerdCertificates(run.secrets, opts);
      } catch (e) {
        throw new StepError(ids.certs(), (e as Error).message, { cause: e });
      }
      if (result.issuer === 'reissued')
        run.log.warn(`re-issued the Linkerd issuer (${result.reason}): the control planes get it with linkerd upgrade in this apply`);
      else if (renewal) run.log.warn(`the Linkerd issuer is due for renewal (${renewal}): run meshspec rotate <file> --issuer`);
      return { ...result };
    },
    // Files present and the issuer not expired: ensureLinkerdCertificates would change nothing.
    async status(run) {
      const files = await Promise.all(Object.values(CERT_FILES).map((n) => run.secrets.has(n)));
      if (!files.every(Boolean)) return false;
      const cert = await run.secrets.read(CERT_FILES.issuerCert);
      return !!cert && notAfterOf(cert).getTime() > Date.now();
    },
    // Recorded as done, but a stored certificate is not valid yet (the clock, or a file put there by hand):
    // run again, so the issuer is re-issued (and the control planes upgraded) or the anchor refused.
    async verify(run) {
      const [caCert, issuerCert] = await Promise.all([run.secrets.read(CERT_FILES.caCert), run.secrets.read(CERT_FILES.issuerCert)]);
      return notYetValidReason({ ...(caCert ? { caCert } : {}), ...(issuerCert ? { issuerCert } : {}) }) ?? true;
    },
    // No destroy: the trust anchor outlives clusters; deleting it would force re-keying every mesh that uses it.
  };
}

function crdsStep(b: Build, c: string): Step {
  const ctx = b.contextOf(c);
  const args = crdsArgs(ctx, b.caps, b.section.installGatewayApi);
  return {
    id: ids.crds(c),
    title: `Linkerd CRDs in ${c}`,
    resource: 'linkerd',
    estimateSeconds: 5,
    cluster: c,
    after: b.clusters.after(c),
    plan: [`${b.cli} ${versionArgs.join(' ')} (must report ${expectedCli(b.version)})`, applyLine(ctx, b.cli, args)],
    inputs: { version: b.version.text, cli: b.cli, args },
    async run(run) {
      await checkCliVersion(run, b);
      const manifests = await render(run, b.cli, args);
      const result = await run.kube(c).apply(manifests, { signal: run.signal });
      return { objects: result.objects.length };
    },
    async status(run) {
      return (
        (await run.kube(c).get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'serverauthorizations.policy.linkerd.io')) !==
        undefined
      );
    },
    // No destroy: `linkerd uninstall` (control-plane destroy) removes the CRDs too.
  };
}

/** What `linkerd version --client --short` must print for the configured version, for plans and warnings. */
function expectedCli(version: LinkerdVersion): string {
  return version.channel === 'version' ? `a 2.${version.minor} release` : version.text;
}

/** Warns (does not fail) when the CLI is not the configured release: it renders that release's manifests. */
async function checkCliVersion(run: StepContext, b: Build): Promise<void> {
  const out = await run.exec.run(b.cli, versionArgs, { timeout: 30_000, signal: run.signal, reject: false });
  if (out.exitCode !== 0) {
    throw new StepError(
      run.step.id,
      `${b.cli} ${versionArgs.join(' ')} failed: install the linkerd CLI ${expectedCli(b.version)} or set linkerd.cliPath`,
      { ...(run.step.cluster ? { cluster: run.step.cluster } : {}), command: out.command, stderrTail: out.stderr },
    );
  }
  const reported = out.stdout.trim();
  const parsed = parseLinkerdVersion(reported);
  // version-2.N names a line, not a build: any build of that line will do.
  const matches = b.version.channel === 'version' ? parsed?.minor === b.version.minor : reported === b.version.text;
  if (!matches)
    run.log.warn(
      `${b.cli} reports ${reported || 'no version'} but linkerd.version is ${b.version.text}: set linkerd.cliPath to ${expectedCli(b.version)} of the CLI`,
    );
}

function controlPlaneStep(b: Build, c: string): Step {
  const ctx = b.contextOf(c);
  const networks = clusterNetworksFor(b.clusters.all(), b.section, b.caps);
  const planArgs = controlPlaneArgs(ctx, 'install', b.planFiles, networks);
  return {
    id: ids.controlPlane(c),
    title: `Linkerd control plane in ${c}`,
    resource: 'linkerd',
    estimateSeconds: 90,
    cluster: c,
    needs: [ids.crds(c), ids.certs()],
    after: b.clusters.after(c),
    plan: [
      applyLine(ctx, b.cli, planArgs) + '   (upgrade instead of install when linkerd-config exists)',
      ...CONTROL_PLANE_DEPLOYMENTS.map((d) => `kubectl rollout status deployment/${d} -n ${LINKERD_NAMESPACE} --context ${ctx}`),
    ],
    // No stored-issuer fingerprint here (see certsStep): a re-issue reaches this step through `needs`.
    inputs: { version: b.version.text, cli: b.cli, args: planArgs },
    async run(run) {
      // The CLI renders the issuer key into its output; hide it even when the certs step was up to date
      // in this process and so never read it.
      registerKeyPem(await run.secrets.read(CERT_FILES.issuerKey));
      const kube = run.kube(c);
      const present = await kube.get('v1', 'ConfigMap', 'linkerd-config', LINKERD_NAMESPACE);
      const mode = present ? 'upgrade' : 'install';
      const args = controlPlaneArgs(
        ctx,
        mode,
        identityFiles((n) => run.secrets.path(n)),
        networks,
      );
      run.progress(`linkerd ${mode}`);
      await kube.apply(await render(run, b.cli, args), { signal: run.signal });
      for (const d of CONTROL_PLANE_DEPLOYMENTS) {
        run.progress(`waiting for deployment/${d}`);
        await kube.waitForRollout('Deployment', d, LINKERD_NAMESPACE, { timeoutMs: ROLLOUT_TIMEOUT_MS, signal: run.signal });
      }
      return { mode, clusterNetworks: networks };
    },
    async status(run) {
      const kube = run.kube(c);
      const found = await Promise.all(CONTROL_PLANE_DEPLOYMENTS.map((d) => kube.get('apps/v1', 'Deployment', d, LINKERD_NAMESPACE)));
      return found.every(Boolean) && (await kube.get('v1', 'ConfigMap', 'linkerd-config', LINKERD_NAMESPACE)) !== undefined;
    },
    async destroy(run) {
      registerKeyPem(await run.secrets.read(CERT_FILES.issuerKey));
      await deleteRendered(run, c, b.cli, uninstallArgs.controlPlane(ctx));
    },
  };
}

function vizStep(b: Build, c: string): Step {
  const ctx = b.contextOf(c);
  const args = vizArgs(ctx);
  return {
    id: ids.viz(c),
    title: `Linkerd viz in ${c}`,
    resource: 'linkerd',
    estimateSeconds: 60,
    cluster: c,
    needs: [ids.controlPlane(c)],
    after: b.clusters.after(c),
    plan: [applyLine(ctx, b.cli, args), `kubectl rollout status deployment/metrics-api -n ${VIZ_NAMESPACE} --context ${ctx}`],
    inputs: { version: b.version.text, cli: b.cli, args },
    async run(run) {
      const kube = run.kube(c);
      await kube.apply(await render(run, b.cli, args), { signal: run.signal });
      await kube.waitForRollout('Deployment', 'metrics-api', VIZ_NAMESPACE, { timeoutMs: ROLLOUT_TIMEOUT_MS, signal: run.signal });
    },
    async status(run) {
      return (await run.kube(c).get('apps/v1', 'Deployment', 'metrics-api', VIZ_NAMESPACE)) !== undefined;
    },
    async destroy(run) {
      await deleteRendered(run, c, b.cli, uninstallArgs.viz(ctx));
    },
  };
}

function multiclusterStep(b: Build, c: string, pairs: LinkPair[]): Step {
  const ctx = b.contextOf(c);
  const args = multiclusterArgs(ctx, b.caps, b.section.multicluster.gateway, sourcesLinkedInto(c, pairs));
  return {
    id: ids.multicluster(c),
    title: `Linkerd multicluster extension in ${c}`,
    resource: 'linkerd',
    estimateSeconds: 40,
    cluster: c,
    needs: [ids.controlPlane(c)],
    after: b.clusters.after(c),
    plan: [applyLine(ctx, b.cli, args)],
    inputs: { version: b.version.text, cli: b.cli, args },
    async run(run) {
      const kube = run.kube(c);
      const objects = objectsOf(await render(run, b.cli, args));
      await kube.apply(objects, { signal: run.signal });
      // Links into other clusters read this token (`multicluster link` fails without its data): wait for
      // the token controller to fill it, so a failure shows here, at the step that made it.
      if (objects.some((o) => o.kind === 'Secret' && o.metadata.name === REMOTE_ACCESS_TOKEN_SECRET)) {
        run.progress(`waiting for the token controller to fill ${REMOTE_ACCESS_TOKEN_SECRET}`);
        await kube.waitFor('v1', 'Secret', REMOTE_ACCESS_TOKEN_SECRET, MULTICLUSTER_NAMESPACE, hasToken, {
          timeoutMs: TOKEN_TIMEOUT_MS,
          signal: run.signal,
          description: `Secret ${MULTICLUSTER_NAMESPACE}/${REMOTE_ACCESS_TOKEN_SECRET} to get its token (kube-controller-manager's token controller fills it)`,
        });
      }
    },
    async status(run) {
      return (await run.kube(c).get('v1', 'ServiceAccount', REMOTE_ACCESS_SERVICE_ACCOUNT, MULTICLUSTER_NAMESPACE)) !== undefined;
    },
    // Links made from this cluster read its remote-access token; if it is gone (deleted by hand, or by
    // the token controller), re-apply so the next link can be made.
    async verify(run) {
      const kube = run.kube(c);
      if (!(await kube.get('v1', 'ServiceAccount', REMOTE_ACCESS_SERVICE_ACCOUNT, MULTICLUSTER_NAMESPACE)))
        return `ServiceAccount ${MULTICLUSTER_NAMESPACE}/${REMOTE_ACCESS_SERVICE_ACCOUNT} is missing`;
      if (!(await kube.get('v1', 'Secret', REMOTE_ACCESS_TOKEN_SECRET, MULTICLUSTER_NAMESPACE)))
        return `Secret ${MULTICLUSTER_NAMESPACE}/${REMOTE_ACCESS_TOKEN_SECRET} is missing`;
      return true;
    },
    // Links are destroyed first (they depend on this step); uninstall refuses while Links remain.
    async destroy(run) {
      await deleteRendered(run, c, b.cli, uninstallArgs.multicluster(ctx));
    },
  };
}

function gatewayStep(b: Build, c: string): Step {
  const ctx = b.contextOf(c);
  return {
    id: ids.gateway(c),
    title: `Linkerd gateway address in ${c}`,
    resource: 'api',
    estimateSeconds: 5, // waits for the gateway's rollout and address
    cluster: c,
    needs: [ids.multicluster(c)],
    after: [...b.clusters.after(c), b.metallb.poolsStep(c)],
    plan: [
      `kubectl rollout status deployment/${GATEWAY_SERVICE} -n ${MULTICLUSTER_NAMESPACE} --context ${ctx}`,
      `wait for service/${GATEWAY_SERVICE} -n ${MULTICLUSTER_NAMESPACE} --context ${ctx} to get a LoadBalancer address -> <address>`,
    ],
    async run(run) {
      const kube = run.kube(c);
      await kube.waitForRollout('Deployment', GATEWAY_SERVICE, MULTICLUSTER_NAMESPACE, {
        timeoutMs: ROLLOUT_TIMEOUT_MS,
        signal: run.signal,
      });
      run.progress(`waiting for a LoadBalancer address on ${GATEWAY_SERVICE}`);
      try {
        return {
          address: await kube.waitForLoadBalancer(GATEWAY_SERVICE, MULTICLUSTER_NAMESPACE, {
            timeoutMs: LB_TIMEOUT_MS,
            signal: run.signal,
          }),
        };
      } catch (e) {
        throw new StepError(
          ids.gateway(c),
          `${GATEWAY_SERVICE} in ${c} got no LoadBalancer address: add a metallb section (or another load balancer) so linked clusters can reach the gateway`,
          { cluster: c, cause: e },
        );
      }
    },
  };
}

function linkStep(b: Build, pair: ResolvedLink): Step {
  const { from: source, to: target } = pair;
  const sourceCtx = b.contextOf(source);
  const targetCtx = b.contextOf(target);
  // A flat link (`--gateway=false`) reads no gateway: it neither waits for one nor re-links when its address changes.
  const gateway = pair.mode === 'gateway';
  const address = apiServerAddressOf(b.topology, b.clusters.of(source));
  const planArgs = linkArgs(sourceCtx, source, b.caps, gateway, plannedAddress(address));
  return {
    id: ids.link(pair),
    title: `Link ${target} to ${source} (mirror ${source}'s services in ${target}${gateway ? '' : ', pod-to-pod'})`,
    resource: 'linkerd',
    estimateSeconds: 5,
    cluster: target,
    needs: [ids.multicluster(source), ids.multicluster(target), ...(gateway ? [ids.gateway(source)] : [])],
    after: b.clusters.after(source),
    plan: [
      applyLine(targetCtx, b.cli, planArgs) +
        (address.from === 'kubeconfig' ? `   (API server address: the server of context ${sourceCtx} in the kubeconfig)` : ''),
    ],
    inputs: { version: b.version.text, cli: b.cli, args: planArgs },
    async run(run) {
      let apiServerUrl: string | undefined;
      if (address.from === 'topology') apiServerUrl = address.url;
      else if (address.from === 'provider') {
        apiServerUrl = apiServerUrlOf(run, address.step);
        if (!apiServerUrl)
          run.log.warn(
            `no apiServerUrl recorded by ${address.step}: the link uses ${source}'s kubeconfig address, which ${target} may not reach`,
          );
      }
      const args = linkArgs(sourceCtx, source, b.caps, gateway, apiServerUrl);
      const rendered = await render(run, b.cli, args);
      await run.kube(target).apply(rendered, { signal: run.signal });
      // The CLI read the source gateway's address when it rendered the Link: recorded, so a later change shows.
      const gatewayAddress = linkGatewayAddresses(objectsOf(rendered).find((o) => o.kind === 'Link')).join(',');
      return { ...(apiServerUrl ? { apiServerUrl } : {}), ...(gatewayAddress ? { gatewayAddress } : {}) };
    },
    async status(run) {
      return (await run.kube(target).get('v1', 'Secret', `cluster-credentials-${source}`, MULTICLUSTER_NAMESPACE)) !== undefined;
    },
    // The Link holds the source gateway's address as it was when linked. When the gateway's LoadBalancer
    // address changes later (a new MetalLB pool, a recreated Service), mirrors point at nothing until the
    // link is made again: re-run it. An address still pending is not a reason (status reports it).
    ...(gateway
      ? {
          async verify(run: StepContext): Promise<true | string> {
            const current = loadBalancerAddress(await run.kube(source).get('v1', 'Service', GATEWAY_SERVICE, MULTICLUSTER_NAMESPACE));
            if (!current) return true;
            const link = await run.kube(target).get(LINK_API_VERSION(b.caps), 'Link', source, MULTICLUSTER_NAMESPACE);
            if (!link) return `Link ${MULTICLUSTER_NAMESPACE}/${source} is missing in ${target}`;
            const linked = linkGatewayAddresses(link);
            if (linked.includes(current)) return true;
            return `Link ${source} in ${target} points at ${source}'s gateway ${linked.join(',') || '(no address)'}, but ${GATEWAY_SERVICE} in ${source} now has address ${current}`;
          },
        }
      : {}),
    async destroy(run) {
      const kube = run.kube(target);
      // Without its Link (or the Link CRD: multicluster already uninstalled) `unlink` fails; what the
      // link made is then gone with the namespace, or deleted by name below. "Already gone" is success.
      const link = await kube.get(LINK_API_VERSION(b.caps), 'Link', source, MULTICLUSTER_NAMESPACE).catch(() => undefined);
      if (link && !b.caps.usesLinkGen) return deleteRendered(run, target, b.cli, unlinkArgs(targetCtx, source));
      // 2.18+ (no unlink command; Linkerd's documented unlink steps), or a Link already gone.
      if (link) await kube.delete(LINK_API_VERSION(b.caps), 'Link', source, MULTICLUSTER_NAMESPACE);
      await kube.delete('v1', 'Secret', `cluster-credentials-${source}`, MULTICLUSTER_NAMESPACE);
      await kube.delete('v1', 'Secret', `cluster-credentials-${source}`, LINKERD_NAMESPACE);
    },
  };
}

/** The Link version each line's CLI writes (2.13: v1alpha1; link-gen: v1alpha3). */
const LINK_API_VERSION = (caps: LinkerdCapabilities) =>
  caps.usesLinkGen ? 'multicluster.linkerd.io/v1alpha3' : 'multicluster.linkerd.io/v1alpha1';

/** The source's API address as its provider (kind, kwok) discovered it; undefined when it recorded none. */
function apiServerUrlOf(run: StepContext, kindCluster: string): string | undefined {
  try {
    const url = run.outputOf<{ apiServerUrl?: unknown }>(kindCluster).apiServerUrl;
    return typeof url === 'string' && url ? url : undefined;
  } catch {
    return undefined;
  }
}

function exportStep(b: Build, entry: ResolvedExport, c: string): Step {
  const ctx = b.contextOf(c);
  const { namespace, service } = entry;
  const label = exportLabel(entry.mode);
  return {
    id: ids.export(entry, c),
    title: `Export ${namespace}/${service} from ${c}`,
    resource: 'api',
    estimateSeconds: 2,
    cluster: c,
    // The steps that create the service order themselves before this one (`before`): Linkerd knows no workloads.
    after: b.clusters.after(c),
    plan: [`kubectl label service ${service} -n ${namespace} --context ${ctx} ${label.key}=${label.value} (after the service exists)`],
    // The mode joins the fingerprint only when it is not the original one, so existing states stay up to date.
    inputs: { entry: { namespace, service }, context: ctx, ...(entry.mode === 'mirror' ? {} : { mode: entry.mode }) },
    async run(run) {
      const kube = run.kube(c);
      await kube.waitFor('v1', 'Service', service, namespace, (o) => o !== undefined, {
        timeoutMs: SERVICE_TIMEOUT_MS,
        signal: run.signal,
        description: `service ${namespace}/${service} in ${c}`,
      });
      // A mode changed since the last apply: the other label would keep the service in its old mode too.
      await kube.label('v1', 'Service', service, namespace, { ...otherExportLabels(label.key), [label.key]: label.value });
    },
    async status(run) {
      return (await run.kube(c).get('v1', 'Service', service, namespace))?.metadata.labels?.[label.key] === label.value;
    },
    async destroy(run) {
      const kube = run.kube(c);
      if (await kube.get('v1', 'Service', service, namespace)) await kube.label('v1', 'Service', service, namespace, { [label.key]: null });
    },
  };
}

export function linkerdSteps(topology: Topology, raw: LinkerdSection | undefined, ctx: StepsContext): Step[] {
  if (raw === undefined) return [];
  const section = withDefaults(raw);
  const { version, caps } = versionOf(section);
  const b: Build = {
    topology,
    section,
    version,
    caps,
    cli: section.cliPath,
    contextOf: ctx.contextOf,
    planFiles: identityFiles((n) => `<state>/secrets/${n}`),
    stateDir: ctx.stateDir,
    clusters: ctx.clusters,
    metallb: ctx.facts(metallbPlugin),
  };
  const clusters = Object.keys(topology.clusters);
  const mc = section.multicluster.enabled;
  const pairs = mc ? resolveLinks(linkPairs(clusters, section.links), raw) : [];
  const steps: Step[] = [certsStep(b)];
  const gatewayApi = gatewayApiPlan(section, caps, ctx.topologyDir);
  for (const c of clusters) {
    const crds = crdsStep(b, c);
    if (gatewayApi) {
      // Linkerd 2.18+ refuses `install --crds` until the Gateway API CRDs exist.
      steps.push(gatewayApiStep(c, ctx.contextOf(c), gatewayApi, b.clusters.after(c)));
      crds.needs = [...(crds.needs ?? []), gatewayApiStepId(c)];
    }
    steps.push(crds, controlPlaneStep(b, c));
    if (section.viz) steps.push(vizStep(b, c));
    if (mc) steps.push(multiclusterStep(b, c, pairs));
    if (mc && section.multicluster.gateway) steps.push(gatewayStep(b, c));
  }
  for (const pair of pairs) steps.push(linkStep(b, pair));
  for (const entry of resolveExports(section.export, raw)) for (const c of clusters) steps.push(exportStep(b, entry, c));
  return steps;
}

/** The export labels other than `key`, removed (null) when an export is labelled for its mode. */
function otherExportLabels(key: string): Record<string, null> {
  return Object.fromEntries([exportLabel('mirror').key, exportLabel('federated').key].filter((k) => k !== key).map((k) => [k, null]));
}

/** The token controller has written the token into a service-account-token Secret. */
function hasToken(secret: KubeObject | undefined): boolean {
  const token = (secret?.['data'] as Record<string, unknown> | undefined)?.['token'];
  return typeof token === 'string' && token.length > 0;
}
