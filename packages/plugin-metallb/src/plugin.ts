import { definePlugin } from '@meshspec/core';
import { metallbSectionSchema, type MetallbSection } from './section.js';
import { metallbAddresses } from './addresses.js';
import { metallbPreflight } from './preflight.js';
import { metallbSteps } from './steps.js';
import { validateMetallb } from './validate.js';

/** MetalLB per cluster: LoadBalancer addresses on the docker network, one disjoint pool per cluster. */
export const metallbPlugin = definePlugin<MetallbSection>({
  name: 'metallb',
  schema: metallbSectionSchema,
  validate: validateMetallb,
  steps: (topology, section, ctx) => metallbSteps(topology, section, ctx.contextOf),
  addresses: metallbAddresses,
  preflight: metallbPreflight,
  tools: [{ command: 'helm', versionArgs: ['version', '--short'], parseVersion: (out) => /v\d+\.\d+\.\d+\S*/.exec(out)?.[0], why: 'installs the MetalLB chart' }],
});
