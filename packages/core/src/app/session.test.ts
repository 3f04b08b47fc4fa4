import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PluginError } from '../errors.js';
import { createLogger } from '../log/logger.js';
import { definePlugin } from '../plugin/define.js';
import { RecordingRunner } from '../testing/recording-runner.js';
import { Session } from './session.js';

const TOPOLOGY =
  'apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: s }\nclusters: { a: { context: ctx-a } }\nboom: {}\n';
const log = createLogger({ stream: { write: () => true } });

function topologyFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshspec-session-'));
  writeFileSync(join(dir, 'topology.yaml'), TOPOLOGY);
  return join(dir, 'topology.yaml');
}

describe('Session.open', () => {
  it("reports a plugin whose steps() throws as that plugin's error", async () => {
    const boom = definePlugin({
      name: 'boom',
      schema: { type: 'object', description: 'x' },
      steps: () => {
        throw new Error('no steps today');
      },
    });
    const opened = Session.open({ file: topologyFile(), plugins: [boom], log });
    await expect(opened).rejects.toThrow(PluginError);
    await expect(opened).rejects.toThrow("plugin 'boom' failed to build its steps: no steps today");
  });

  it('builds the plan without touching the disk (no state directory until apply)', async () => {
    const ok = definePlugin({
      name: 'boom',
      schema: { type: 'object', description: 'x' },
      steps: () => [{ id: 'boom:one', title: 'one', run: async () => {} }],
    });
    const file = topologyFile();
    const session = await Session.open({ file, plugins: [ok], log });
    const view = await session.planView();
    expect(view.plan.steps.map((s) => s.id)).toEqual(['boom:one']);
    expect(existsSync(session.stateDir)).toBe(false);
    expect(session.stateDir).toBe(join(file, '..', '.meshspec', 's'));
  });
});

describe('Session with --kubeconfig', () => {
  // Issue 8 problem 1: only the kube client got the kubeconfig, so `linkerd --context west` looked in
  // ~/.kube/config and failed with `context "west" does not exist` unless KUBECONFIG was exported.
  it('gives every external tool a step runs the session kubeconfig (absolute) as KUBECONFIG, unless the call sets its own', async () => {
    const runner = new RecordingRunner();
    const tools = definePlugin({
      name: 'boom',
      schema: { type: 'object', description: 'x' },
      steps: () => [
        {
          id: 'boom:linkerd',
          title: 'linkerd',
          run: async (ctx) => void (await ctx.exec.run('linkerd', ['--context', 'ctx-a', 'install'])),
        },
        {
          id: 'boom:own',
          title: 'own',
          run: async (ctx) => void (await ctx.exec.run('kind', ['get', 'clusters'], { env: { KUBECONFIG: '/elsewhere' } })),
        },
      ],
    });
    const file = topologyFile();
    const dir = join(file, '..');
    writeFileSync(join(dir, 'kc.yaml'), 'apiVersion: v1\nkind: Config\n');
    const cwd = process.cwd();
    process.chdir(dir);
    let session: Session;
    try {
      session = await Session.open({
        file,
        plugins: [tools],
        log,
        kubeconfig: 'kc.yaml',
        runner,
        kube: {
          forContext: () => {
            throw new Error('no kube in this test');
          },
        },
        helm: {} as never,
      }).then((s) => s.prepare());
    } finally {
      process.chdir(cwd);
    }
    const summary = await session.apply({ renderer: 'json', stdout: { write: () => true } });
    expect(summary.failed).toEqual([]);
    const envOf = (tool: string) => runner.calls.find((c) => c.file === tool)?.env;
    expect(envOf('linkerd')).toEqual({ KUBECONFIG: join(dir, 'kc.yaml') });
    expect(envOf('kind')).toEqual({ KUBECONFIG: '/elsewhere' });
  });
});

describe('Session.recordedTimings', () => {
  const sleepy = (stepMs: number) =>
    definePlugin({
      name: 'boom',
      schema: { type: 'object', description: 'x' },
      steps: () => [
        { id: 'boom:first', title: 'first', inputs: { stepMs }, run: () => new Promise((done) => setTimeout(done, stepMs)) },
        { id: 'boom:second', title: 'second', needs: ['boom:first'], run: async () => {} },
      ],
    });
  const open = (file: string, stepMs: number) =>
    Session.open({
      file,
      plugins: [sleepy(stepMs)],
      log,
      runner: new RecordingRunner(),
      kube: {
        forContext: () => {
          throw new Error('no kube in this test');
        },
      },
      helm: {} as never,
    }).then((s) => s.prepare());

  it('reads nothing (and creates nothing) before any apply', async () => {
    const session = await open(topologyFile(), 1);
    const timings = await session.recordedTimings();
    expect(timings).toEqual({ durations: new Map() });
    expect(existsSync(session.stateDir)).toBe(false);
  });

  it("gives each step's recorded duration and the last apply's wall time; a no-op apply keeps that record", async () => {
    const file = topologyFile();
    const session = await open(file, 60);
    const summary = await session.apply({ renderer: 'json', stdout: { write: () => true } });
    expect(summary.ok).toBe(true);
    const { durations, lastApply } = await session.recordedTimings();
    expect(durations.get('boom:first')).toBeGreaterThanOrEqual(55);
    expect(durations.has('boom:second')).toBe(true);
    expect(lastApply).toMatchObject({ ran: 2, upToDate: 0, ok: true });
    // The run's wall time covers the steps it ran one after the other.
    expect(lastApply!.wallMs).toBeGreaterThanOrEqual(durations.get('boom:first')! + durations.get('boom:second')!);
    expect(Date.parse(lastApply!.finishedAt) - Date.parse(lastApply!.startedAt)).toBe(lastApply!.wallMs);

    const again = await (await open(file, 60)).apply({ renderer: 'json', stdout: { write: () => true } });
    expect(again.completed).toEqual([]);
    expect((await session.recordedTimings()).lastApply).toEqual(lastApply);
  });
});
