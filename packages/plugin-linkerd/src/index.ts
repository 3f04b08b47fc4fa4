import { definePlugin, type ToolRequirement } from '@meshspec/core';
import { CERT_FILES } from './identity.js';
import { apiServerAddressSchema } from './api-server-address.js';
import { linkerdSectionSchema, type LinkerdSection } from './section.js';
import { linkerdStatus } from './status.js';
import { linkerdRotate } from './rotate/rotate.js';
import { issuerRenewalWarning } from './rotate/renewal-warning.js';
import { linkerdSteps } from './steps.js';
import { linkerdFacts, type LinkerdFacts } from './facts.js';
import { validateLinkerd } from './validate.js';

export * from './section.js';
export { parseLinkerdVersion, linkerdReleaseOf, capabilitiesOf, defaultClusterNetworks, EDGE_OF_RELEASE, NEWEST_KNOWN_MINOR, VERSION_PATTERN, type LinkerdVersion, type LinkerdCapabilities, type LinkerdChannel } from './version.js';
// identity.js, not certs.js: the generator (and @peculiar/x509) loads on the first generating call.
export { ensureLinkerdCertificates, generateTrustAnchor, issueIssuer, keyMatchesCert, fingerprintOf, CERT_FILES, TRUST_ANCHOR_CN, ISSUER_CN } from './identity.js';
export type { EnsureResult, PemPair, CertificateOptions } from './certs.js';
export { linkPairs, clusterNetworksFor, mirrorServiceName, helmList } from './mesh.js';
export { linkerdSteps, linkerdStepIds, EXPORT_LABEL, GATEWAY_SERVICE, MULTICLUSTER_NAMESPACE, LINKERD_NAMESPACE, VIZ_NAMESPACE, REMOTE_ACCESS_SERVICE_ACCOUNT, REMOTE_ACCESS_TOKEN_SECRET } from './steps.js';
export { apiServerAddressOf, type ApiServerAddress } from './api-server-address.js';
export { linkerdFacts, type LinkerdFacts, type LinkerdStepIds } from './facts.js';
export { validateLinkerd } from './validate.js';
export { linkerdStatus } from './status.js';
export { linkerdRotate, meshedWorkloads, ANCHOR_PHASES, NEXT_ANCHOR, PREVIOUS_ANCHOR, RotationRefused } from './rotate/rotate.js';
export { ISSUER_SECRET, TRUST_ROOTS_CONFIGMAP, TRUST_ROOTS_KEY, RESTARTED_AT, issuerCertOf } from './rotate/objects.js';
export { ROTATION_FILE, readProgress } from './rotate/progress.js';

const LINKERD_TOOL: ToolRequirement = {
  command: 'linkerd',
  versionArgs: ['version', '--client', '--short'],
  parseVersion: (output) => /(stable|edge|enterprise)-[0-9.]+/.exec(output)?.[0],
  why: 'renders the Linkerd control plane, viz and multicluster manifests and the links between clusters',
};

/** Linkerd on every cluster with one shared identity, multicluster links and exported services. */
export const linkerdPlugin = definePlugin<LinkerdSection, LinkerdFacts>({
  name: 'linkerd',
  // kind: cluster steps, subnets and API addresses; metallb: the pools the gateway waits for. Both optional.
  optionalDependsOn: ['kind', 'metallb'],
  facts: linkerdFacts,
  schema: linkerdSectionSchema,
  clusterSchema: { apiServerUrl: apiServerAddressSchema },
  validate: validateLinkerd,
  steps: linkerdSteps,
  status: linkerdStatus,
  rotate: linkerdRotate,
  async summary(_topology, section, ctx) {
    if (section === undefined || !(await ctx.secrets.has(CERT_FILES.caKey))) return [];
    return [
      ...(await issuerRenewalWarning(section, ctx)),`Linkerd trust anchor: ${ctx.secrets.path(CERT_FILES.caCert)} — back up ${CERT_FILES.caKey}: losing it means re-keying every cluster of the mesh`];
  },
  tools: [LINKERD_TOOL],
  toolsFor: (_topology, section) => (section === undefined ? [] : [{ ...LINKERD_TOOL, command: section.cliPath ?? LINKERD_TOOL.command }]),
});

export default linkerdPlugin;
export { PLUGIN_LINKERD_PINS, LINKERD_PIN, GATEWAY_API_PIN, GATEWAY_API_SUPPORT, gatewayApiStandardUrl, type Pin } from './pins.js';
export { KUBERNETES_SUPPORT, kubernetesRangeOf, linkerdLinesSupporting, type KubernetesRange } from './kubernetes-support.js';
export { gatewayApiStep, gatewayApiStepId, gatewayApiSource, gatewayApiCrdsOf, GATEWAY_API_GROUP, type GatewayApiSource } from './gateway-api.js';
