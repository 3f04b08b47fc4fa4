import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultStateDir, fingerprint, stableStringify, StateStore } from './state-store.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'meshspec-state-'));

describe('StateStore', () => {
  it('defaults next to the topology file, one dir per topology name', () => {
    expect(defaultStateDir('/srv/mesh/topology.yaml', 'linkerd-multicluster')).toBe('/srv/mesh/.meshspec/linkerd-multicluster');
  });

  it('creates the state dir with mode 0700, tightening an existing one', async () => {
    const dir = join(tmp(), 'st');
    await StateStore.open(dir, 't');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('writes state.json after every record and reads it back', async () => {
    const dir = tmp();
    const store = await StateStore.open(dir, 'demo');
    await store.record('kind:network', { fingerprint: 'f1', outputs: { subnet: '172.18.0.0/16' } });
    const onDisk = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(onDisk).toMatchObject({
      version: 1,
      topology: 'demo',
      steps: { 'kind:network': { fingerprint: 'f1', outputs: { subnet: '172.18.0.0/16' } } },
    });
    expect(Date.parse(onDisk.steps['kind:network'].completedAt)).not.toBeNaN();
    const again = await StateStore.open(dir, 'demo');
    expect(again.get('kind:network')?.outputs).toEqual({ subnet: '172.18.0.0/16' });
    await again.remove('kind:network');
    expect((await StateStore.open(dir, 'demo')).ids()).toEqual([]);
  });

  it('never leaves a half-written state.json or temp files behind, even with concurrent saves', async () => {
    const dir = tmp();
    const store = await StateStore.open(dir, 'demo');
    await Promise.all(
      Array.from({ length: 25 }, (_, i) => store.record(`s:${i}`, { fingerprint: `f${i}`, outputs: { big: 'x'.repeat(5000) } })),
    );
    expect(readdirSync(dir)).toEqual(['state.json']);
    // The last save holds every record: saves are ordered, an older snapshot never wins.
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')).steps)).toHaveLength(25);
    expect(statSync(join(dir, 'state.json')).mode & 0o777).toBe(0o600);
  });

  it('refuses a corrupt file or another topology with a way out', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'state.json'), '{"version":1,');
    await expect(StateStore.open(dir, 'demo')).rejects.toThrow(/is not valid JSON .*move it aside/);
    writeFileSync(join(dir, 'state.json'), JSON.stringify({ version: 1, topology: 'other', steps: {} }));
    await expect(StateStore.open(dir, 'demo')).rejects.toThrow('belongs to topology "other", not "demo"');
  });
});

describe('fingerprint', () => {
  it('is stable under key order and falls back to plan', () => {
    const a = fingerprint({ id: 's', inputs: { b: 1, a: { y: 2, x: [1, 2] } } });
    const b = fingerprint({ id: 's', inputs: { a: { x: [1, 2], y: 2 }, b: 1 } });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(fingerprint({ id: 's', inputs: { b: 2 } })).not.toBe(fingerprint({ id: 's', inputs: { b: 1 } }));
    expect(fingerprint({ id: 's', plan: ['kind create cluster'] })).toBe(fingerprint({ id: 's', inputs: ['kind create cluster'] }));
    expect(fingerprint({ id: 's', plan: ['x'] })).not.toBe(fingerprint({ id: 't', plan: ['x'] }));
    expect(stableStringify({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });
});
