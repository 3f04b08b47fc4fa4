import { definePlugin, type ToolRequirement } from '@meshspec/core/plugin';
import { CERT_FILES } from './identity.js';
import { apiServerAddressSchema } from './api-server-address.js';
import { linkerdSectionSchema, type LinkerdSection } from './schema.js';
import { linkerdStatus } from './status.js';
import { linkerdRotate } from './rotate/rotate.js';
import { issuerRenewalWarning } from './rotate/renewal-warning.js';
import { linkerdSteps } from './steps.js';
import { linkerdFacts, type LinkerdFacts } from './facts.js';
import { validateLinkerd } from './validate.js';
import { STEP_DOCS } from './step-docs.js';

const LINKERD_TOOL: ToolRequirement = {
  command: 'linkerd',
  versionArgs: ['version', '--client', '--short'],
  parseVersion: (output) => /(stable|edge|enterprise)-[0-9.]+/.exec(output)?.[0],
  why: 'renders the Linkerd control plane, viz and multicluster manifests and the links between clusters',
};

/** Linkerd on every cluster with one shared identity, multicluster links and exported services. */
export const linkerdPlugin = definePlugin<LinkerdSection, LinkerdFacts>({
  name: 'linkerd',
  // kind: node images (the Kubernetes version check); metallb: the pools the gateway waits for. Both
  // optional. Cluster steps, subnets and API addresses come from any provider through ctx.clusters.
  optionalDependsOn: ['kind', 'metallb'],
  facts: linkerdFacts,
  schema: linkerdSectionSchema,
  clusterSchema: { apiServerUrl: apiServerAddressSchema },
  validate: validateLinkerd,
  stepDocs: STEP_DOCS,
  steps: linkerdSteps,
  status: linkerdStatus,
  rotate: linkerdRotate,
  async summary(_topology, section, ctx) {
    if (section === undefined || !(await ctx.secrets.has(CERT_FILES.caKey))) return [];
    return [
      ...(await issuerRenewalWarning(section, ctx)),
      `Linkerd trust anchor: ${ctx.secrets.path(CERT_FILES.caCert)} — back up ${CERT_FILES.caKey}: losing it means re-keying every cluster of the mesh`,
    ];
  },
  tools: [LINKERD_TOOL],
  toolsFor: (_topology, section) => (section === undefined ? [] : [{ ...LINKERD_TOOL, command: section.cliPath ?? LINKERD_TOOL.command }]),
});
