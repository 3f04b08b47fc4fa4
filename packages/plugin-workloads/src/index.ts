import { workloadsPlugin } from './plugin.js';

export { workloadsPlugin };
export default workloadsPlugin;
export * from './schema.js';
export { renderDemo, renderNginxConf, PODINFO_PORT, FRONTEND_PORT, type MirrorNaming } from './render-demo.js';
export { loadManifestText, digestEntry, yamlFilesOf } from './manifests.js';
export { demoStep, manifestsStep, workloadsSteps, demoStepId, manifestsStepId } from './steps.js';
export { workloadsFacts, DEMO_SERVICES, type WorkloadsFacts } from './facts.js';
export { validateWorkloads } from './validate.js';
export { PLUGIN_WORKLOADS_PINS, PODINFO_SEED_PIN, PODINFO_CURRENT_PIN, podinfoImage } from './pins.js';
