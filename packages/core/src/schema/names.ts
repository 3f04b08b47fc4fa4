// Schema fragments for values that become Kubernetes object names, kube contexts or command arguments.
// Checked against the real rules (and lengths) in the schema, so a bad name is a positioned error at
// validate, not a helm/kubectl failure halfway through apply. Plugins spread them into their properties:
//   namespace: { ...K8S_NAMESPACE, description: 'Namespace of the service.' }
// They keep their literal types (`type: 'string'`), so `FromSchema` of a section that spreads them sees a string.
import type { JsonSchema } from '../plugin/types.js';

/** A namespace: DNS-1123 label, at most 63 characters. */
export const K8S_NAMESPACE = { type: 'string', format: 'dns-label' } as const satisfies JsonSchema;
/** A Service name: DNS-1035 label (starts with a letter), at most 63 characters. */
export const K8S_SERVICE_NAME = { type: 'string', format: 'dns-1035-label' } as const satisfies JsonSchema;
/** Other object names (Deployments, ConfigMaps, ...): DNS-1123 subdomain, at most 253 characters. */
export const K8S_OBJECT_NAME = { type: 'string', format: 'dns-subdomain' } as const satisfies JsonSchema;
/** A kube context passed as `--context`/`--kube-context`: printable, no leading '-'. */
export const KUBE_CONTEXT = { type: 'string', format: 'kube-context' } as const satisfies JsonSchema;
