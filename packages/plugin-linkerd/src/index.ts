import { definePlugin } from '@meshspec/core';
import { CERT_FILES } from './identity.js';
import { linkerdSectionSchema, type LinkerdSection } from './section.js';
import { linkerdStatus } from './status.js';
import { linkerdRotate } from './rotate/rotate.js';
import { issuerRenewalWarning } from './rotate/renewal-warning.js';
import { linkerdSteps } from './steps.js';
import { validateLinkerd } from './validate.js';

export * from './section.js';
export { parseLinkerdVersion, capabilitiesOf, defaultClusterNetworks, EDGE_OF_RELEASE, VERSION_PATTERN, type LinkerdVersion, type LinkerdCapabilities, type LinkerdChannel } from './version.js';
// identity.js, not certs.js: the generator (and @peculiar/x509) loads on the first generating call.
export { ensureLinkerdCertificates, generateTrustAnchor, issueIssuer, keyMatchesCert, fingerprintOf, CERT_FILES, TRUST_ANCHOR_CN, ISSUER_CN } from './identity.js';
export type { EnsureResult, PemPair, CertificateOptions } from './certs.js';
export { linkPairs, clusterNetworksFor, mirrorServiceName, helmList } from './mesh.js';
export { linkerdSteps, linkerdStepIds, EXPORT_LABEL, GATEWAY_SERVICE, MULTICLUSTER_NAMESPACE, LINKERD_NAMESPACE } from './steps.js';
export { validateLinkerd } from './validate.js';
export { linkerdStatus } from './status.js';
export { linkerdRotate, meshedWorkloads, ANCHOR_PHASES, NEXT_ANCHOR, PREVIOUS_ANCHOR, RotationRefused } from './rotate/rotate.js';
export { ISSUER_SECRET, TRUST_ROOTS_CONFIGMAP, TRUST_ROOTS_KEY, RESTARTED_AT, issuerCertOf } from './rotate/objects.js';
export { ROTATION_FILE, readProgress } from './rotate/progress.js';

/** Linkerd on every cluster with one shared identity, multicluster links and exported services. */
export const linkerdPlugin = definePlugin<LinkerdSection>({
  name: 'linkerd',
  schema: linkerdSectionSchema,
  validate: validateLinkerd,
  steps: linkerdSteps,
  status: linkerdStatus,
  rotate: linkerdRotate,
  async summary(_topology, section, ctx) {
    if (section === undefined || !(await ctx.secrets.has(CERT_FILES.caKey))) return [];
    return [
      ...(await issuerRenewalWarning(section, ctx)),`Linkerd trust anchor: ${ctx.secrets.path(CERT_FILES.caCert)} — back up ${CERT_FILES.caKey}: losing it means re-keying every cluster of the mesh`];
  },
  tools: [
    {
      command: 'linkerd',
      versionArgs: ['version', '--client', '--short'],
      parseVersion: (output) => /(stable|edge|enterprise)-[0-9.]+/.exec(output)?.[0],
      why: 'renders the Linkerd control plane, viz and multicluster manifests and the links between clusters',
    },
  ],
});

export default linkerdPlugin;
