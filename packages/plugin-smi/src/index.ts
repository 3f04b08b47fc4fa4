import { definePlugin } from '@meshspec/core';
import { linkerdPlugin } from '@meshspec/plugin-linkerd';
import { smiSchema, type SmiSection } from './schema.js';
import { smiSteps, splitApiOf } from './steps.js';
import { validateSmi } from './validate.js';
import { verifySplits } from './verify/verify.js';

export * from './schema.js';
export { splitApiFor, needsSmi023, type SplitApi } from './linkerd-version.js';
export { backendsFor, equalWeights, mirrorName, renderHttpRoute, renderTrafficSplit, type Backend, type MeshFacts } from './render.js';
export { installStep, renderSplitFor, smiSteps, splitApiOf, splitStep, SMI_ADAPTOR, SMI_NAMESPACE, type SplitNeighbours } from './steps.js';
export { validateSmi } from './validate.js';
export { verifySplits } from './verify/verify.js';
export { expectedBackends, attributeAnswer, type ExpectedBackend } from './verify/expected.js';
export { tlsEvidence, type TlsEvidence } from './verify/proxy-metrics.js';

/** Cross-cluster traffic splits: SMI TrafficSplit before Linkerd 2.18, Gateway API HTTPRoute from 2.18. */
export const smiPlugin = definePlugin<SmiSection>({
  name: 'smi',
  dependsOn: ['linkerd'],
  // kind: cluster steps; workloads: the demo app a split waits for. Both optional.
  optionalDependsOn: ['kind', 'workloads'],
  schema: smiSchema,
  validate: validateSmi,
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

export default smiPlugin;
