// A session = one topology file with its plugins, state directory and tool drivers. It is what the CLI
// commands (and tests, which inject fake runners and in-memory clusters) work through, so the commands
// stay thin and every path — validate, plan, apply, destroy, status — shares the same loading.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { collectSteps } from '../engine/collect-steps.js';
import { buildPlan, selectSteps, type Plan } from '../engine/dag.js';
import { isUpToDate, runPlan, type RunSummary } from '../engine/runner.js';
import type { OutputStream, RendererChoice } from '../engine/view.js';
import type { ResourceLimits } from '../engine/resource-limits.js';
import type { SchedulingOrder } from '../engine/scheduler.js';
import type { CommandRunner } from '../exec/types.js';
import type { KubeClient, KubeClientFactory } from '../kube/types.js';
import { LOG_FILE, type MeshspecLogger } from '../log/logger.js';
import { clusterDirectory } from '../plugin/clusters.js';
import { contextOf } from '../plugin/context-of.js';
import { factsAccess } from '../plugin/facts.js';
import { orderPlugins } from '../plugin/registry.js';
import type { FactsAccess, PlannedAddress, Plugin, Step, StepContext, StatusLine, Topology } from '../plugin/types.js';
import { acquireLock } from '../state/lock.js';
import { recordProcessGroups, removeLeftoverTempFiles, stopLeftoverGroups } from '../state/leftovers.js';
import { createSecretStore, tightenSecrets } from '../state/secret-store.js';
import { defaultStateDir, STATE_FILE, StateStore, type ApplyRecord } from '../state/state-store.js';
import type { HelmDriver } from '../tools/helm-types.js';
import type { ParsedTopologySource } from '../topology/parse.js';
import { loadTopologyFile } from '../topology/load.js';
import { MeshspecError, PluginError, StepError, type Diagnostic } from '../errors.js';
import { checkTools, toolsNeeded, type ToolFound } from './preflight.js';
import type { PodReaderFactory, VerifyCheck, VerifyOptions } from '../verify/types.js';
import { helmWithSignal, kubeWithSignal, runnerWithSignal } from './step-signal.js';
import { runnerWithKubeconfig } from './tool-kubeconfig.js';

export interface SessionOptions {
  /** Topology file, as the user wrote it (shown in diagnostics). */
  file: string;
  plugins: readonly Plugin[];
  /** Overrides `.meshspec/<name>/` beside the topology file. */
  stateDir?: string;
  log: MeshspecLogger;
  kubeconfig?: string;
  verbose?: boolean;
  /** Injected in tests; built lazily from execa / client-node / helm otherwise. */
  runner?: CommandRunner;
  kube?: KubeClientFactory;
  helm?: HelmDriver;
  /** Environment in which preflight looks tools up (PATH); default the process's. */
  toolEnv?: NodeJS.ProcessEnv;
  /** Pod logs / pod proxy for `verify`; default: through the API server of each context. */
  pods?: PodReaderFactory;
}

export interface RunOptions {
  only?: string[];
  concurrency?: number;
  /** Steps per resource at once; default `defaultResourceLimits()` of this machine. */
  limits?: ResourceLimits;
  /** Which ready step starts first; default critical path (see runPlan). */
  order?: SchedulingOrder;
  renderer?: RendererChoice;
  signal?: AbortSignal;
  stdout?: OutputStream;
}

export class Session {
  private drivers?: { runner: CommandRunner; kube: KubeClientFactory; helm: HelmDriver };

  private constructor(
    readonly options: SessionOptions,
    readonly plugins: readonly Plugin[],
    readonly topology: Topology,
    readonly source: ParsedTopologySource,
    readonly stateDir: string,
    readonly topologyDir: string,
    readonly steps: Step[],
    readonly plan: Plan,
    /** Warnings of validation (deprecations...); the topology is valid. */
    readonly warnings: Diagnostic[] = [],
  ) {}

  /** Loads and validates the topology (TopologyError with every problem), then builds the step graph (DagError). */
  static async open(options: SessionOptions): Promise<Session> {
    const plugins = orderPlugins(options.plugins);
    const { topology, source, warnings } = await loadTopologyFile(options.file, plugins);
    const topologyDir = dirname(resolve(options.file));
    const stateDir = resolve(options.stateDir ?? defaultStateDir(options.file, topology.metadata.name));
    const { steps, owner } = collectSteps(plugins, topology, { stateDir, topologyDir });
    const plan = buildPlan(steps, { pluginOf: (step) => owner.get(step) ?? step.id });
    for (const warning of plan.warnings ?? []) options.log.warn(warning);
    return new Session(options, plugins, topology, source, stateDir, topologyDir, steps, plan, warnings);
  }

  /** The plan, optionally narrowed by `--only`, marking what is already up to date in state (read-only). */
  async planView(only: string[] = []): Promise<{ plan: Plan; upToDate: Set<string> }> {
    // plan has no side effects: read state only if it exists (opening would create the directory).
    const state = existsSync(join(this.stateDir, STATE_FILE))
      ? await StateStore.open(this.stateDir, this.topology.metadata.name)
      : undefined;
    const upToDate = new Set<string>();
    if (state) for (const node of this.plan.steps) if (isUpToDate(node, this.plan, state)) upToDate.add(node.id);
    const plan = only.length > 0 ? selectSteps(this.plan, only, (id) => upToDate.has(id)) : this.plan;
    return { plan, upToDate };
  }

  /**
   * What earlier applies measured (read-only, nothing created): each step's `durationMs` from its last run,
   * and the wall time of the last apply that ran steps. For the plan's critical path and its picture.
   */
  async recordedTimings(): Promise<{ durations: Map<string, number>; lastApply?: ApplyRecord }> {
    const state = existsSync(join(this.stateDir, STATE_FILE))
      ? await StateStore.open(this.stateDir, this.topology.metadata.name)
      : undefined;
    const durations = new Map<string, number>();
    if (!state) return { durations };
    for (const id of state.ids()) {
      const ms = state.get(id)?.durationMs;
      if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) durations.set(id, ms);
    }
    const lastApply = state.lastApply;
    return lastApply ? { durations, lastApply } : { durations };
  }

  /** Every address range the plugins will use, in plugin order; reads state (read-only) for what an earlier apply learnt. */
  async plannedAddresses(): Promise<PlannedAddress[]> {
    const state = existsSync(join(this.stateDir, STATE_FILE))
      ? await StateStore.open(this.stateDir, this.topology.metadata.name)
      : undefined;
    const known = { outputOf: <T>(id: string) => state?.get(id)?.outputs as T | undefined };
    return this.plugins.flatMap((plugin) =>
      plugin.addresses && this.topology[plugin.key] !== undefined
        ? plugin.addresses(this.topology, this.topology[plugin.key] as never, {
            ...known,
            ...pick(factsAccess(this.topology, plugin, this.plugins)),
          })
        : [],
    );
  }

  async apply(options: RunOptions = {}): Promise<RunSummary> {
    return this.run('apply', options);
  }

  async destroy(options: RunOptions = {}): Promise<RunSummary> {
    return this.run('destroy', options);
  }

  /** Each plugin's live checks; a plugin whose check throws reports that as a failed line. */
  async status(): Promise<StatusLine[]> {
    return this.eachUsedPlugin(
      'status',
      (plugin, section, ctx) => plugin.status!(this.topology, section, ctx),
      (plugin, error) => [{ name: `${plugin.name} status`, ok: false, level: 'error', detail: error.message }],
    );
  }

  /** Each plugin's traffic checks (`meshspec verify`); a plugin whose verify throws reports that as a failed check. */
  async verify(options: VerifyOptions): Promise<VerifyCheck[]> {
    // Verify sends real requests through real proxies: on simulated clusters nothing would answer, and
    // every check would fail for a reason that has nothing to do with the mesh. Say so instead.
    const simulated = clusterDirectory(this.topology, this.plugins)
      .all()
      .filter((c) => !c.realContainers);
    if (simulated.length > 0) {
      const by = [...new Set(simulated.map((c) => c.provider ?? 'its provider'))].join(', ');
      throw new MeshspecError(
        `meshspec verify sends real traffic, but cluster${simulated.length === 1 ? '' : 's'} ${simulated.map((c) => c.cluster).join(', ')} ${simulated.length === 1 ? 'is' : 'are'} simulated by ${by}: nodes and pods exist only as API objects, no container runs, so there is nothing to send traffic through. ` +
          `Use meshspec status to check what was applied, or verify a topology on kind or existing clusters.`,
      );
    }
    const pods =
      this.options.pods ??
      (await import('../verify/pod-reader.js')).createPodReaderFactory(
        this.options.kubeconfig ? { kubeconfigPath: this.options.kubeconfig } : {},
      );
    return this.eachUsedPlugin(
      'verify',
      (plugin, section, ctx) =>
        plugin.verify!(this.topology, section, {
          ...ctx,
          options,
          pods: (cluster) => pods.forContext(contextOf(this.topology, cluster)),
          ...pick(factsAccess(this.topology, plugin, this.plugins)),
        }),
      (plugin, error) => [{ name: `${plugin.name} verify`, ok: false, level: 'error', detail: error.message }],
    );
  }

  /**
   * `meshspec rotate --<target>`: the plugins that own `target` rotate it, under the apply lock (rotation
   * writes secrets and clusters like apply does). Throws when no used plugin owns `target`.
   */
  async rotate(target: string): Promise<StatusLine[]> {
    const lock = await acquireLock(this.stateDir, {
      command: `meshspec rotate --${target} ${this.options.file}`,
      topology: this.topology.metadata.name,
      warn: (m) => this.options.log.warn(m),
    });
    try {
      let handled = false;
      const lines = await this.eachUsedPlugin(
        'rotate',
        async (plugin, section, ctx) => {
          const done = await plugin.rotate!(this.topology, section, { ...ctx, target });
          if (done) handled = true;
          return done ?? [];
        },
        (plugin, error) => {
          handled = true;
          return [{ name: `${plugin.name} rotate --${target}`, ok: false, level: 'error' as const, detail: error.message }];
        },
      );
      if (!handled) throw new PluginError(`no plugin used by ${this.options.file} can rotate '${target}'`);
      return lines;
    } finally {
      lock.release();
    }
  }

  /** Lines plugins print after a successful apply (URLs, /etc/hosts entries). */
  async summaryLines(): Promise<string[]> {
    return this.eachUsedPlugin(
      'summary',
      (plugin, section, ctx) => plugin.summary!(this.topology, section, ctx),
      (plugin, error) => [`${plugin.name}: could not summarise: ${error.message}`],
    );
  }

  /** Calls `hook` of every plugin the topology uses that defines it, with a state-backed context; a throw becomes `onError`'s lines. */
  private async eachUsedPlugin<T>(
    hook: 'status' | 'summary' | 'verify' | 'rotate',
    call: (plugin: Plugin, section: never, ctx: StepContext) => Promise<T[]>,
    onError: (plugin: Plugin, error: Error) => T[],
  ): Promise<T[]> {
    const state = await StateStore.open(this.stateDir, this.topology.metadata.name);
    const results: T[] = [];
    for (const plugin of this.plugins) {
      if (!plugin[hook] || this.topology[plugin.key] === undefined) continue;
      const ctx = this.stepContext({ id: `${plugin.name}:${hook}`, title: hook, run: async () => {} }, new AbortController().signal, state);
      try {
        results.push(...(await call(plugin, this.topology[plugin.key] as never, ctx)));
      } catch (error) {
        results.push(...onError(plugin, error as Error));
      }
    }
    return results;
  }

  private async run(mode: 'apply' | 'destroy', options: RunOptions): Promise<RunSummary> {
    const lock = await acquireLock(this.stateDir, {
      command: `meshspec ${mode} ${this.options.file}`,
      topology: this.topology.metadata.name,
      warn: (m) => this.options.log.warn(m),
    });
    try {
      const state = await StateStore.open(this.stateDir, this.topology.metadata.name);
      // The state dir exists from here on: keep a redacted, bounded, rotated record of the run in it.
      this.options.log.logTo?.(join(this.stateDir, LOG_FILE));
      this.options.log.debug(`meshspec ${mode} ${this.options.file} (pid ${process.pid})`);
      await tightenSecrets(this.stateDir, (message) => this.options.log.warn(message));
      await this.clearLeftovers();
      const summary = await runPlan({
        plan: this.plan,
        mode,
        state,
        ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
        ...(options.limits !== undefined ? { limits: options.limits } : {}),
        ...(options.order !== undefined ? { order: options.order } : {}),
        ...(options.only && options.only.length > 0 ? { only: options.only } : {}),
        ...(options.renderer ? { renderer: options.renderer } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.stdout ? { stdout: options.stdout } : {}),
        log: this.options.log,
        createContext: (step, signal) => this.stepContext(step, signal, state),
      });
      // A no-op apply keeps the previous record: its wall time says nothing about where time goes.
      if (mode === 'apply' && summary.completed.length > 0) {
        const finished = Date.now();
        await state.recordApply({
          startedAt: new Date(finished - summary.durationMs).toISOString(),
          finishedAt: new Date(finished).toISOString(),
          wallMs: summary.durationMs,
          ran: summary.completed.length,
          upToDate: summary.upToDate.length,
          ok: summary.ok,
        });
      }
      return summary;
    } finally {
      lock.release();
    }
  }

  /** What a killed meshspec left: its children still running (stopped before any step re-runs) and temp files. */
  private async clearLeftovers(): Promise<void> {
    const stopped = await stopLeftoverGroups(this.stateDir);
    for (const line of stopped) this.options.log.warn(`stopped a process an earlier meshspec left running when it was killed: ${line}`);
    const removed = removeLeftoverTempFiles([this.stateDir, join(this.stateDir, 'secrets')]);
    if (removed.length > 0)
      this.options.log.warn(
        `removed ${removed.length} temporary file${removed.length === 1 ? '' : 's'} an interrupted write left behind: ${removed.join(', ')}`,
      );
  }

  private stepContext(step: Step, signal: AbortSignal, state: StateStore): StepContext {
    const drivers = this.driversSync();
    const clients = new Map<string, KubeClient>();
    const log = this.options.log.child(step.id);
    return {
      topology: this.topology,
      stateDir: this.stateDir,
      topologyDir: this.topologyDir,
      secrets: createSecretStore(this.stateDir, { warn: (message) => log.warn(message) }),
      log,
      exec: runnerWithSignal(drivers.runner, signal),
      helm: helmWithSignal(drivers.helm, signal),
      contextOf: (cluster) => contextOf(this.topology, cluster),
      clusters: clusterDirectory(this.topology, this.plugins),
      kube: (cluster) => {
        const name = cluster ?? step.cluster;
        if (!name) throw new StepError(step.id, `step ${step.id} asked for a Kubernetes client but names no cluster`);
        const context = contextOf(this.topology, name);
        let client = clients.get(context);
        if (!client) clients.set(context, (client = kubeWithSignal(drivers.kube.forContext(context), signal)));
        return client;
      },
      // The runner replaces these four with step-aware versions.
      outputOf: <T>(id: string) => (state.get(id)?.outputs ?? {}) as T,
      signal,
      progress: (message) => log.debug(message),
      step: { id: step.id, ...(step.cluster ? { cluster: step.cluster } : {}) },
    };
  }

  private driversSync(): { runner: CommandRunner; kube: KubeClientFactory; helm: HelmDriver } {
    if (!this.drivers) throw new Error('Session.prepare() must run before steps (loads the command runner and Kubernetes client)');
    return this.drivers;
  }

  /**
   * Checks that every tool the selected steps need is on PATH and answers its version command, before
   * anything is written (no state dir, lock, keys or state.json yet). Throws a MeshspecError naming all
   * missing or broken tools. The CLI runs it before apply/destroy; Session.apply itself does not, so
   * callers that inject their own runner decide.
   */
  async preflight(options: { only?: string[]; signal?: AbortSignal } = {}): Promise<ToolFound[]> {
    const selected = options.only && options.only.length > 0 ? selectSteps(this.plan, options.only) : this.plan;
    // Step ids are `<plugin>:<what>[@<cluster>]` (stepId); the prefix names the plugin that runs the step.
    const owners = new Set(selected.steps.map((node) => node.id.split(':')[0]!));
    const runner =
      this.options.runner ??
      (await import('../exec/execa-runner.js')).createCommandRunner({
        logger: this.options.log,
        verbose: this.options.verbose ?? false,
        ...(this.options.toolEnv ? { env: this.options.toolEnv } : {}),
      });
    const found = await checkTools(toolsNeeded(this.plugins, this.topology, owners), runner, options.signal);
    const problems: string[] = [];
    for (const plugin of this.plugins) {
      if (!plugin.preflight || !owners.has(plugin.name)) continue;
      try {
        problems.push(
          ...(await plugin.preflight(this.topology, this.topology[plugin.key], {
            exec: runner,
            ...pick(factsAccess(this.topology, plugin, this.plugins)),
          })),
        );
      } catch (error) {
        problems.push(`plugin ${plugin.name} could not run its preflight checks: ${(error as Error).message}`);
      }
    }
    if (problems.length > 0)
      throw new MeshspecError(
        `preflight: ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was changed\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      );
    return found;
  }

  /** Loads the heavy drivers (execa, client-node) only for commands that talk to clusters or tools. */
  async prepare(): Promise<this> {
    if (this.drivers) return this;
    const baseRunner =
      this.options.runner ??
      (await import('../exec/execa-runner.js')).createCommandRunner({
        logger: this.options.log,
        verbose: this.options.verbose ?? false,
        groups: recordProcessGroups(this.stateDir),
      });
    // The kubeconfig the kube client reads is the one every tool gets (see tool-kubeconfig.ts).
    const runner = runnerWithKubeconfig(baseRunner, this.options.kubeconfig);
    const kube =
      this.options.kube ??
      (await import('../kube/client.js')).createKubeClientFactory(
        this.options.kubeconfig ? { kubeconfigPath: resolve(this.options.kubeconfig) } : {},
      );
    let helm = this.options.helm;
    if (!helm) {
      // Values files may hold secrets: keep them under the private (0700) state dir, not a shared /tmp.
      const tmp = join(this.stateDir, 'tmp');
      await mkdir(tmp, { recursive: true, mode: 0o700 });
      helm = (await import('../tools/helm.js')).createHelmDriver(runner, {
        tmpDir: tmp,
        ...(this.options.kubeconfig ? { kubeconfig: this.options.kubeconfig } : {}),
      });
    }
    this.drivers = { runner, kube, helm };
    return this;
  }
}

// Kept here too for the engine entry; plugins get it from '@meshspec/core/plugin'.
export { contextOf } from '../plugin/context-of.js';

/** The two members of a FactsAccess, as plain properties (spread into hook contexts). */
function pick(access: FactsAccess): FactsAccess {
  return { facts: access.facts, clusters: access.clusters };
}
