import { linkerdPlugin } from './plugin.js';

export { linkerdPlugin };
export default linkerdPlugin;
export * from './schema.js';
export {
  parseLinkerdVersion,
  capabilitiesOf,
  defaultClusterNetworks,
  EDGE_OF_RELEASE,
  NEWEST_KNOWN_MINOR,
  VERSION_PATTERN,
  type LinkerdVersion,
  type LinkerdCapabilities,
  type LinkerdChannel,
} from './version.js';
// cert-generation.js and identity.js, not certs.js: the generator (and @peculiar/x509) loads on the first generating call.
export { ensureLinkerdCertificates, generateTrustAnchor, issueIssuer } from './cert-generation.js';
export { keyMatchesCert, fingerprintOf, CERT_FILES, TRUST_ANCHOR_CN, ISSUER_CN } from './identity.js';
export type { EnsureResult, PemPair, CertificateOptions } from './certs.js';
export { linkPairs, clusterNetworksFor, mirrorServiceName, helmList } from './mesh.js';
export {
  linkerdSteps,
  linkerdStepIds,
  EXPORT_LABEL,
  GATEWAY_SERVICE,
  MULTICLUSTER_NAMESPACE,
  LINKERD_NAMESPACE,
  VIZ_NAMESPACE,
  REMOTE_ACCESS_SERVICE_ACCOUNT,
  REMOTE_ACCESS_TOKEN_SECRET,
} from './steps.js';
export { apiServerAddressOf, type ApiServerAddress } from './api-server-address.js';
export { linkerdFacts, type LinkerdFacts, type LinkerdStepIds } from './facts.js';
export { validateLinkerd } from './validate.js';
export { linkerdStatus } from './status.js';
export { linkerdRotate, meshedWorkloads, ANCHOR_PHASES, NEXT_ANCHOR, PREVIOUS_ANCHOR, RotationRefused } from './rotate/rotate.js';
export { ISSUER_SECRET, TRUST_ROOTS_CONFIGMAP, TRUST_ROOTS_KEY, RESTARTED_AT, issuerCertOf } from './rotate/objects.js';
export { ROTATION_FILE, readProgress } from './rotate/progress.js';
export { PLUGIN_LINKERD_PINS, LINKERD_PIN, GATEWAY_API_PIN, GATEWAY_API_SUPPORT, gatewayApiStandardUrl, type Pin } from './pins.js';
export { KUBERNETES_SUPPORT, kubernetesRangeOf, linkerdLinesSupporting, type KubernetesRange } from './kubernetes-support.js';
export {
  gatewayApiStep,
  gatewayApiStepId,
  gatewayApiSource,
  gatewayApiCrdsOf,
  GATEWAY_API_GROUP,
  type GatewayApiSource,
} from './gateway-api.js';
