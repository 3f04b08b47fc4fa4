export * from './errors.js';
export * from './plugin/types.js';
export { definePlugin, isPlugin, stepId } from './plugin/define.js';
export type { Logger } from './log/types.js';
export type { CommandRunner, RunOptions, RunResult } from './exec/types.js';
export type { KubeClient, KubeClientFactory, KubeObject, ApplyOptions, ApplyResult, WaitOptions } from './kube/types.js';
export type { SecretStore } from './state/types.js';
export type { HelmDriver, HelmRelease } from './tools/helm-types.js';
export * from './net/index.js';
