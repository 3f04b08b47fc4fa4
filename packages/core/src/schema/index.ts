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
export { applySchemaDefaults, defineSchema, schemaDefaultAt, type FromSchema, type ResolvedFromSchema } from './from-schema.js';
export { K8S_NAMESPACE, K8S_OBJECT_NAME, K8S_SERVICE_NAME, KUBE_CONTEXT } from './names.js';
