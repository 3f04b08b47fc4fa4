import { kindPlugin } from './plugin.js';

export { kindPlugin };
export default kindPlugin;
export {
  KIND_SECTION_KEY,
  DEFAULT_NODE_IMAGE,
  withDefaults,
  kindSectionSchema,
  kindClusterSchema,
  type KindSection,
  type ResolvedKindSection,
  type KindClusterSpec,
} from './schema.js';
export { kindFacts, kindProvidedClusters, type KindFacts } from './facts.js';
export { nodeImagesOf, type ClusterNodeImage } from './node-images.js';
export {
  NODE_IMAGE_PINS,
  KIND_DEFAULT_NODE_IMAGE,
  kubernetesVersionOfNodeImage,
  pinnedNodeImageWithin,
  type NodeImagePin,
} from './pins.js';
export { resolveKind, kindContext } from './resolve.js';
export { validateKind } from './validate.js';
export { renderKindConfig, renderKindConfigYaml, type KindClusterConfig, type KindNode } from './render.js';
export { kindSteps, NETWORK_STEP, clusterStepId, configPath, kindCreateArgs, controlPlaneIpArgs, shellLine } from './steps.js';
export { networkCreateArgs, networkInspectArgs, parseIpamConfig, type DockerNetworkInfo } from './docker-network.js';
export { checkInotifyLimits, kindDoctor, kindTools, kubectlForKindClusters, INOTIFY_RECOMMENDED, INOTIFY_FIX } from './doctor.js';
