// The kinds of step this plugin makes, for docs/plugins.md (generated) and PluginTester's check that
// every step it makes is documented.
import type { StepDoc } from '@meshspec/core/plugin';

export const STEP_DOCS: readonly StepDoc[] = [
  {
    id: 'ingress:controller@<c>',
    does: 'Installs the ingress controller chart (Envoy Gateway, or the retired ingress-nginx), meshed.',
    outputs: '`{ release, chartVersion }`',
  },
  { id: 'ingress:gateway@<c>', does: 'Applies the GatewayClass and Gateway the routes attach to (Envoy Gateway only).' },
  {
    id: 'ingress:route:<ns>/<svc>@<c>',
    does: 'Routes a per-cluster host name to the service: an HTTPRoute (Envoy Gateway) or an Ingress.',
    outputs: '`{ host, url }`',
  },
];
