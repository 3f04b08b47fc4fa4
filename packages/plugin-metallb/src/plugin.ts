import { definePlugin } from '@meshspec/core/plugin';
import { kindPlugin } from '@meshspec/plugin-kind';
import { metallbSectionSchema, type MetallbSection } from './schema.js';
import { metallbAddresses } from './addresses.js';
import { metallbPreflight } from './preflight.js';
import { metallbFacts, type MetallbFacts } from './facts.js';
import { metallbSteps } from './steps.js';
import { validateMetallb } from './validate.js';
import { STEP_DOCS } from './step-docs.js';

/** MetalLB per cluster: LoadBalancer addresses on the docker network, one disjoint pool per cluster. */
export const metallbPlugin = definePlugin<MetallbSection, MetallbFacts>({
  name: 'metallb',
  // Automatic pools are carved from kind's docker network; explicit pools (or dockerSubnet) work without kind.
  optionalDependsOn: ['kind'],
  schema: metallbSectionSchema,
  facts: metallbFacts,
  validate: (topology, section, ctx) => validateMetallb(topology, section, ctx, ctx.facts(kindPlugin)),
  stepDocs: STEP_DOCS,
  steps: (topology, section, ctx) => metallbSteps(topology, section, ctx.contextOf, ctx.facts(kindPlugin), ctx.clusters),
  addresses: (topology, section, known) => metallbAddresses(topology, section, known, known.facts(kindPlugin)),
  preflight: (topology, section, ctx) => metallbPreflight(topology, section, ctx.exec, ctx.facts(kindPlugin)),
  tools: [
    {
      command: 'helm',
      versionArgs: ['version', '--short'],
      parseVersion: (out) => /v\d+\.\d+\.\d+\S*/.exec(out)?.[0],
      why: 'installs the MetalLB chart',
    },
  ],
});
