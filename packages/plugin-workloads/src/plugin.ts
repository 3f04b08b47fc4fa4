import { definePlugin } from '@meshspec/core/plugin';
import { workloadsSchema, type WorkloadsSection } from './schema.js';
import { workloadsSteps } from './steps.js';
import { validateWorkloads } from './validate.js';
import { workloadsFacts, type WorkloadsFacts } from './facts.js';
import { STEP_DOCS } from './step-docs.js';

/** Demo app and user manifests per cluster. */
export const workloadsPlugin = definePlugin<WorkloadsSection, WorkloadsFacts>({
  name: 'workloads',
  // linkerd: its control plane first, its exports after what we deploy. Cluster steps: ctx.clusters.
  optionalDependsOn: ['linkerd'],
  facts: workloadsFacts,
  schema: workloadsSchema,
  validate: validateWorkloads,
  stepDocs: STEP_DOCS,
  steps: workloadsSteps,
  tools: [
    { command: 'kubectl', versionArgs: ['version', '--client'], why: 'renders kustomize directories (workloads.manifests[].kustomize)' },
  ],
  // Only kustomize entries run kubectl; the demo and plain manifests are applied through the API.
  toolsFor(_topology, section) {
    return section?.manifests?.some((entry) => entry.kustomize !== undefined) ? (this.tools ?? []) : [];
  },
});
