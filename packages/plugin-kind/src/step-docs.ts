// The kinds of step this plugin makes, for docs/plugins.md (generated) and PluginTester's check that
// every step it makes is documented.
import type { StepDoc } from '@meshspec/core/plugin';

export const STEP_DOCS: readonly StepDoc[] = [
  { id: 'kind:network', does: 'Ensures the docker network the clusters join and reads its IPv4 subnet.', outputs: '`{ subnet, gateway }`' },
  {
    id: 'kind:registry-mirror',
    does: 'Starts (or reuses) one pull-through registry cache per upstream on the docker network, shared by every cluster, so each image is pulled from the internet once; destroy removes only the caches meshspec created.',
    outputs: '`{ created }` (the caches meshspec started)',
  },
  {
    id: 'kind:cluster@<c>',
    does: 'Creates the kind cluster (its config rendered from the topology) and finds its control plane on the docker network.',
    outputs: '`{ context, apiServerUrl }` (control plane on the docker network)',
  },
];
