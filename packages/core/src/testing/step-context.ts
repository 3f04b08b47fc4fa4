import { mkdtempSync } from 'node:fs';
import { clusterDirectory, type ClusterProviderPlugin } from '../plugin/clusters.js';
import { mkdir, readFile, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../log/types.js';
import type { StepContext, Topology } from '../plugin/types.js';
import type { SecretStore } from '../state/types.js';
import type { HelmDriver, HelmRelease } from '../tools/helm-types.js';
import { MemoryKube } from './memory-kube.js';
import { RecordingRunner } from './recording-runner.js';

export interface TestStepContext extends StepContext {
  exec: RecordingRunner;
  kubes: Map<string, MemoryKube>;
  logs: string[];
  outputs: Map<string, Record<string, unknown>>;
  helmCalls: HelmRelease[];
}

/** A StepContext for unit-testing a plugin's steps without any cluster or external tool. */
export function createTestStepContext(
  topology: Topology,
  options: {
    stateDir?: string;
    topologyDir?: string;
    step?: { id: string; cluster?: string };
    outputs?: Record<string, Record<string, unknown>>;
    providers?: readonly ClusterProviderPlugin[];
  } = {},
): TestStepContext {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'meshspec-test-'));
  const logs: string[] = [];
  const log: Logger = {
    debug: (m) => logs.push(`debug ${m}`),
    info: (m) => logs.push(`info ${m}`),
    warn: (m) => logs.push(`warn ${m}`),
    error: (m) => logs.push(`error ${m}`),
    child: () => log,
  };
  const kubes = new Map<string, MemoryKube>();
  const contextOf = (cluster: string) => topology.clusters[cluster]?.context ?? cluster;
  const outputs = new Map(Object.entries(options.outputs ?? {}));
  const helmCalls: HelmRelease[] = [];
  const exec = new RecordingRunner();
  const secretsDir = join(stateDir, 'secrets');
  const secrets: SecretStore = {
    dir: secretsDir,
    path: (name) => join(secretsDir, name),
    has: async (name) =>
      access(join(secretsDir, name)).then(
        () => true,
        () => false,
      ),
    read: async (name) => readFile(join(secretsDir, name), 'utf8').catch(() => undefined),
    write: async (name, content) => {
      await mkdir(secretsDir, { recursive: true, mode: 0o700 });
      await writeFile(join(secretsDir, name), content, { mode: 0o600 });
      return join(secretsDir, name);
    },
  };
  const helm: HelmDriver = {
    upgradeInstall: async (r) => void helmCalls.push(r),
    uninstall: async () => {},
    describe: (r) => `helm upgrade --install ${r.release} ${r.chart} --namespace ${r.namespace} --kube-context ${r.kubeContext}`,
    status: async () => undefined,
  };
  const ctx: TestStepContext = {
    topology,
    stateDir,
    topologyDir: options.topologyDir ?? process.cwd(),
    secrets,
    log,
    logs,
    exec,
    kubes,
    outputs,
    helmCalls,
    helm,
    contextOf,
    clusters: clusterDirectory(topology, options.providers ?? []),
    kube(cluster) {
      const name = cluster ?? ctx.step.cluster;
      if (!name) throw new Error('kube() needs a cluster for a global step');
      const context = contextOf(name);
      let k = kubes.get(context);
      if (!k) kubes.set(context, (k = new MemoryKube(context)));
      return k;
    },
    outputOf<T>(id: string) {
      const out = outputs.get(id);
      if (!out) throw new Error(`no outputs recorded for step ${id}`);
      return out as T;
    },
    signal: new AbortController().signal,
    progress: (m) => logs.push(`progress ${m}`),
    step: options.step ?? { id: 'test' },
  };
  return ctx;
}
