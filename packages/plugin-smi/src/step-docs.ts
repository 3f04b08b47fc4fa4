// The kinds of step this plugin makes, for docs/plugins.md (generated) and PluginTester's check that
// every step it makes is documented.
import type { StepDoc } from '@meshspec/core/plugin';

export const STEP_DOCS: readonly StepDoc[] = [
  { id: 'smi:install@<c>', does: 'Installs the linkerd-smi extension (TrafficSplit mode: Linkerd before 2.18).', outputs: '`{ version }`' },
  {
    id: 'smi:split:<ns>/<svc>@<c>',
    does: 'Applies the split of `<ns>/<svc>` across the local service and its mirrors: a TrafficSplit, or an HTTPRoute from Linkerd 2.18.',
    outputs: '`{ kind, backends }`',
  },
];
