import { definePlugin } from '@meshspec/core/plugin';
import { ingressSchema, type IngressSection } from './schema.js';
import { ingressSteps, ingressSummary } from './steps.js';
import { validateIngress } from './validate.js';
import { verifyIngress } from './verify.js';
import { STEP_DOCS } from './step-docs.js';

/** A meshed ingress per cluster (Envoy Gateway with HTTPRoutes, or the retired ingress-nginx with Ingresses) with per-cluster host names. */
export const ingressPlugin = definePlugin<IngressSection>({
  name: 'ingress',
  schema: ingressSchema,
  // linkerd: control plane and Gateway API CRDs; metallb: addresses; workloads: the services routed to.
  // All optional: ingress orders itself after them when they are loaded. Cluster steps: ctx.clusters.
  optionalDependsOn: ['linkerd', 'metallb', 'workloads'],
  validate: validateIngress,
  stepDocs: STEP_DOCS,
  steps: ingressSteps,
  summary: ingressSummary,
  verify: (topology, section, ctx) => verifyIngress(topology, section, ctx),
  tools: [
    {
      command: 'helm',
      versionArgs: ['version', '--short'],
      parseVersion: (out) => /v\d+\.\d+\.\d+/.exec(out)?.[0],
      why: 'installs the ingress-nginx chart',
    },
  ],
});
