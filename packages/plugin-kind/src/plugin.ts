import { definePlugin } from '@meshspec/core/plugin';
import { kindDoctor, kindTools } from './doctor.js';
import { kindFacts, kindProvidedClusters, type KindFacts } from './facts.js';
import { resolveKind } from './resolve.js';
import { KIND_SECTION_KEY, kindClusterSchema, kindSectionSchema, type KindSection } from './schema.js';
import { kindSteps } from './steps.js';
import { validateKind } from './validate.js';
import { STEP_DOCS } from './step-docs.js';

/** Creates one kind cluster per topology cluster, on a shared docker network, with disjoint subnets. */
export const kindPlugin = definePlugin<KindSection, KindFacts>({
  name: 'kind',
  key: KIND_SECTION_KEY,
  schema: kindSectionSchema,
  clusterSchema: kindClusterSchema,
  resolve: resolveKind,
  validate: validateKind,
  stepDocs: STEP_DOCS,
  steps: (topology, section) => kindSteps(topology, section),
  facts: kindFacts,
  providesClusters: kindProvidedClusters,
  tools: kindTools,
  addresses: (topology) =>
    Object.entries(topology.clusters).flatMap(([cluster, spec]) => {
      const { podSubnet, serviceSubnet } = spec as { podSubnet?: string; serviceSubnet?: string };
      return [
        { cluster, what: 'pods', ...(podSubnet ? { range: podSubnet } : { note: 'no free /16 left' }) },
        { cluster, what: 'services', ...(serviceSubnet ? { range: serviceSubnet } : { note: 'no free /16 left' }) },
      ];
    }),
  doctor: (ctx) => kindDoctor(ctx),
});
