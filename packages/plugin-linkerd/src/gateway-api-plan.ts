// Whether meshspec applies the Gateway API CRDs itself, from where, and whether the Linkerd release
// supports the version asked for.
import { asWarning, type Diagnostic, type ValidateContext } from '@meshspec/core/plugin';
import { gatewayApiSource, type GatewayApiSource } from './gateway-api.js';
import { GATEWAY_API_SUPPORT } from './pins.js';
import { withDefaults, type LinkerdSection, type ResolvedLinkerdSection } from './schema.js';
import { capabilitiesOf, type LinkerdCapabilities, type LinkerdVersion } from './version.js';

/**
 * Before 2.18 `linkerd install --crds` installs the Gateway API CRDs itself (a separate step would fight
 * it over ownership); from 2.18 meshspec applies them unless told not to (gatewayApi.install: false) or
 * told to let Linkerd bundle its experimental ones (installGatewayApi: true).
 */
export function gatewayApiPlan(
  section: ResolvedLinkerdSection,
  caps: LinkerdCapabilities,
  topologyDir: string,
): GatewayApiSource | undefined {
  if (caps.installsGatewayApiCrds || !section.gatewayApi.install || section.installGatewayApi) return undefined;
  return gatewayApiSource(section.gatewayApi, topologyDir);
}

const semver = (v: string) => v.replace(/^v/, '').split('.').map(Number);
const compare = (a: string, b: string) => {
  const [x, y] = [semver(a), semver(b)];
  return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
};

export function gatewayApiProblems(raw: LinkerdSection, version: LinkerdVersion, ctx: ValidateContext): Diagnostic[] {
  const caps = capabilitiesOf(version);
  if (caps.installsGatewayApiCrds) return [];
  const section = withDefaults(raw);
  if (section.installGatewayApi) {
    if (!section.gatewayApi.install) return [];
    return [
      asWarning(
        ctx.diagnostic(
          ['linkerd', 'installGatewayApi'],
          `installGatewayApi: true has linkerd install --crds bundle its experimental-channel Gateway API CRDs; meshspec then skips the standard-channel ${section.gatewayApi.version} step (gatewayApi)`,
          'remove installGatewayApi to get the pinned standard channel, or set gatewayApi.install: false to say the bundled CRDs are meant',
        ),
      ),
    ];
  }
  if (!section.gatewayApi.install) return [];
  const support = GATEWAY_API_SUPPORT.find((s) => version.minor >= s.linkerd[0] && version.minor <= s.linkerd[1]);
  const asked = section.gatewayApi.version;
  if (!support || (compare(asked, support.min) >= 0 && compare(asked, support.max) <= 0)) return [];
  return [
    ctx.diagnostic(
      ['linkerd', 'gatewayApi', 'version'],
      `Linkerd 2.${version.minor} supports Gateway API ${support.min}-${support.max}, not ${asked}`,
      `use a version in that range, e.g. ${support.min === 'v1.2.1' || support.max === 'v1.2.1' ? 'v1.2.1' : support.max} (https://linkerd.io/2/features/gateway-api)`,
    ),
  ];
}
