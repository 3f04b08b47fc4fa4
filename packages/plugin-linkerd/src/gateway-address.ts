// Where a cluster's Linkerd gateway can be reached from other clusters, and where a Link says it is:
// read by `status` (mirrors' endpoints) and by the link step's verify (re-link after the address moved).
import type { KubeObject } from '@meshspec/core/plugin';

/** The first LoadBalancer ingress address of a Service (ip, else hostname); undefined while pending. */
export function loadBalancerAddress(svc: KubeObject | undefined): string | undefined {
  const ingress = (svc?.['status'] as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined)?.loadBalancer
    ?.ingress?.[0];
  return ingress?.ip ?? ingress?.hostname;
}

/** The gateway addresses a Link records (`spec.gatewayAddress`, comma-separated when the gateway has several). */
export function linkGatewayAddresses(link: KubeObject | undefined): string[] {
  const value = (link?.['spec'] as { gatewayAddress?: unknown } | undefined)?.gatewayAddress;
  return typeof value === 'string'
    ? value
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean)
    : [];
}
