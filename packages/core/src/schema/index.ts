export {
  composeSchema,
  findMissingDescriptions,
  CORE_CLUSTER_KEYS,
  CORE_TOPOLOGY_KEYS,
  TOPOLOGY_API_VERSION,
  TOPOLOGY_SCHEMA_ID,
} from './compose.js';
export { didYouMean, levenshtein } from './did-you-mean.js';
export { FORMATS, FORMAT_DESCRIPTIONS } from './formats.js';
