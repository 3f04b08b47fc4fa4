// Test support for plugin authors: `import { RecordingRunner, MemoryKube, createTestStepContext } from '@meshspec/core/testing'`.
export { RecordingRunner, commandLine, type RecordedCall, type Responder } from './recording-runner.js';
export { MemoryKube, parseManifests } from './memory-kube.js';
export { createTestStepContext, type TestStepContext } from './step-context.js';
export { yamlValidateContext } from './validate-context.js';
export { testStepsContext, withEngineFacts } from './steps-context.js';
