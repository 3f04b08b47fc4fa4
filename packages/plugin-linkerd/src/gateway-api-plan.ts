// Whether meshspec applies the Gateway API CRDs itself, and from where.
import { gatewayApiSource, type GatewayApiSource } from './gateway-api.js';
import type { ResolvedLinkerdSection } from './section.js';
import type { LinkerdCapabilities } from './version.js';

/**
 * Before 2.18 `linkerd install --crds` installs the Gateway API CRDs itself (a separate step would fight
 * it over ownership); from 2.18 meshspec applies them unless told not to (gatewayApi.install: false) or
 * told to let Linkerd bundle its experimental ones (installGatewayApi: true).
 */
export function gatewayApiPlan(section: ResolvedLinkerdSection, caps: LinkerdCapabilities, topologyDir: string): GatewayApiSource | undefined {
  if (caps.installsGatewayApiCrds || !section.gatewayApi.install || section.installGatewayApi) return undefined;
  return gatewayApiSource(section.gatewayApi, topologyDir);
}
