export * from './errors.js';
export { parseDuration, durationMs } from './duration.js';
export * from './plugin/types.js';
export { definePlugin, isPlugin, stepId } from './plugin/define.js';
export type { Logger } from './log/types.js';
export type { CommandRunner, RunOptions, RunResult } from './exec/types.js';
export type { KubeClient, KubeClientFactory, KubeObject, ApplyOptions, ApplyResult, WaitOptions } from './kube/types.js';
export type { SecretStore } from './state/types.js';
export type { HelmDriver, HelmRelease } from './tools/helm-types.js';
export * from './net/index.js';
export { buildPlan, selectSteps, ancestorsOf, type Plan, type PlannedStep, type BuildPlanOptions } from './engine/dag.js';
export { collectSteps, type CollectedSteps } from './engine/collect-steps.js';
export { criticalPath, estimateMs, DEFAULT_ESTIMATE_SECONDS, type CriticalPath } from './engine/critical-path.js';
export {
  ReadyQueue,
  simulateSchedule,
  schedulePriorities,
  resourceOf,
  type SchedulingOrder,
  type SimulatedRun,
  type SimulateOptions,
} from './engine/scheduler.js';
export {
  defaultResourceLimits,
  resolveResourceLimits,
  parseResourceLimits,
  checkLimit,
  limitOf,
  machineInfo,
  OTHER_RESOURCE,
  type ResourceLimits,
  type MachineInfo,
} from './engine/resource-limits.js';
export {
  runPlan,
  formatSummary,
  isUpToDate,
  RunCancelledError,
  type RunPlanOptions,
  type RunSummary,
  type FailedStep,
  type SkippedStep,
  type RunMode,
} from './engine/runner.js';
export type { RendererChoice, RunEvent, OutputStream } from './engine/view.js';
export {
  StateStore,
  defaultStateDir,
  fingerprint,
  stableStringify,
  type StateFile,
  type StepRecord,
  type ApplyRecord,
} from './state/state-store.js';
export { FileSecretStore, createSecretStore, tightenSecrets } from './state/secret-store.js';
export { runningCommands } from './state/leftovers.js';
export { acquireLock, type Lock, type LockHolder, type AcquireLockOptions } from './state/lock.js';
export { createLogger, registerSecret, redact, LOG_FILE, type LoggerOptions, type LogLevel, type MeshspecLogger } from './log/logger.js';
export * from './topology/index.js';
export { composeSchema, findMissingDescriptions, TOPOLOGY_API_VERSION, TOPOLOGY_SCHEMA_ID } from './schema/compose.js';
export { didYouMean, levenshtein } from './schema/did-you-mean.js';
export { applySchemaDefaults, defineSchema, schemaDefaultAt, type FromSchema, type ResolvedFromSchema } from './schema/from-schema.js';
export { K8S_NAMESPACE, K8S_OBJECT_NAME, K8S_SERVICE_NAME, KUBE_CONTEXT } from './schema/names.js';
export { orderPlugins } from './plugin/registry.js';
export { factsOf, factsAccess, type FactsConsumer } from './plugin/facts.js';
export { defineConfig } from './config/define-config.js';
export {
  clusterDirectory,
  providerConflicts,
  type ApiServerReach,
  type ClusterDirectory,
  type ClusterInfo,
  type ClusterProviderPlugin,
  type ProvidedCluster,
} from './plugin/clusters.js';
export {
  loadConfig,
  loadConfiguredPlugins,
  CONFIG_SEARCH_PLACES,
  type MeshspecConfig,
  type LoadedConfig,
  type PluginReference,
} from './config/load-config.js';
export { Session, contextOf, type SessionOptions, type RunOptions as SessionRunOptions } from './app/session.js';
export { createCommandRunner, findOnPath, formatCommand, type CommandRunnerOptions } from './exec/execa-runner.js';
export { createKubeClientFactory, type KubeClientFactoryOptions } from './kube/client.js';
export { parseManifestText } from './kube/manifests.js';
export { createHelmDriver, type HelmDriverOptions } from './tools/helm.js';
export { appliedObjectHooks } from './plugin/object-hooks.js';
export { applyPlanLine } from './plugin/plan-lines.js';
export {
  binomialAcceptance,
  judgeSplit,
  formatSplitTable,
  SPLIT_CONFIDENCE,
  type WeightedBackend,
  type BackendVerdict,
  type SplitVerdict,
} from './verify/shares.js';
export type { VerifyCheck, VerifyContext, VerifyOptions, PodReader, PodReaderFactory } from './verify/types.js';
export { DEFAULT_VERIFY_REQUESTS, DEFAULT_VERIFY_TIMEOUT_MS } from './verify/types.js';
export { createPodReaderFactory } from './verify/pod-reader.js';
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
