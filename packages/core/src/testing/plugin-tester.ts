// PluginTester: tables of valid and invalid topologies, expected steps and plans for one plugin, each case
// registered as a test (`describe`/`it`, from vitest when it is installed), like ESLint's RuleTester. Every
// case goes through what `meshspec validate` and `meshspec plan` run: the composed schema of the plugin and
// its dependencies, every plugin's resolve and validate, the steps each plugin builds with its own facts
// access, and the plan's ordering. So positions, facts and orderings in the tables are the real ones.
import { AssertionError } from 'node:assert';
import { parseDocument } from 'yaml';
import { collectSteps } from '../engine/collect-steps.js';
import { buildPlan, type Plan } from '../engine/dag.js';
import { isWarning, TopologyError, type Diagnostic } from '../errors.js';
import { orderPlugins } from '../plugin/registry.js';
import { findMissingDescriptions } from '../schema/compose.js';
import type { Plugin, StepDoc, Topology } from '../plugin/types.js';
import { validateTopology } from '../topology/validate.js';

export type DescribeFn = (name: string, body: () => void) => void;
export type ItFn = (name: string, body: () => Promise<void>) => void;

/** One expected diagnostic; fields left out are not compared. */
export interface ExpectedDiagnostic {
  /** Field path as meshspec prints it, e.g. `smi.splits[0].service`. */
  path?: string;
  /** The whole message, or a pattern it must match. */
  message: string | RegExp;
  line?: number;
  column?: number;
  fix?: string | RegExp;
}

/**
 * A topology for a case: `topology` is a whole YAML document; `section` is the plugin's section alone
 * (an object or YAML text), put under the plugin's key of the tester's `base` topology.
 */
export type CaseTopology = { topology: string; section?: never } | { section: unknown; topology?: never };

interface CaseName {
  /** Test name; default: the first line that differs from the base, or the section as YAML. */
  name?: string;
}

/** Must validate without errors; warnings must be exactly `warnings` (none when left out). */
export type ValidCase = string | (CaseName & CaseTopology & { warnings?: ExpectedDiagnostic[] });

/** Must be rejected with exactly `errors` (in file order), and warn exactly `warnings` when given. */
export type InvalidCase = CaseName & { topology: string; errors: ExpectedDiagnostic[]; warnings?: ExpectedDiagnostic[] };

/** The plugin's own step ids, in the order its `steps()` returns them. */
export type StepsCase = CaseName & CaseTopology & { ids: string[] };

/** What one planned step must look like; fields left out are not compared. */
export interface ExpectedPlannedStep {
  /** Hard dependencies, as declared. */
  needs?: string[];
  /** Soft ordering kept in the plan (absent steps dropped, `before`s of others merged in). */
  after?: string[];
  /** `meshspec plan` lines of the step: exact strings or patterns. */
  plan?: (string | RegExp)[];
}

/** The plan built from every loaded plugin's steps. */
export type PlanCase = CaseName &
  CaseTopology & {
    /** The plugin's own steps in plan (run) order. */
    order?: string[];
    /** Any step of the plan, by id (another plugin's too: ordering is often the point). */
    steps?: Record<string, ExpectedPlannedStep>;
  };

export interface PluginTesterCases {
  valid?: ValidCase[];
  invalid?: InvalidCase[];
  steps?: StepsCase[];
  plans?: PlanCase[];
}

export interface PluginTesterOptions {
  /** The plugins the tested one depends on or reads facts of (loaded with it, in dependency order). */
  plugins?: readonly Plugin[];
  /** Topology that `section` cases are put into (YAML, without the plugin's key). Default: clusters east and west with contexts. */
  base?: string;
  /** File name in diagnostics. Default `topology.yaml`. */
  file?: string;
  /** Folder relative paths in the topology resolve from (workloads manifests). Default: the working directory. */
  topologyDir?: string;
  /** Test registration; default PluginTester.describe / .it, else vitest's. */
  describe?: DescribeFn;
  it?: ItFn;
}

/** The test every run registers for the plugin's schema. */
export const SCHEMA_CASE = 'schema: every option has a description';

export const DEFAULT_BASE_TOPOLOGY = [
  'apiVersion: meshspec.dev/v1alpha1',
  'kind: Topology',
  'metadata: { name: test }',
  'clusters:',
  '  east: { context: east }',
  '  west: { context: west }',
  '',
].join('\n');

// Taken from vitest when it is installed; the specifier is a variable so bundlers leave it alone.
const VITEST = 'vitest';
const fromVitest = await import(VITEST).then(
  (m: { describe: DescribeFn; it: ItFn }) => ({ describe: m.describe, it: m.it }),
  () => undefined,
);

export class PluginTester {
  /** Test registration for every tester (set once, e.g. in a setup file, when not on vitest). */
  static describe: DescribeFn | undefined;
  static it: ItFn | undefined;

  private readonly plugins: Plugin[];
  private readonly options: PluginTesterOptions;

  constructor(
    readonly plugin: Plugin,
    options: PluginTesterOptions = {},
  ) {
    this.options = options;
    // Fails here, not in every case, when the dependencies are missing or loaded twice.
    this.plugins = orderPlugins([...(options.plugins ?? []), plugin]);
  }

  /** Registers one test per case, grouped under the plugin's name. */
  run(cases: PluginTesterCases): void {
    const describe = this.options.describe ?? PluginTester.describe ?? fromVitest?.describe;
    const it = this.options.it ?? PluginTester.it ?? fromVitest?.it;
    if (!describe || !it) {
      throw new TypeError(
        'PluginTester needs describe/it: install vitest, or pass { describe, it } (or set PluginTester.describe/.it) from your test framework',
      );
    }
    checkCases(cases);
    describe(this.plugin.name, () => {
      if (this.plugin.schema || this.plugin.clusterSchema) it(SCHEMA_CASE, async () => this.assertDescribed());
      const group = (name: string, list: readonly unknown[] | undefined, register: (index: number) => void) => {
        if (list && list.length > 0) describe(name, () => list.forEach((_, i) => register(i)));
      };
      group('valid', cases.valid, (i) => {
        const c = cases.valid![i]!;
        it(this.caseName(c, i), () => this.assertValid(c));
      });
      group('invalid', cases.invalid, (i) => {
        const c = cases.invalid![i]!;
        it(this.caseName(c, i), () => this.assertInvalid(c));
      });
      group('steps', cases.steps, (i) => {
        const c = cases.steps![i]!;
        it(this.caseName(c, i), () => this.assertSteps(c));
      });
      group('plans', cases.plans, (i) => {
        const c = cases.plans![i]!;
        it(this.caseName(c, i), () => this.assertPlan(c));
      });
    });
  }

  /** The topology text of a case. */
  textOf(c: ValidCase | CaseTopology): string {
    if (typeof c === 'string') return c;
    if (c.topology !== undefined) return c.topology;
    const doc = parseDocument(this.options.base ?? DEFAULT_BASE_TOPOLOGY);
    const section = typeof c.section === 'string' ? parseDocument(c.section).toJS() : c.section;
    doc.set(this.plugin.key, section);
    return doc.toString();
  }

  /** Every option of the plugin's schema fragments has a description (editors and docs/plugins.md show them). */
  assertDescribed(): void {
    const missing = findMissingDescriptions({ properties: { [this.plugin.key]: this.plugin.schema ?? {}, ...this.plugin.clusterSchema } });
    if (this.plugin.schema && typeof this.plugin.schema.description !== 'string') missing.unshift(this.plugin.key);
    if (missing.length > 0) fail(`options without a description: ${missing.join(', ')}; add a description to each`, missing, []);
  }

  async assertValid(c: ValidCase): Promise<void> {
    const outcome = await this.validate(this.textOf(c));
    if (outcome.errors.length > 0) {
      fail(
        `expected the topology to be valid, but it has ${count(outcome.errors.length, 'error')}:\n${list(outcome.errors)}`,
        outcome.errors,
        [],
      );
    }
    matchDiagnostics('warning', outcome.warnings, typeof c === 'string' ? [] : (c.warnings ?? []));
  }

  async assertInvalid(c: InvalidCase): Promise<void> {
    const outcome = await this.validate(c.topology);
    matchDiagnostics('error', outcome.errors, c.errors);
    if (c.warnings) matchDiagnostics('warning', outcome.warnings, c.warnings);
  }

  async assertSteps(c: StepsCase): Promise<void> {
    const { topology } = await this.validOrFail(this.textOf(c));
    const { steps, owner } = collectSteps(this.plugins, topology, this.dirs());
    const own = steps.filter((s) => owner.get(s) === this.plugin.name).map((s) => s.id);
    if (!sameList(own, c.ids)) fail(`${this.plugin.name} made other steps than expected:\n${diffLists(own, c.ids)}`, own, c.ids);
    this.assertDocumented(own);
  }

  async assertPlan(c: PlanCase): Promise<void> {
    const { topology } = await this.validOrFail(this.textOf(c));
    const { steps, owner } = collectSteps(this.plugins, topology, this.dirs());
    const plan: Plan = buildPlan(steps, { pluginOf: (step) => owner.get(step) ?? step.id });
    if (c.order) {
      const order = plan.steps.filter((s) => owner.get(s.step) === this.plugin.name).map((s) => s.id);
      if (!sameList(order, c.order))
        fail(`${this.plugin.name}'s steps run in another order than expected:\n${diffLists(order, c.order)}`, order, c.order);
    }
    for (const [id, expected] of Object.entries(c.steps ?? {})) {
      const planned = plan.graph.get(id);
      if (!planned) fail(`step ${id} is not in the plan; the plan has: ${plan.steps.map((s) => s.id).join(', ')}`, undefined, id);
      for (const field of ['needs', 'after'] as const) {
        const want = expected[field];
        if (want && !sameList(planned[field], want))
          fail(`step ${id}: ${field} differ:\n${diffLists(planned[field], want)}`, planned[field], want);
      }
      if (expected.plan) {
        const lines = planned.step.plan ?? [];
        const ok = lines.length === expected.plan.length && expected.plan.every((want, i) => matches(lines[i]!, want));
        if (!ok)
          fail(
            `step ${id}: plan lines differ:\n  actual:\n${lines.map((l) => `    ${l}`).join('\n')}\n  expected:\n${expected.plan.map((l) => `    ${String(l)}`).join('\n')}`,
            lines,
            expected.plan,
          );
      }
    }
  }

  private assertDocumented(ids: readonly string[]): void {
    const docs = this.plugin.stepDocs;
    if (!docs) return;
    const undocumented = ids.filter((id) => !docs.some((doc) => stepDocMatches(doc, id)));
    if (undocumented.length > 0) {
      fail(
        `${this.plugin.name} made steps its stepDocs do not describe: ${undocumented.join(', ')}; add their id patterns to stepDocs (docs/plugins.md lists them)`,
        undocumented,
        [],
      );
    }
  }

  private dirs() {
    return { stateDir: '/nonexistent-meshspec-state', topologyDir: this.options.topologyDir ?? process.cwd() };
  }

  private async validate(text: string): Promise<{ topology?: Topology; errors: Diagnostic[]; warnings: Diagnostic[] }> {
    try {
      const { topology, warnings } = await validateTopology({ text, file: this.options.file ?? 'topology.yaml', plugins: this.plugins });
      return { topology, errors: [], warnings };
    } catch (error) {
      if (!(error instanceof TopologyError)) throw error;
      return { errors: error.diagnostics.filter((d) => !isWarning(d)), warnings: error.diagnostics.filter(isWarning) };
    }
  }

  private async validOrFail(text: string): Promise<{ topology: Topology }> {
    const outcome = await this.validate(text);
    if (!outcome.topology)
      fail(`the case's topology is invalid (a steps or plans case needs a valid one):\n${list(outcome.errors)}`, outcome.errors, []);
    return { topology: outcome.topology };
  }

  private caseName(c: ValidCase | InvalidCase | StepsCase | PlanCase, index: number): string {
    if (typeof c !== 'string' && c.name) return c.name;
    const text = typeof c === 'string' ? c : c.topology !== undefined ? c.topology : undefined;
    if (text === undefined) {
      const section = (c as { section: unknown }).section;
      const yaml = typeof section === 'string' ? section : JSON.stringify(section);
      return `#${index + 1} ${this.plugin.key}: ${oneLine(yaml)}`;
    }
    // The lines of the plugin's section say best what a case is about.
    const data = parseDocument(text).toJS() as Record<string, unknown> | null;
    const section = data && typeof data === 'object' ? data[this.plugin.key] : undefined;
    return `#${index + 1} ${section === undefined ? oneLine(text) : `${this.plugin.key}: ${oneLine(JSON.stringify(section))}`}`;
  }
}

/** Does `id` fit the documented pattern (`<placeholder>` stands for one name: no `:`, `@` or `/`)? */
export function stepDocMatches(doc: StepDoc, id: string): boolean {
  const pattern = doc.id
    .split(/<[^>]+>/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^:@/]+');
  return new RegExp(`^${pattern}$`).test(id);
}

function checkCases(cases: PluginTesterCases): void {
  (cases.invalid ?? []).forEach((c, i) => {
    if (typeof c.topology !== 'string')
      throw new TypeError(`invalid case #${i + 1}: 'topology' must be YAML text (positions are checked against it)`);
    if (!Array.isArray(c.errors) || c.errors.length === 0)
      throw new TypeError(`invalid case #${i + 1}${c.name ? ` (${c.name})` : ''}: list at least one expected error`);
  });
  (cases.steps ?? []).forEach((c, i) => {
    if (!Array.isArray(c.ids))
      throw new TypeError(`steps case #${i + 1}${c.name ? ` (${c.name})` : ''}: 'ids' must list the plugin's step ids ([] for none)`);
  });
}

function matchDiagnostics(kind: 'error' | 'warning', actual: readonly Diagnostic[], expected: readonly ExpectedDiagnostic[]): void {
  if (actual.length !== expected.length) {
    fail(
      `should have ${count(expected.length, kind)} but had ${actual.length}:\n${list(actual) || '  (none)'}`,
      actual.map(show),
      expected.map(showExpected),
    );
  }
  expected.forEach((want, i) => {
    const got = actual[i]!;
    const wrong: string[] = [];
    if (!matches(got.message, want.message)) wrong.push(`message ${JSON.stringify(got.message)} does not match ${String(want.message)}`);
    if (want.path !== undefined && got.path !== want.path) wrong.push(`path is ${got.path}, expected ${want.path}`);
    if (want.line !== undefined && got.line !== want.line) wrong.push(`line is ${got.line}, expected ${want.line}`);
    if (want.column !== undefined && got.column !== want.column) wrong.push(`column is ${got.column}, expected ${want.column}`);
    if (want.fix !== undefined && !matches(got.fix ?? '', want.fix))
      wrong.push(`fix ${JSON.stringify(got.fix)} does not match ${String(want.fix)}`);
    if (wrong.length > 0) fail(`${kind} ${i + 1} (${show(got)}):\n  ${wrong.join('\n  ')}`, show(got), showExpected(want));
  });
}

const matches = (text: string, want: string | RegExp) => (typeof want === 'string' ? text === want : want.test(text));
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
const show = (d: Diagnostic) => `${d.line}:${d.column} ${d.path}: ${d.message}${d.fix ? ` (fix: ${d.fix})` : ''}`;
const showExpected = (d: ExpectedDiagnostic) =>
  `${d.line ?? '?'}:${d.column ?? '?'} ${d.path ?? '?'}: ${String(d.message)}${d.fix ? ` (fix: ${String(d.fix)})` : ''}`;
const list = (ds: readonly Diagnostic[]) => ds.map((d) => `  ${show(d)}`).join('\n');
const oneLine = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 100 ? `${flat.slice(0, 97)}...` : flat;
};

function diffLists(actual: readonly string[], expected: readonly string[]): string {
  const missing = expected.filter((x) => !actual.includes(x));
  const extra = actual.filter((x) => !expected.includes(x));
  return [
    `  actual:   ${actual.join(', ') || '(none)'}`,
    `  expected: ${expected.join(', ') || '(none)'}`,
    ...(missing.length ? [`  missing:  ${missing.join(', ')}`] : []),
    ...(extra.length ? [`  extra:    ${extra.join(', ')}`] : []),
  ].join('\n');
}

function fail(message: string, actual: unknown, expected: unknown): never {
  throw new AssertionError({ message, actual, expected, operator: 'PluginTester' });
}
