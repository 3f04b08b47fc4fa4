import { kwokPlugin } from './plugin.js';

export { kwokPlugin };
export default kwokPlugin;
export {
  KWOK_SECTION_KEY,
  DEFAULT_KUBERNETES_VERSION,
  DEFAULT_LOAD_BALANCER_RANGE,
  DEFAULT_LOAD_BALANCER_POOL_SIZE,
  DEFAULT_NODES,
  withDefaults,
  kwokSectionSchema,
  kwokClusterSchema,
  type KwokSection,
  type ResolvedKwokSection,
  type KwokClusterSpec,
} from './schema.js';
export { kwokFacts, kwokProvidedClusters, type KwokFacts } from './facts.js';
export { resolveKwok, kwokContext, loadBalancerPools } from './resolve.js';
export { validateKwok } from './validate.js';
export {
  renderKwokctlConfig,
  renderKwokctlConfigYaml,
  renderSimulatedNodes,
  kwokctlCreateArgs,
  advertiseAddress,
  clusterDir,
  BIND_ADDRESS,
  SIMULATED_LABEL,
  type LoadBalancerController,
} from './render.js';
export { kwokSteps, clusterStepId, configPath, kwokWorkdir, installedController } from './steps.js';
export { assignAddresses, addressesOf, SIMULATED_LB_LABEL, type ServiceView } from './lb-addresses.js';
