import { metallbPlugin } from './plugin.js';

export { metallbPlugin };
export default metallbPlugin;
export {
  DEFAULT_CHART_VERSION,
  CHART,
  POOL_NAME,
  withDefaults,
  metallbSectionSchema,
  type MetallbSection,
  type ResolvedMetallbSection,
} from './schema.js';
export { planPools, parsePool, poolArea, automaticClusters, suggestFreeRange, type ClusterPool } from './pools.js';
export { renderPoolObjects } from './render.js';
export { validateMetallb } from './validate.js';
export { metallbSteps, installStepId, poolsStepId, hasReadyAddress } from './steps.js';
export { metallbFacts, type MetallbFacts } from './facts.js';
export { applyWithWebhookRetry, isWebhookError, WEBHOOK_RETRY } from './retry.js';
export { PLUGIN_METALLB_PINS, METALLB_SEED_PIN, METALLB_CURRENT_PIN } from './pins.js';
