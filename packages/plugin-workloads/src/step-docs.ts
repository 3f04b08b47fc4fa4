// The kinds of step this plugin makes, for docs/plugins.md (generated) and PluginTester's check that
// every step it makes is documented.
import type { StepDoc } from '@meshspec/core/plugin';

export const STEP_DOCS: readonly StepDoc[] = [
  {
    id: 'workloads:demo@<c>',
    does: 'Deploys the demo app (podinfo and a frontend) in its namespace, meshed when Linkerd is used.',
    outputs: '`{ namespace, services }`',
  },
  {
    id: 'workloads:manifests:<name>@<c>',
    does: 'Applies the files (or kustomize output) of the `manifests` entry `<name>`.',
    outputs: '`{ objects }` (the applied objects)',
  },
];
