// The contract between the engine and every plugin. Plugins see the engine only through these types;
// the engine sees plugins only as data (schema fragments, validators, step lists).
import type { Diagnostic } from '../errors.js';
import type { CommandRunner } from '../exec/types.js';
import type { KubeClient } from '../kube/types.js';
import type { Logger } from '../log/types.js';
import type { SecretStore } from '../state/types.js';
import type { HelmDriver } from '../tools/helm-types.js';
import type { VerifyCheck, VerifyContext } from '../verify/types.js';
import type { CORE_CLUSTER_PROPERTIES } from '../schema/compose.js';
import type { FromSchema } from '../schema/from-schema.js';
import type { ClusterDirectory, ProvidedCluster } from './clusters.js';

/** A JSON Schema (draft 2020-12 / draft-07 subset accepted by ajv). Every key should carry a description. */
export type JsonSchema = Record<string, unknown>;

/**
 * One cluster as written in the topology: core's keys (derived from their schema, CORE_CLUSTER_PROPERTIES:
 * `context`, the kube context, whose default the cluster-creating plugin decides) + keys plugins add via
 * `clusterSchema` (a plugin derives its own view, e.g. kind's `KindClusterSpec`).
 */
export type ClusterSpec = FromSchema<{ type: 'object'; properties: typeof CORE_CLUSTER_PROPERTIES }> & Record<string, unknown>;

/** The parsed topology after defaults from every plugin's `resolve` hook. */
export interface Topology {
  apiVersion: 'meshspec.dev/v1alpha1';
  kind: 'Topology';
  metadata: { name: string; [key: string]: unknown };
  clusters: Record<string, ClusterSpec>;
  /** One section per plugin, keyed by the plugin's `key`. */
  [section: string]: unknown;
}

/** Where a topology came from, for error positions and for the default state directory. */
export interface TopologySource {
  /** Absolute (or as given) path of the file; `<stdin>` or a label for in-memory text. */
  file: string;
  text: string;
  /** Returns the 1-based line/column of the node at a JSON pointer-like path, or the nearest parent. */
  positionOf(path: readonly (string | number)[]): { line: number; column: number };
}

/**
 * Typed access to what other plugins publish (their `facts`). Only plugins this one names in `dependsOn`
 * or `optionalDependsOn` may be read; anything else throws a PluginError, so a hidden coupling cannot
 * creep in. An optional dependency that is not loaded answers with its facts for "section absent".
 */
export interface FactsAccess {
  facts<F>(this: void, plugin: Plugin<never, F>): F;
  /**
   * Every cluster of the topology as its provider describes it (kind, kwok...) or, when no plugin
   * provides it, as given by context: step it exists after, context, subnets, API address, real or
   * simulated. Open to every plugin: the cluster-provider contract is core's, not a plugin's.
   */
  clusters: ClusterDirectory;
}

export interface ValidateContext extends FactsAccess {
  source: TopologySource;
  /** Helper to build a positioned diagnostic at `path` in the topology file. */
  diagnostic(path: readonly (string | number)[], message: string, fix?: string): Diagnostic;
}

export interface StepsContext extends FactsAccess {
  /** Directory holding state.json and generated secrets for this topology. */
  stateDir: string;
  /** Directory of the topology file: relative paths in the topology (e.g. workloads manifests) resolve from here. */
  topologyDir: string;
  /** Returns the kube context of a cluster (after resolution). */
  contextOf(this: void, cluster: string): string;
}

/** Things a step may look up when it runs. */
export interface StepContext {
  topology: Topology;
  stateDir: string;
  /** Directory of the topology file (see StepsContext.topologyDir). */
  topologyDir: string;
  secrets: SecretStore;
  log: Logger;
  /** Runs external commands (execa): argv logged in verbose mode, stdin, timeouts, cancellation. */
  exec: CommandRunner;
  /** Kubernetes client bound to the kube context of `cluster` (default: the step's cluster). */
  kube(cluster?: string): KubeClient;
  helm: HelmDriver;
  contextOf(this: void, cluster: string): string;
  /** Every cluster as its provider describes it (see FactsAccess.clusters): e.g. whether it is simulated. */
  clusters: ClusterDirectory;
  /** Outputs recorded by a step this step `needs` (directly or transitively); throws otherwise. */
  outputOf<T = Record<string, unknown>>(stepId: string): T;
  /** Aborted on Ctrl-C or when the run is cancelled. */
  signal: AbortSignal;
  /** Report progress shown under the step's title. */
  progress(message: string): void;
  /** The step being run (id, cluster). */
  step: { id: string; cluster?: string };
}

export type StepOutputs = Record<string, unknown>;

/** A unit of work. Data first: the plan is built from these fields without running anything. */
export interface Step {
  /** Namespaced id: `<plugin>:<action>[@<cluster>]`, e.g. `linkerd:install@demo`. */
  id: string;
  title: string;
  /** The cluster this step acts on, if any (for grouping and kube(); omit for global steps). */
  cluster?: string;
  /** Step ids that must complete first; an unknown id is an error. */
  needs?: string[];
  /**
   * Step ids to run after *if they are in the plan* (soft ordering), e.g. `metallb:pools@demo` for a
   * Linkerd gateway wait: present when MetalLB is used, ignored when addresses come from elsewhere.
   */
  after?: string[];
  /**
   * Step ids to run before *if they are in the plan* (soft ordering seen from the other side): lets the
   * plugin that knows about another's steps order both ways, e.g. Linkerd's control plane before the
   * workloads its injector must see, while the workloads plugin knows nothing about Linkerd. Same as the
   * other step listing this one in `after`.
   */
  before?: string[];
  /** What the step will do, one line each (commands, manifests): shown by `meshspec plan`. */
  plan?: string[];
  /**
   * The inputs that define this step's result. Fingerprinted: a completed step whose fingerprint is
   * unchanged is skipped on the next apply. Defaults to {id, plan}.
   */
  inputs?: unknown;
  /**
   * What the step mostly waits on, e.g. `cluster-create`, `helm`, `linkerd`, `kubectl`, `api`: the
   * scheduler limits how many steps of one resource run at once, and estimates durations by it.
   */
  resource?: string;
  /** How long the step typically takes, in seconds, when no earlier apply recorded it (critical path). */
  estimateSeconds?: number;
  run(ctx: StepContext): Promise<StepOutputs | void>;
  /**
   * Already done? Consulted on apply when state has no record (e.g. state dir lost): true skips `run`.
   * Consulted on destroy when state has no record (undone by an earlier, interrupted destroy, or never
   * applied): false skips `destroy` ("already gone").
   */
  status?(ctx: StepContext): Promise<boolean>;
  /**
   * Is what `run` made still in place? Consulted on apply for a step state records as up to date (status
   * is not: it answers "done at all?"); anything but `true` — e.g. a string naming the missing object —
   * runs the step again, and the steps built on it after it. Lets a later step's failure that points at
   * this step's object (a deleted token Secret) be repaired by the next apply. Keep it cheap: a few GETs.
   */
  verify?(ctx: StepContext): Promise<true | string>;
  /** Undo what `run` did; destroy runs in reverse dependency order. */
  destroy?(ctx: StepContext): Promise<void>;
}

/** An external CLI a plugin needs, for `meshspec doctor`. */
export interface ToolRequirement {
  command: string;
  versionArgs: string[];
  /** Pull the version out of the tool's output. */
  parseVersion?(output: string): string | undefined;
  why: string;
}

/** An address range the plan will use, shown by `meshspec plan` so disjointness is visible before apply. */
export interface PlannedAddress {
  cluster: string;
  /** What the range is for, e.g. `pods`, `services`, `MetalLB pool`. */
  what: string;
  /** The range (CIDR or a-b); absent while it depends on something only apply learns. */
  range?: string;
  /** Where it comes from, or why it is not known yet. */
  note?: string;
}

export interface DoctorCheck {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
}

/** What `meshspec doctor` hands a plugin's `doctor` hook. */
export interface DoctorContext {
  exec: CommandRunner;
  /** Is `tool` on PATH, and which version does it report? A check named after the command. */
  checkTool(tool: ToolRequirement): Promise<DoctorCheck>;
}

export interface StatusLine {
  cluster?: string;
  name: string;
  ok: boolean;
  detail: string;
  level?: 'ok' | 'warn' | 'error';
}

/** One kind of step a plugin makes, documented: docs/plugins.md lists them, and a test checks plans use only these. */
export interface StepDoc {
  /** The id with placeholders: `<c>` a cluster, others named for what they stand for (`linkerd:link:<source>@<target>`). */
  id: string;
  /** What the step does, one sentence. */
  does: string;
  /** The outputs it records for `ctx.outputOf`, if any, e.g. `{ apiServerUrl }`. */
  outputs?: string;
}

export interface PluginDefinition<Section = unknown, Facts = undefined> {
  /** Unique name; also the namespace of its step ids. */
  name: string;
  /** The topology key the plugin owns. Defaults to `name`. */
  key?: string;
  /** Names of plugins whose facts/steps this one relies on (for load order, errors and `ctx.facts`). */
  dependsOn?: string[];
  /**
   * Plugins this one reads facts of or orders itself around when they are loaded (e.g. MetalLB pools a
   * gateway waits for), but works without. Loaded ones come first in load order, like `dependsOn`.
   */
  optionalDependsOn?: string[];
  /**
   * What this plugin publishes to the plugins that depend on it: pure, typed facts derived from the
   * resolved topology (step ids, names it creates, resolved settings). The one source of each fact: other
   * plugins read it through `ctx.facts(thisPlugin)`, never through `topology[key]`. Called with
   * `section` undefined when the plugin is unused; it must answer then too.
   */
  facts?(topology: Topology, section: Section | undefined): Facts;
  /**
   * Cluster providers only: the clusters this plugin creates, as data (see `ProvidedCluster`). Other
   * plugins read them through `ctx.clusters`; two providers claiming one cluster is a validate error.
   */
  providesClusters?(topology: Topology, section: Section | undefined): ProvidedCluster[];
  /** JSON Schema of the plugin's own section (`topology[key]`). */
  schema?: JsonSchema;
  /** Extra properties this plugin allows on every cluster entry (e.g. podSubnet). */
  clusterSchema?: Record<string, JsonSchema>;
  /** Fill in defaults on the topology (called in dependency order, after schema validation). */
  resolve?(topology: Topology, section: Section | undefined): Topology;
  /** Semantic checks after schema validation and resolution. Return all problems found. */
  validate?(topology: Topology, section: Section | undefined, ctx: ValidateContext): Diagnostic[];
  /**
   * The kinds of step `steps` makes (id patterns and what each does), for the docs and for plugins that
   * order around them. Optional; the built-in plugins document every step they make.
   */
  stepDocs?: readonly StepDoc[];
  /** The steps of this plugin for the topology. An unused plugin (no section) usually returns []. */
  steps(topology: Topology, section: Section | undefined, ctx: StepsContext): Step[];
  tools?: ToolRequirement[];
  /**
   * The tools this topology needs, when that depends on the section (a configured CLI path, an optional
   * mode); default `tools`. apply/destroy check them before the first step (preflight).
   */
  toolsFor?(topology: Topology, section: Section | undefined, ctx: FactsAccess): ToolRequirement[];
  /**
   * Host checks for `meshspec doctor` beyond the tools steps run (those come from `tools`/`toolsFor`): e.g.
   * kernel limits, or a tool people use by hand with what this plugin makes. `checkTool` checks one tool the
   * way doctor checks every other one (on PATH? which version?), so the output reads the same.
   */
  doctor?(ctx: DoctorContext): Promise<DoctorCheck[]>;
  /**
   * Checks that need the host (e.g. the docker network's subnet) and must pass before apply changes
   * anything; runs after the tools were found. Returns problems (each a full sentence with its fix).
   */
  preflight?(topology: Topology, section: Section | undefined, ctx: { exec: CommandRunner } & FactsAccess): Promise<string[]>;
  status?(topology: Topology, section: Section | undefined, ctx: StepContext): Promise<StatusLine[]>;
  /**
   * The address ranges this plugin will use (given or computed), for `meshspec plan`. `outputOf` reads a
   * step's outputs recorded by an earlier apply (undefined if none), e.g. the docker network's subnet.
   */
  addresses?(
    topology: Topology,
    section: Section | undefined,
    known: { outputOf<T>(stepId: string): T | undefined } & FactsAccess,
  ): PlannedAddress[];
  /**
   * Checks that send real traffic (`meshspec verify`, `status --verify`): e.g. split shares, ingress URLs,
   * mTLS. Core runs them for every used plugin; it never knows what they check.
   */
  verify?(topology: Topology, section: Section | undefined, ctx: VerifyContext): Promise<VerifyCheck[]>;
  /**
   * Rotates credentials the plugin owns (`meshspec rotate --<target>`, e.g. `issuer`, `trust-anchor`).
   * Returns what it did, one line per action, or undefined when it does not own `target`. Must be
   * resumable: an interrupted rotation continues on the next call (keep progress in `ctx.stateDir`).
   */
  rotate?(topology: Topology, section: Section | undefined, ctx: StepContext & { target: string }): Promise<StatusLine[] | undefined>;
  /** Lines printed after a successful apply (URLs, /etc/hosts entries...). */
  summary?(topology: Topology, section: Section | undefined, ctx: StepContext): Promise<string[]>;
}

export type Plugin<Section = unknown, Facts = unknown> = Readonly<PluginDefinition<Section, Facts>> & {
  readonly key: string;
  readonly __meshspecPlugin: 1;
};

/** A version a plugin pins, with where it comes from (one table per plugin; docs/compatibility.md renders them). */
export interface Pin {
  what: string;
  version: string;
  source: string;
}
