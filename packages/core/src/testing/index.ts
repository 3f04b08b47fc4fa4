// Test support for plugin authors: `import { RecordingRunner, MemoryKube, createTestStepContext } from '@meshspec/core/testing'`.
export { RecordingRunner, commandLine, type RecordedCall, type Responder } from './recording-runner.js';
export { MemoryKube, parseManifests } from './memory-kube.js';
export { createTestStepContext, type TestStepContext } from './step-context.js';
export { yamlValidateContext } from './validate-context.js';
export { testStepsContext, withEngineFacts } from './steps-context.js';
// The engine pieces plugin tests assert against: validation with positions, the plan, facts without a consumer.
export { validateTopology } from '../topology/validate.js';
export { TopologyError } from '../errors.js';
export { buildPlan } from '../engine/dag.js';
export { factsOf, factsAccess } from '../plugin/facts.js';
export { clusterDirectory } from '../plugin/clusters.js';
export { findMissingDescriptions } from '../schema/compose.js';
export {
  PluginTester,
  stepDocMatches,
  DEFAULT_BASE_TOPOLOGY,
  SCHEMA_CASE,
  type PluginTesterOptions,
  type PluginTesterCases,
  type ValidCase,
  type InvalidCase,
  type StepsCase,
  type PlanCase,
  type CaseTopology,
  type ExpectedDiagnostic,
  type ExpectedPlannedStep,
  type DescribeFn,
  type ItFn,
} from './plugin-tester.js';
