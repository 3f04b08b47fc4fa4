// Schema fragments for values that become Kubernetes object names, kube contexts or command arguments.
// Checked against the real rules (and lengths) in the schema, so a bad name is a positioned error at
// validate, not a helm/kubectl failure halfway through apply. Plugins spread them into their properties:
//   namespace: { ...K8S_NAMESPACE, description: 'Namespace of the service.' }
import type { JsonSchema } from '../plugin/types.js';

/** A namespace: DNS-1123 label, at most 63 characters. */
export const K8S_NAMESPACE: JsonSchema = { type: 'string', format: 'dns-label' };
/** A Service name: DNS-1035 label (starts with a letter), at most 63 characters. */
export const K8S_SERVICE_NAME: JsonSchema = { type: 'string', format: 'dns-1035-label' };
/** Other object names (Deployments, ConfigMaps, ...): DNS-1123 subdomain, at most 253 characters. */
export const K8S_OBJECT_NAME: JsonSchema = { type: 'string', format: 'dns-subdomain' };
/** A kube context passed as `--context`/`--kube-context`: printable, no leading '-'. */
export const KUBE_CONTEXT: JsonSchema = { type: 'string', format: 'kube-context' };
