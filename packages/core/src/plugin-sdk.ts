// `@meshspec/core/plugin`: everything a plugin author needs, and nothing of the engine that runs plugins
// (plans, runner, state, sessions, drivers). Plugins import from here; the CLI imports `@meshspec/core`.
// plugin-sdk.test.ts keeps engine internals out of this entry.

// Declaring a plugin and its steps.
export { definePlugin, isPlugin, stepId } from './plugin/define.js';
export { contextOf } from './plugin/context-of.js';
// The cluster-provider contract: what a plugin that creates clusters publishes, and how others read it (ctx.clusters).
export type { ApiServerReach, ClusterDirectory, ClusterInfo, ClusterProviderPlugin, ProvidedCluster } from './plugin/clusters.js';
export { applyPlanLine } from './plugin/plan-lines.js';
export { appliedObjectHooks } from './plugin/object-hooks.js';
export type {
  ClusterSpec,
  DoctorCheck,
  DoctorContext,
  FactsAccess,
  JsonSchema,
  Pin,
  PlannedAddress,
  Plugin,
  PluginDefinition,
  StatusLine,
  Step,
  StepContext,
  StepDoc,
  StepOutputs,
  StepsContext,
  ToolRequirement,
  Topology,
  TopologySource,
  ValidateContext,
} from './plugin/types.js';

// Config files: `export default defineConfig({ plugins: [...] })`.
export { defineConfig } from './config/define-config.js';
export type { MeshspecConfig, PluginReference } from './config/load-config.js';

// Problems: diagnostics for validate, errors a step throws.
export { asWarning, isWarning, MeshspecError, StepError, CommandError, KubeError, PluginError, type Diagnostic } from './errors.js';
export { didYouMean, levenshtein } from './schema/did-you-mean.js';
export { K8S_NAMESPACE, K8S_OBJECT_NAME, K8S_SERVICE_NAME, KUBE_CONTEXT } from './schema/names.js';
// One source per section: the schema; its TypeScript types and defaults are derived from it.
export { applySchemaDefaults, defineSchema, schemaDefaultAt, type FromSchema, type ResolvedFromSchema } from './schema/from-schema.js';

// What a step talks through (StepContext members) and what it may hand them.
export type { Logger } from './log/types.js';
export type { CommandRunner, RunOptions, RunResult } from './exec/types.js';
export type { KubeClient, KubeObject, ApplyOptions, ApplyResult, WaitOptions } from './kube/types.js';
export type { SecretStore } from './state/types.js';
export type { HelmDriver, HelmRelease } from './tools/helm-types.js';
export { parseManifestText } from './kube/manifests.js';
export { registerSecret, redact } from './log/logger.js';
export { parseDuration, durationMs } from './duration.js';

// Addresses: IPv4 CIDRs and ranges, allocation of disjoint subnets.
export * from './net/index.js';

// `meshspec verify` checks: real traffic through a client pod, split shares judged statistically.
export type { VerifyCheck, VerifyContext, VerifyOptions, PodReader } from './verify/types.js';
export { DEFAULT_VERIFY_REQUESTS, DEFAULT_VERIFY_TIMEOUT_MS } from './verify/types.js';
export {
  binomialAcceptance,
  judgeSplit,
  formatSplitTable,
  SPLIT_CONFIDENCE,
  type WeightedBackend,
  type BackendVerdict,
  type SplitVerdict,
} from './verify/shares.js';
export {
  withClientPod,
  renderClientPod,
  parseClientLog,
  clientScript,
  CLIENT_IMAGE,
  type ClientPodSpec,
  type ClientPodResult,
  type ClientPodDeps,
} from './verify/client-pod.js';
