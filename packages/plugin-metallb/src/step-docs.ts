// The kinds of step this plugin makes, for docs/plugins.md (generated) and PluginTester's check that
// every step it makes is documented.
import type { StepDoc } from '@meshspec/core/plugin';

export const STEP_DOCS: readonly StepDoc[] = [
  { id: 'metallb:install@<c>', does: 'Installs the MetalLB chart and waits for its controller and speakers.' },
  {
    id: 'metallb:pools@<c>',
    does: "Applies the cluster's IPAddressPool and L2Advertisement (its range disjoint from every other cluster's).",
    outputs: '`{ range }`',
  },
];
