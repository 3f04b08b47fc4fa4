import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PluginError } from '../errors.js';
import { createLogger } from '../log/logger.js';
import { definePlugin } from '../plugin/define.js';
import { RecordingRunner } from '../testing/recording-runner.js';
import { Session } from './session.js';

const TOPOLOGY = 'apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: s }\nclusters: { a: { context: ctx-a } }\nboom: {}\n';
const log = createLogger({ stream: { write: () => true } });

function topologyFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshspec-session-'));
  writeFileSync(join(dir, 'topology.yaml'), TOPOLOGY);
  return join(dir, 'topology.yaml');
}

describe('Session.open', () => {
  it("reports a plugin whose steps() throws as that plugin's error", async () => {
    const boom = definePlugin({ name: 'boom', schema: { type: 'object', description: 'x' }, steps: () => { throw new Error('no steps today'); } });
    const opened = Session.open({ file: topologyFile(), plugins: [boom], log });
    await expect(opened).rejects.toThrow(PluginError);
    await expect(opened).rejects.toThrow("plugin 'boom' failed to build its steps: no steps today");
  });

  it('builds the plan without touching the disk (no state directory until apply)', async () => {
    const ok = definePlugin({ name: 'boom', schema: { type: 'object', description: 'x' }, steps: () => [{ id: 'boom:one', title: 'one', run: async () => {} }] });
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
        { id: 'boom:linkerd', title: 'linkerd', run: async (ctx) => void (await ctx.exec.run('linkerd', ['--context', 'ctx-a', 'install'])) },
        { id: 'boom:own', title: 'own', run: async (ctx) => void (await ctx.exec.run('kind', ['get', 'clusters'], { env: { KUBECONFIG: '/elsewhere' } })) },
      ],
    });
    const file = topologyFile();
    const dir = join(file, '..');
    writeFileSync(join(dir, 'kc.yaml'), 'apiVersion: v1\nkind: Config\n');
    const cwd = process.cwd();
    process.chdir(dir);
    let session: Session;
    try {
      session = await Session.open({ file, plugins: [tools], log, kubeconfig: 'kc.yaml', runner, kube: { forContext: () => { throw new Error('no kube in this test'); } }, helm: {} as never }).then((s) => s.prepare());
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
