import { definePlugin } from '@meshspec/core/plugin';
import { linkerdPlugin } from '@meshspec/plugin-linkerd';
import { smiSchema, type SmiSection } from './schema.js';
import { splitApiOf } from './split-api.js';
import { smiSteps } from './steps.js';
import { validateSmi } from './validate.js';
import { verifySplits } from './verify/verify.js';
import { STEP_DOCS } from './step-docs.js';

/** Cross-cluster traffic splits: SMI TrafficSplit before Linkerd 2.18, Gateway API HTTPRoute from 2.18. */
export const smiPlugin = definePlugin<SmiSection>({
  name: 'smi',
  dependsOn: ['linkerd'],
  // workloads: the demo app a split waits for (optional). Cluster steps: ctx.clusters.
  optionalDependsOn: ['workloads'],
  schema: smiSchema,
  validate: validateSmi,
  stepDocs: STEP_DOCS,
  steps: smiSteps,
  verify: verifySplits,
  tools: [
    {
      command: 'linkerd-smi',
      versionArgs: ['version'],
      parseVersion: (out) => /v?\d+\.\d+\.\d+/.exec(out)?.[0],
      why: 'renders the linkerd-smi extension (TrafficSplit mode, Linkerd before 2.18)',
    },
  ],
  // HTTPRoute mode (Linkerd 2.18+) applies objects only; no CLI runs.
  toolsFor(_topology, section, ctx) {
    return section !== undefined && splitApiOf(ctx.facts(linkerdPlugin)) === 'trafficsplit' ? (this.tools ?? []) : [];
  },
});
