import { definePlugin } from '@meshspec/core/plugin';
import { kwokFacts, kwokProvidedClusters, type KwokFacts } from './facts.js';
import { resolveKwok } from './resolve.js';
import { KWOK_SECTION_KEY, kwokClusterSchema, kwokSectionSchema, type KwokSection } from './schema.js';
import { STEP_DOCS } from './step-docs.js';
import { kwokSteps } from './steps.js';
import { validateKwok } from './validate.js';

/** Creates one simulated cluster per topology cluster with kwokctl: real control planes, simulated nodes and pods. */
export const kwokPlugin = definePlugin<KwokSection, KwokFacts>({
  name: 'kwok',
  key: KWOK_SECTION_KEY,
  schema: kwokSectionSchema,
  clusterSchema: kwokClusterSchema,
  resolve: resolveKwok,
  validate: validateKwok,
  stepDocs: STEP_DOCS,
  steps: (topology, section) => kwokSteps(topology, section),
  facts: kwokFacts,
  providesClusters: kwokProvidedClusters,
  tools: [
    {
      command: 'kwokctl',
      versionArgs: ['--version'],
      parseVersion: (out) => /\bv\d+\.\d+\.\d+\S*/.exec(out)?.[0],
      why: 'creates and deletes the simulated clusters (binary runtime)',
    },
  ],
  addresses: (topology, section) => {
    const facts = kwokFacts(topology, section);
    return facts.clusters.flatMap((cluster) => {
      const spec = topology.clusters[cluster]!;
      return [
        { cluster, what: 'pods', ...(spec.podSubnet ? { range: spec.podSubnet } : { note: 'no free /16 left' }) },
        { cluster, what: 'services', ...(spec.serviceSubnet ? { range: spec.serviceSubnet } : { note: 'no free /16 left' }) },
        {
          cluster,
          what: 'load balancers (simulated)',
          ...(facts.loadBalancerPools[cluster] ? { range: facts.loadBalancerPools[cluster] } : { note: 'loadBalancerRange too small' }),
        },
      ];
    });
  },
});
