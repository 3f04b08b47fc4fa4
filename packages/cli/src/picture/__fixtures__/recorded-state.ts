// A state.json as an earlier apply leaves it, written for a topology so `plan` reads it: some steps
// recorded with their current fingerprint (up to date), some with another (will run again), each with
// the `durationMs` the runner records, and the last apply's wall time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, fingerprint, Session, type ApplyRecord, type StateFile } from '@meshspec/core';
import { builtinPlugins } from '../../builtin-plugins.js';

export interface RecordedStep {
  id: string;
  durationMs: number;
  /** Recorded with the step's current fingerprint (plan shows it up to date) or an old one. */
  upToDate: boolean;
}

export async function writeRecordedState(topologyFile: string, stateDir: string, steps: RecordedStep[], lastApply?: ApplyRecord): Promise<void> {
  const session = await Session.open({ file: topologyFile, plugins: builtinPlugins, log: createLogger({ stream: { write: () => true } }), stateDir });
  const state: StateFile = { version: 1, topology: session.topology.metadata.name, steps: {}, ...(lastApply ? { lastApply } : {}) };
  for (const recorded of steps) {
    const node = session.plan.graph.get(recorded.id);
    if (!node) throw new Error(`no step ${recorded.id} in ${topologyFile}`);
    state.steps[recorded.id] = {
      fingerprint: recorded.upToDate ? fingerprint(node.step) : 'an-older-fingerprint',
      completedAt: '2026-11-29T10:00:00.000Z',
      outputs: {},
      durationMs: recorded.durationMs,
    };
  }
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(stateDir, 'state.json'), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export const LAST_APPLY: ApplyRecord = {
  startedAt: '2026-11-29T09:55:00.000Z',
  finishedAt: '2026-11-29T10:00:00.000Z',
  wallMs: 300_000,
  ran: 32,
  upToDate: 0,
  ok: true,
};
