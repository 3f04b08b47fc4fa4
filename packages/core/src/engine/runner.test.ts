import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets, registerSecret } from '../log/logger.js';
import { CancelledError, CommandError, StepError } from '../errors.js';
import type { Step, StepContext, StepOutputs, Topology } from '../plugin/types.js';
import { StateStore } from '../state/state-store.js';
import { createTestStepContext } from '../testing/step-context.js';
import { buildPlan } from './dag.js';
import { formatSummary, runPlan, RunCancelledError, type RunPlanOptions } from './runner.js';

const topology: Topology = { apiVersion: 'meshspec.dev/v1alpha1', kind: 'Topology', metadata: { name: 't' }, clusters: {} };
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Records when steps start and end (and which signal they got), so overlap can be measured. */
class Recorder {
  events: { id: string; at: number; kind: 'start' | 'end' }[] = [];
  signals = new Map<string, AbortSignal>();
  runs: string[] = [];
  started(id: string) {
    return this.events.filter((e) => e.kind === 'start' && e.id === id).length > 0;
  }
  span(id: string) {
    const start = this.events.find((e) => e.id === id && e.kind === 'start')!.at;
    const end = this.events.find((e) => e.id === id && e.kind === 'end')!.at;
    return { start, end };
  }
  overlap(a: string, b: string) {
    const x = this.span(a);
    const y = this.span(b);
    return x.start < y.end && y.start < x.end;
  }
  maxParallel() {
    let now = 0;
    let max = 0;
    for (const e of [...this.events].sort((a, b) => a.at - b.at || (a.kind === 'end' ? -1 : 1))) {
      now += e.kind === 'start' ? 1 : -1;
      max = Math.max(max, now);
    }
    return max;
  }
}

let clock = 0;
const tick = () => ++clock; // a logical clock: ordering, not wall time, decides overlap

interface TestStepOptions {
  needs?: string[];
  after?: string[];
  ms?: number;
  fail?: Error | (() => Error | undefined);
  outputs?: StepOutputs | ((ctx: StepContext) => StepOutputs);
  inputs?: unknown;
  status?: boolean;
  destroy?: boolean;
  cluster?: string;
  resource?: string;
  estimateSeconds?: number;
}

function testStep(rec: Recorder, id: string, o: TestStepOptions = {}): Step {
  const step: Step = {
    id,
    title: `test ${id}`,
    cluster: o.cluster,
    needs: o.needs,
    after: o.after,
    inputs: o.inputs,
    resource: o.resource,
    estimateSeconds: o.estimateSeconds,
    async run(ctx) {
      rec.runs.push(id);
      rec.signals.set(id, ctx.signal);
      rec.events.push({ id, at: tick(), kind: 'start' });
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, o.ms ?? 20);
          ctx.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(new CommandError('killed', 'sleep', undefined, '', 'cancelled'));
          });
        });
        const error = typeof o.fail === 'function' ? o.fail() : o.fail;
        if (error) throw error;
        return typeof o.outputs === 'function' ? o.outputs(ctx) : o.outputs;
      } finally {
        rec.events.push({ id, at: tick(), kind: 'end' });
      }
    },
  };
  if (o.status !== undefined) step.status = async () => o.status!;
  if (o.destroy) step.destroy = async () => void rec.runs.push(`destroy ${id}`);
  return step;
}

async function setup(steps: Step[], stateDir = mkdtempSync(join(tmpdir(), 'meshspec-run-'))) {
  const state = await StateStore.open(stateDir, 't');
  const out: string[] = [];
  const stdout = { write: (chunk: string) => out.push(chunk) };
  const run = (extra: Partial<RunPlanOptions> = {}) =>
    runPlan({
      plan: buildPlan(steps),
      mode: 'apply',
      state,
      renderer: 'json',
      stdout,
      createContext: (step, signal) => ({ ...createTestStepContext(topology, { stateDir, step }), signal }),
      ...extra,
    });
  const events = () =>
    out
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { state, stateDir, run, out, events };
}

describe('runPlan: parallelism follows the DAG', () => {
  it('overlaps independent steps and never a chain', async () => {
    const rec = new Recorder();
    const { run } = await setup([
      testStep(rec, 'a:1', { ms: 60 }),
      testStep(rec, 'b:1', { ms: 60 }),
      testStep(rec, 'a:2', { needs: ['a:1'], ms: 20 }),
      testStep(rec, 'a:3', { needs: ['a:2'], ms: 20 }),
    ]);
    const summary = await run();
    expect(summary.ok).toBe(true);
    expect(rec.overlap('a:1', 'b:1')).toBe(true);
    expect(rec.overlap('a:1', 'a:2')).toBe(false);
    expect(rec.overlap('a:2', 'a:3')).toBe(false);
    expect(summary.completed).toEqual(['a:1', 'a:2', 'a:3', 'b:1']); // plan order, not finish order
  });

  it('starts a step as soon as its own needs are done, not when a whole level is', async () => {
    const rec = new Recorder();
    const { run } = await setup([
      testStep(rec, 'slow:1', { ms: 300 }),
      testStep(rec, 'fast:1', { ms: 10 }),
      testStep(rec, 'fast:2', { needs: ['fast:1'], ms: 10 }),
    ]);
    await run();
    // fast:2 (level 2) runs entirely while slow:1 (level 1) is still running.
    expect(rec.span('fast:2').end).toBeLessThan(rec.span('slow:1').end);
  });

  it.each([1, 2, 3])('runs at most %i steps at once', async (concurrency) => {
    const rec = new Recorder();
    const { run } = await setup(['a', 'b', 'c', 'd', 'e'].map((x) => testStep(rec, `p:${x}`, { ms: 30 })));
    await run({ concurrency });
    expect(rec.maxParallel()).toBe(concurrency);
  });

  it('honours a soft after as ordering', async () => {
    const rec = new Recorder();
    const { run } = await setup([testStep(rec, 'a:gw', { after: ['z:pools'], ms: 10 }), testStep(rec, 'z:pools', { ms: 40 })]);
    await run();
    expect(rec.span('z:pools').end).toBeLessThan(rec.span('a:gw').start);
  });
});

describe('runPlan: critical path first, limits per resource', () => {
  /** Most steps of `resource` running at once, from the recorder's start/end events. */
  const maxParallelOf = (rec: Recorder, ids: string[]) => {
    let now = 0;
    let max = 0;
    for (const e of [...rec.events].filter((x) => ids.includes(x.id)).sort((a, b) => a.at - b.at)) {
      now += e.kind === 'start' ? 1 : -1;
      max = Math.max(max, now);
    }
    return max;
  };

  it('starts the head of the longest remaining path first (estimates), not the first id', async () => {
    const rec = new Recorder();
    const { run } = await setup([
      testStep(rec, 'a:short', { ms: 10, estimateSeconds: 5 }),
      testStep(rec, 'b:short', { ms: 10, estimateSeconds: 5 }),
      testStep(rec, 'z:head', { ms: 10, estimateSeconds: 5 }),
      testStep(rec, 'z:tail', { needs: ['z:head'], ms: 10, estimateSeconds: 90 }),
    ]);
    await run({ concurrency: 1 });
    expect(rec.runs).toEqual(['z:head', 'z:tail', 'a:short', 'b:short']);
  });

  it('weighs a step by the duration state recorded for it, over its estimate', async () => {
    const rec = new Recorder();
    const steps = (inputs: unknown) => [
      testStep(rec, 'a:head', { ms: 5, estimateSeconds: 1, inputs }),
      testStep(rec, 'a:tail', { needs: ['a:head'], ms: 5, estimateSeconds: 1, inputs }),
      testStep(rec, 'z:head', { ms: 5, estimateSeconds: 1, inputs }),
      testStep(rec, 'z:tail', { needs: ['z:head'], ms: 5, estimateSeconds: 10, inputs }),
    ];
    const first = await setup(steps(1));
    await first.run({ concurrency: 1 });
    expect(rec.runs[0]).toBe('z:head');
    // The last apply says a:tail took 60 s on this machine: its chain goes first now.
    const record = first.state.get('a:tail')!;
    await first.state.record('a:tail', { ...record, durationMs: 60_000 });
    await first.state.save();
    rec.runs = [];
    const second = await setup(steps(2), first.stateDir);
    await second.run({ concurrency: 1 });
    expect(rec.runs[0]).toBe('a:head');
  });

  it('destroy starts the longest chain of undos first (the graph reversed)', async () => {
    const rec = new Recorder();
    const { run } = await setup([
      testStep(rec, 'a:head', { ms: 10, destroy: true }),
      testStep(rec, 'a:tail', { needs: ['a:head'], ms: 10, destroy: true }),
      testStep(rec, 'z:1', { ms: 10, destroy: true }),
      testStep(rec, 'z:2', { ms: 10, destroy: true }),
    ]);
    await run();
    rec.runs = [];
    await run({ mode: 'destroy', concurrency: 1 });
    // Reverse plan order would start with z:2; a:tail -> a:head is the longer chain of undos. (After it,
    // a:head and the z steps each weigh what they took in the apply: their order is that noise.)
    expect(rec.runs[0]).toBe('destroy a:tail');
    expect(rec.runs.indexOf('destroy a:head')).toBeGreaterThan(0);
    expect([...rec.runs].sort()).toEqual(['destroy a:head', 'destroy a:tail', 'destroy z:1', 'destroy z:2']);
  });

  it('never runs more steps of a resource than its limit, while other resources keep going', async () => {
    const rec = new Recorder();
    const creates = ['c1', 'c2', 'c3', 'c4'].map((c) => `kind:cluster@${c}`);
    const calls = ['a', 'b', 'c', 'd'].map((x) => `api:${x}`);
    const { run } = await setup([
      ...creates.map((id) => testStep(rec, id, { ms: 40, resource: 'cluster-create' })),
      ...calls.map((id) => testStep(rec, id, { ms: 40, resource: 'api' })),
    ]);
    const summary = await run({ limits: { 'cluster-create': 2, api: 4 } });
    expect(summary.ok).toBe(true);
    expect(maxParallelOf(rec, creates)).toBe(2);
    expect(maxParallelOf(rec, calls)).toBe(4);
  });

  it('--concurrency caps all steps together on top of the resource limits', async () => {
    const rec = new Recorder();
    const { run } = await setup(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((x, i) => testStep(rec, `p:${x}`, { ms: 30, resource: i % 2 ? 'helm' : 'api' })),
    );
    await run({ limits: { helm: 3, api: 3 }, concurrency: 2 });
    expect(rec.maxParallel()).toBe(2);
  });
});

describe('runPlan: failures', () => {
  it('skips dependents of a failed step, finishes independent branches, and reports the stderr tail', async () => {
    const rec = new Recorder();
    const stderr = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n');
    const { run, state } = await setup([
      testStep(rec, 'kind:cluster@demo', {
        ms: 10,
        cluster: 'demo',
        fail: new CommandError('kind create cluster failed (exit 1)', 'kind create cluster', 1, stderr),
      }),
      testStep(rec, 'linkerd:crds@demo', { needs: ['kind:cluster@demo'], cluster: 'demo' }),
      testStep(rec, 'linkerd:control-plane@demo', { needs: ['linkerd:crds@demo'], cluster: 'demo' }),
      testStep(rec, 'kind:cluster@demo3', { ms: 50, cluster: 'demo3' }),
      testStep(rec, 'linkerd:crds@demo3', { needs: ['kind:cluster@demo3'], cluster: 'demo3' }),
    ]);
    const summary = await run();
    expect(summary.ok).toBe(false);
    expect(summary.completed).toEqual(['kind:cluster@demo3', 'linkerd:crds@demo3']);
    expect(summary.failed).toEqual([
      {
        id: 'kind:cluster@demo',
        cluster: 'demo',
        message: 'kind create cluster failed (exit 1)',
        stderrTail: Array.from({ length: 20 }, (_, i) => `line ${i + 11}`).join('\n'),
      },
    ]);
    expect(summary.skipped).toEqual([
      { id: 'linkerd:crds@demo', cluster: 'demo', reason: 'needs kind:cluster@demo, which failed' },
      {
        id: 'linkerd:control-plane@demo',
        cluster: 'demo',
        reason: 'needs linkerd:crds@demo, which was skipped because kind:cluster@demo failed',
      },
    ]);
    expect(rec.started('linkerd:crds@demo')).toBe(false);
    expect(state.ids().sort()).toEqual(['kind:cluster@demo3', 'linkerd:crds@demo3']);
    const text = formatSummary(summary);
    expect(text).toContain('failed: 2 completed, 2 skipped, 1 failed');
    expect(text).toContain('  ✖ kind:cluster@demo (cluster demo): kind create cluster failed (exit 1)\n      | line 11\n');
    expect(text).toContain('  - linkerd:crds@demo skipped: needs kind:cluster@demo, which failed');
  });

  it('takes the stderr tail from a StepError or its CommandError cause', async () => {
    const rec = new Recorder();
    const cause = new CommandError('x', 'kubectl apply', 1, 'error: conflict\n');
    const { run } = await setup([
      testStep(rec, 'a:direct', { fail: new StepError('a:direct', 'apply failed', { stderrTail: 'boom' }) }),
      testStep(rec, 'a:cause', { fail: new StepError('a:cause', 'apply failed', { cause }) }),
      testStep(rec, 'a:plain', { fail: new Error('plain') }),
    ]);
    const summary = await run();
    expect(summary.failed.map((f) => [f.id, f.stderrTail])).toEqual([
      ['a:cause', 'error: conflict'],
      ['a:direct', 'boom'],
      ['a:plain', undefined],
    ]);
  });
});

describe('runPlan: what a failed command said', () => {
  // Issue 8 problem 5: a StepError carrying a tool's whole stderr kept only its last lines (usage text).
  it('shows the first Error line and the end of a long stderr, in -o json events and in the text summary', async () => {
    const rec = new Recorder();
    const usage = Array.from({ length: 40 }, (_, i) => `  --flag-${i} usage`);
    const stderr = [
      'Error: could not find service account token secret for linkerd-service-mirror-remote-access-default',
      'Usage:',
      ...usage,
    ].join('\n');
    const { run, events } = await setup([
      testStep(rec, 'a:link', { fail: new StepError('a:link', 'linkerd multicluster link failed', { stderrTail: stderr }) }),
    ]);
    const summary = await run();
    const failed = events().find((e) => e['type'] === 'step-fail')!;
    for (const tail of [failed['stderrTail'] as string, summary.failed[0]!.stderrTail!, formatSummary(summary)]) {
      expect(tail).toContain('Error: could not find service account token secret');
      expect(tail).toContain('--flag-39 usage');
    }
  });
});

describe('runPlan: cancellation', () => {
  it('aborts the running step, starts nothing else, saves what completed, and throws CancelledError', async () => {
    const rec = new Recorder();
    const controller = new AbortController();
    const { run, stateDir } = await setup([
      testStep(rec, 'a:1', { ms: 5 }),
      testStep(rec, 'a:2', { needs: ['a:1'], ms: 5000 }),
      testStep(rec, 'a:3', { needs: ['a:2'] }),
      testStep(rec, 'b:1', { needs: ['a:1'], ms: 5000 }),
    ]);
    const pending = run({ signal: controller.signal });
    while (!rec.started('a:2') || !rec.started('b:1')) await sleep(5);
    const before = Date.now();
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(Date.now() - before).toBeLessThan(1000);
    expect(error).toBeInstanceOf(CancelledError);
    expect(error).toBeInstanceOf(RunCancelledError);
    expect((error as CancelledError).exitCode).toBe(130);
    expect(rec.signals.get('a:2')!.aborted).toBe(true);
    expect(rec.signals.get('b:1')!.aborted).toBe(true);
    expect(rec.started('a:3')).toBe(false);
    const summary = (error as RunCancelledError).summary;
    expect(summary).toMatchObject({
      cancelled: true,
      ok: false,
      completed: ['a:1'],
      interrupted: ['a:2', 'b:1'],
      notStarted: ['a:3'],
      failed: [],
    });
    const saved = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8'));
    expect(Object.keys(saved.steps)).toEqual(['a:1']);
  });
});

describe('runPlan: resume', () => {
  it('finds everything up to date on a second run', async () => {
    const rec = new Recorder();
    const steps = [testStep(rec, 'a:1', { outputs: { v: 1 } }), testStep(rec, 'a:2', { needs: ['a:1'] })];
    const { run, stateDir } = await setup(steps);
    await run();
    rec.runs = [];
    const again = await (await setup(steps, stateDir)).run();
    expect(rec.runs).toEqual([]);
    expect(again).toMatchObject({ ok: true, completed: [], upToDate: ['a:1', 'a:2'] });
  });

  it('after a failure is fixed, reruns only the failed and skipped steps', async () => {
    const rec = new Recorder();
    let broken = true;
    const steps = [
      testStep(rec, 'a:1'),
      testStep(rec, 'a:2', { needs: ['a:1'], fail: () => (broken ? new Error('broken') : undefined) }),
      testStep(rec, 'a:3', { needs: ['a:2'] }),
      testStep(rec, 'b:1'),
    ];
    const { run } = await setup(steps);
    expect((await run()).failed.map((f) => f.id)).toEqual(['a:2']);
    broken = false;
    rec.runs = [];
    const second = await run();
    expect(rec.runs.sort()).toEqual(['a:2', 'a:3']);
    expect(second).toMatchObject({ ok: true, completed: ['a:2', 'a:3'], upToDate: ['a:1', 'b:1'] });
  });

  it('reruns a step whose inputs changed, and what was built on it', async () => {
    const rec = new Recorder();
    const make = (version: string) => [
      testStep(rec, 'linkerd:crds@demo', { inputs: { version } }),
      testStep(rec, 'linkerd:control-plane@demo', { needs: ['linkerd:crds@demo'], inputs: { fixed: true } }),
      testStep(rec, 'other:x', { inputs: { fixed: true } }),
    ];
    const { run, stateDir } = await setup(make('stable-2.13.3'));
    await run();
    rec.runs = [];
    const second = await (await setup(make('stable-2.13.4'), stateDir)).run();
    expect(rec.runs).toEqual(['linkerd:crds@demo', 'linkerd:control-plane@demo']);
    expect(second.upToDate).toEqual(['other:x']);
  });

  it('records how long each step ran, and no duration for one found already present', async () => {
    const rec = new Recorder();
    const slow: Step = { id: 'a:slow', title: 'slow', run: () => sleep(30) };
    const { run, state } = await setup([slow, testStep(rec, 'kind:cluster@demo', { status: true })]);
    await run();
    expect(state.get('a:slow')?.durationMs).toBeGreaterThanOrEqual(25);
    expect(state.get('kind:cluster@demo')?.durationMs).toBeUndefined();
  });

  it('records a step status() finds already present, without running it', async () => {
    const rec = new Recorder();
    const { run, state, events } = await setup([testStep(rec, 'kind:cluster@demo', { status: true })]);
    const summary = await run();
    expect(rec.runs).toEqual([]);
    expect(summary.upToDate).toEqual(['kind:cluster@demo']);
    expect(state.get('kind:cluster@demo')).toBeDefined();
    expect(events()[0]).toMatchObject({ type: 'step-skip', id: 'kind:cluster@demo', reason: 'already present' });
  });

  it('--only runs the matches plus needs that are not complete', async () => {
    const rec = new Recorder();
    const { run } = await setup([testStep(rec, 'a:1'), testStep(rec, 'a:2', { needs: ['a:1'] }), testStep(rec, 'b:1')]);
    await run({ only: ['a:2'] });
    expect(rec.runs).toEqual(['a:1', 'a:2']);
    rec.runs = [];
    await run({ only: ['a:2', 'b:*'] });
    expect(rec.runs).toEqual(['b:1']);
  });
});

describe('runPlan: outputs', () => {
  it('lets a step read outputs of its transitive needs from state, and nothing else', async () => {
    const rec = new Recorder();
    const seen: unknown[] = [];
    const { run } = await setup([
      testStep(rec, 'kind:network', { outputs: { subnet: '172.18.0.0/16' } }),
      testStep(rec, 'kind:cluster@demo', { needs: ['kind:network'], outputs: { context: 'kind-demo' } }),
      testStep(rec, 'other:x'),
      testStep(rec, 'metallb:pools@demo', {
        needs: ['kind:cluster@demo'],
        outputs: (ctx) => {
          seen.push(ctx.outputOf('kind:network'), ctx.outputOf('kind:cluster@demo'));
          try {
            ctx.outputOf('other:x');
          } catch (e) {
            seen.push((e as Error).message);
          }
          return {};
        },
      }),
    ]);
    await run();
    expect(seen).toEqual([
      { subnet: '172.18.0.0/16' },
      { context: 'kind-demo' },
      "step metallb:pools@demo reads the outputs of other:x, which is not among its needs; add 'other:x' to its needs",
    ]);
  });
});

describe('runPlan: destroy', () => {
  it('undoes in reverse order and removes steps from state', async () => {
    const rec = new Recorder();
    const steps = [
      testStep(rec, 'a:1', { destroy: true }),
      testStep(rec, 'a:2', { needs: ['a:1'], destroy: true }),
      testStep(rec, 'a:3', { needs: ['a:2'] }),
    ];
    const { run, state } = await setup(steps);
    await run();
    rec.runs = [];
    const summary = await run({ mode: 'destroy' });
    expect(rec.runs).toEqual(['destroy a:2', 'destroy a:1']);
    expect(summary).toMatchObject({ ok: true, completed: ['a:2', 'a:1'] });
    expect(state.ids()).toEqual([]);
    // a:3 has no destroy hook: the summary says it was left in place rather than hiding it
    expect(formatSummary(summary)).toContain('left in place (these steps have no destroy): a:3');
  });
});

describe('runPlan: destroy failures', () => {
  it('keeps what a failed destroy still needs, and says why', async () => {
    const rec = new Recorder();
    const steps = [
      testStep(rec, 'kind:cluster@demo', { destroy: true }),
      testStep(rec, 'linkerd:cp@demo', { needs: ['kind:cluster@demo'] }),
    ];
    steps[1]!.destroy = async () => {
      throw new Error('helm uninstall failed');
    };
    const { run, state } = await setup(steps);
    await run();
    rec.runs = [];
    const summary = await run({ mode: 'destroy' });
    expect(rec.runs).toEqual([]);
    expect(summary.failed.map((f) => f.id)).toEqual(['linkerd:cp@demo']);
    expect(summary.skipped).toEqual([{ id: 'kind:cluster@demo', reason: 'linkerd:cp@demo, which depends on it, failed to destroy' }]);
    expect(state.ids().sort()).toEqual(['kind:cluster@demo', 'linkerd:cp@demo']);
  });
});

describe('runPlan: repair and resume (issue 8 problems 3 and 4)', () => {
  it('apply consults verify for a step recorded up to date: anything but true runs it again, and what was built on it', async () => {
    const rec = new Recorder();
    let tokenSecret: true | string = true;
    const multicluster = testStep(rec, 'l:multicluster');
    multicluster.verify = async () => tokenSecret;
    const steps = [testStep(rec, 'l:control-plane'), multicluster, testStep(rec, 'l:link', { needs: ['l:multicluster'] })];
    multicluster.needs = ['l:control-plane'];
    const { run } = await setup(steps);
    await run();
    rec.runs = [];
    expect(await run()).toMatchObject({ ok: true, completed: [], upToDate: ['l:control-plane', 'l:multicluster', 'l:link'] });
    expect(rec.runs).toEqual([]);
    tokenSecret = 'Secret linkerd-multicluster/linkerd-service-mirror-remote-access-default-token is missing';
    const repaired = await run();
    expect(rec.runs).toEqual(['l:multicluster', 'l:link']);
    expect(repaired).toMatchObject({ ok: true, completed: ['l:multicluster', 'l:link'], upToDate: ['l:control-plane'] });
  });

  it('a verify that throws counts as "not in place"', async () => {
    const rec = new Recorder();
    const step = testStep(rec, 'a:1');
    let calls = 0;
    step.verify = async () => {
      calls += 1;
      if (calls === 1) throw new Error('API server unreachable');
      return true;
    };
    const { run } = await setup([step]);
    await run();
    rec.runs = [];
    await run();
    expect(rec.runs).toEqual(['a:1']);
  });

  it('a destroy resumed after a failure skips what the first one undid ("already gone") and finishes the rest', async () => {
    const rec = new Recorder();
    const present = new Set<string>();
    let refuse = true;
    const make = (id: string, needs: string[] = []): Step => ({
      id,
      title: id,
      needs,
      run: async () => void present.add(id),
      status: async () => present.has(id),
      destroy: async () => {
        if (!present.has(id)) throw new Error(`${id}: No resources found to uninstall`);
        if (id === 'l:control-plane' && refuse)
          throw new Error('Please uninstall the following extensions before uninstalling the control-plane');
        rec.runs.push(`destroy ${id}`);
        present.delete(id);
      },
    });
    const steps = [make('l:control-plane'), make('l:viz', ['l:control-plane']), make('l:multicluster', ['l:control-plane'])];
    const { run, state } = await setup(steps);
    await run();
    const first = await run({ mode: 'destroy' });
    expect(first.failed.map((f) => f.id)).toEqual(['l:control-plane']);
    expect(rec.runs.sort()).toEqual(['destroy l:multicluster', 'destroy l:viz']);
    expect(state.ids()).toEqual(['l:control-plane']);
    refuse = false;
    rec.runs = [];
    const resumed = await run({ mode: 'destroy' });
    expect(resumed).toMatchObject({ ok: true, completed: ['l:control-plane'] });
    expect(resumed.upToDate.sort()).toEqual(['l:multicluster', 'l:viz']);
    expect(rec.runs).toEqual(['destroy l:control-plane']);
    expect(formatSummary(resumed)).toContain('2 already gone');
    expect(state.ids()).toEqual([]);
    // And once more: nothing left, nothing fails.
    expect(await run({ mode: 'destroy' })).toMatchObject({ ok: true, completed: [], failed: [] });
  });
});

describe('runPlan: secrets', () => {
  afterEach(() => clearSecrets());
  it('redacts registered secrets from failure messages and stderr tails', async () => {
    registerSecret('hunter2-private-key');
    const rec = new Recorder();
    const { run, out } = await setup([
      testStep(rec, 'a:1', { fail: new CommandError('openssl hunter2-private-key failed', 'openssl', 1, 'bad key hunter2-private-key') }),
    ]);
    const summary = await run();
    expect(summary.failed[0]).toMatchObject({ message: 'openssl *** failed', stderrTail: 'bad key ***' });
    expect(out.join('')).not.toContain('hunter2');
  });
});

describe('runPlan: renderers', () => {
  it('json: one event per line, no listr output', async () => {
    const rec = new Recorder();
    const { run, events, out } = await setup([
      testStep(rec, 'a:1', { cluster: 'demo' }),
      testStep(rec, 'a:2', { needs: ['a:1'], fail: new Error('nope') }),
      testStep(rec, 'a:3', { needs: ['a:2'] }),
    ]);
    await run();
    const stream = events();
    expect(stream.map((e) => [e.type, e.id ?? null])).toEqual([
      ['step-start', 'a:1'],
      ['step-done', 'a:1'],
      ['step-start', 'a:2'],
      ['step-fail', 'a:2'],
      ['step-skip', 'a:3'],
      ['run-done', null],
    ]);
    expect(stream[0]).toMatchObject({ cluster: 'demo' });
    expect(typeof stream[1]!.durationMs).toBe('number');
    expect(stream[3]).toMatchObject({ error: 'nope' });
    expect(stream[4]).toMatchObject({ reason: 'needs a:2, which failed' });
    expect(stream[5]).toMatchObject({ ok: false, cancelled: false });
    for (const e of stream) expect(Date.parse(e.ts as string)).not.toBeNaN();
    expect(out.every((chunk) => chunk.endsWith('\n'))).toBe(true);
  });

  it('plain: listr2 simple lines for what ran, what was skipped and what failed', async () => {
    const rec = new Recorder();
    const { run, out } = await setup([
      testStep(rec, 'a:1'),
      testStep(rec, 'a:2', { needs: ['a:1'], fail: new Error('nope') }),
      testStep(rec, 'a:3', { needs: ['a:2'] }),
    ]);
    await run({ renderer: 'plain' });
    const text = out.join('').replace(/\x1b\[[0-9;]*m/g, '');
    expect(text).toContain('test a:1 [a:1]');
    expect(text).toMatch(/test a:2 \[a:2\].*nope/);
    expect(text).toMatch(/test a:3 \[a:3\].*SKIPPED: needs a:2, which failed/);
  });
});
