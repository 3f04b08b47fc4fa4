import { describe, expect, it } from 'vitest';
import type { KubeObject } from './types.js';
import { APPLIED_HASH_ANNOTATION, appliedHash, firstDifference, judgeUnchanged, withAppliedHash } from './unchanged.js';

const configMap = (data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', namespace: 'n' },
  data,
});
const hashed = (o: KubeObject, manager = 'meshspec', force = false) => withAppliedHash(o, appliedHash(o, manager, force));
/** What the API server gives back: our fields plus bookkeeping and defaults. */
const served = (o: KubeObject, extra: Record<string, unknown> = {}): KubeObject => ({
  ...o,
  metadata: { ...o.metadata, uid: 'u', resourceVersion: '7', managedFields: [] },
  ...extra,
});

describe('appliedHash', () => {
  it('is stable across key order, and differs for another body, field manager or force', () => {
    const a = appliedHash(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { x: '1', y: '2' } },
      'meshspec',
      false,
    );
    const reordered = appliedHash(
      { kind: 'ConfigMap', data: { y: '2', x: '1' }, metadata: { namespace: 'n', name: 'c' }, apiVersion: 'v1' },
      'meshspec',
      false,
    );
    expect(reordered).toBe(a);
    expect(appliedHash(configMap({ x: '1', y: '3' }), 'meshspec', false)).not.toBe(a);
    expect(appliedHash(configMap({ x: '1', y: '2' }), 'other', false)).not.toBe(a);
    expect(appliedHash(configMap({ x: '1', y: '2' }), 'meshspec', true)).not.toBe(a);
  });

  it('ignores the hash annotation itself (the body sent carries it)', () => {
    const body = configMap({ x: '1' });
    const h = appliedHash(body, 'm', false);
    expect(appliedHash(withAppliedHash(body, h), 'm', false)).toBe(h);
    expect(withAppliedHash(body, h).metadata.annotations).toEqual({ [APPLIED_HASH_ANNOTATION]: h });
  });
});

describe('judgeUnchanged', () => {
  const body = hashed(configMap({ a: '1', b: '2' }));
  it.each<[string, KubeObject | undefined, boolean, RegExp?, boolean?]>([
    ['live equals the applied body plus server bookkeeping', served(body), true],
    ['object absent', undefined, false, /absent/, false],
    [
      'live has no hash (applied by someone else or an older meshspec)',
      served(configMap({ a: '1', b: '2' })),
      false,
      /never applied/,
      false,
    ],
    ['live hash from another configuration', served(hashed(configMap({ a: '1' }))), false, /configuration changed/, false],
    ['a field meshspec owns edited by someone else', served({ ...body, data: { a: '1', b: 'edited' } }), false, /data\.b/, true],
    ['a field meshspec owns removed by someone else', served({ ...body, data: { a: '1' } }), false, /data\.b/, true],
    ['a field added by someone else (not ours: left alone)', served({ ...body, data: { a: '1', b: '2', c: '3' } }), true],
  ])('%s', (_what, live, unchanged, reason, drift) => {
    const verdict = judgeUnchanged(body, live);
    expect(verdict.unchanged).toBe(unchanged);
    if (!verdict.unchanged) expect(verdict).toMatchObject({ reason: expect.stringMatching(reason!), drift });
  });

  it('a body without a hash (applied by a non-default field manager) is never judged unchanged', () => {
    const plain = configMap({ a: '1' });
    expect(judgeUnchanged(plain, served(plain)).unchanged).toBe(false);
  });

  it("compares a Secret's stringData with the base64 data the server stores", () => {
    const secret = hashed({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, stringData: { token: 'abc' } });
    const live = (token: string) =>
      ({ ...served(secret), stringData: undefined, data: { token: Buffer.from(token).toString('base64') } }) as KubeObject;
    expect(judgeUnchanged(secret, live('abc')).unchanged).toBe(true);
    expect(judgeUnchanged(secret, live('abd'))).toEqual({ unchanged: false, reason: 'live value differs at data.token', drift: true });
  });
});

describe('firstDifference', () => {
  it.each<[string, unknown, unknown, string | undefined]>([
    [
      'server-defaulted fields in list items are not drift',
      { ports: [{ port: 80 }] },
      { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] },
      undefined,
    ],
    ['a list item added by someone else is drift', { ports: [{ port: 80 }] }, { ports: [{ port: 80 }, { port: 81 }] }, 'ports'],
    [
      'a changed list item is drift, with its index',
      { ports: [{ port: 80 }, { port: 81 }] },
      { ports: [{ port: 80 }, { port: 82 }] },
      'ports[1].port',
    ],
    ['a number written as text is the same value', { limits: { cpu: 1 } }, { limits: { cpu: '1' } }, undefined],
    ['empty map / list / null match an absent field', { a: {}, b: [], c: null }, {}, undefined],
    ['an empty map does not match a filled one', { a: {} }, { a: { x: 1 } }, 'a'],
    ['a scalar replaced by a map', { a: 'x' }, { a: { b: 'x' } }, 'a'],
  ])('%s', (_what, want, live, path) => expect(firstDifference(want, live)).toBe(path));
});
