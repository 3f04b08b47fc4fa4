import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PluginError } from '../errors.js';
import { createLogger } from '../log/logger.js';
import { definePlugin } from '../plugin/define.js';
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
