// The kinds of step this plugin makes, for docs/plugins.md (generated) and PluginTester's check that
// every step it makes is documented.
import type { StepDoc } from '@meshspec/core/plugin';

export const STEP_DOCS: readonly StepDoc[] = [
  {
    id: 'kwok:cluster@<c>',
    does: 'Creates the simulated cluster with `kwokctl create cluster --runtime binary` (real etcd, kube-apiserver, controller-manager, scheduler; simulated nodes and pods, the simulated load-balancer controller as a component) and waits for its nodes; destroy runs `kwokctl delete cluster`.',
    outputs: '`{ context, apiServerUrl }` (`https://127.0.0.1:<port>`)',
  },
];
