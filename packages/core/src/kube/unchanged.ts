// Deciding, without a write, that a server-side apply would change nothing. Pure: the client lists the
// live objects and asks here. Two checks, both needed:
// - the applied-configuration hash kept on the object (annotation) equals the hash of what we would send
//   now — catches a changed manifest, including a field we stopped sending (the live object still has it,
//   so comparing values alone would miss that SSA must remove it);
// - every value we send is still the live value — catches drift by someone else (`kubectl edit` of a
//   field meshspec owns leaves our hash in place but changes the value).
// When in doubt the answer is "patch": a false "changed" costs one PATCH (what every apply cost before),
// a false "unchanged" would leave drift unrepaired.
import { crypto } from '../lazy-crypto.js';
import type { KubeObject } from './types.js';

/** Annotation carrying the hash of the configuration meshspec last applied to the object. */
export const APPLIED_HASH_ANNOTATION = 'meshspec.dev/applied-hash';

/**
 * Hash of an apply: the body as it will be sent (without the hash annotation itself), the field manager
 * (another manager applying the same body must still take ownership) and whether conflicts are forced.
 */
export function appliedHash(body: KubeObject, fieldManager: string, force: boolean): string {
  const { [APPLIED_HASH_ANNOTATION]: _h, ...annotations } = body.metadata.annotations ?? {};
  const metadata = { ...body.metadata, annotations };
  const text = stableJson({ body: { ...body, metadata }, fieldManager, force });
  return `sha256:${crypto().createHash('sha256').update(text).digest('base64url')}`;
}

/** The body with the hash annotation set (what the apply sends). */
export function withAppliedHash(body: KubeObject, hash: string): KubeObject {
  return { ...body, metadata: { ...body.metadata, annotations: { ...body.metadata.annotations, [APPLIED_HASH_ANNOTATION]: hash } } };
}

/**
 * `drift`: meshspec's last apply was this very configuration and someone else has since changed a value
 * in it (e.g. `kubectl edit`); the apply that repairs it must force, since the edit moved the field's
 * ownership to the editor and a plain apply would be refused as a conflict.
 */
export type Verdict = { unchanged: true } | { unchanged: false; reason: string; drift: boolean };

/** Would applying `body` (carrying its hash annotation) to `live` change nothing? */
export function judgeUnchanged(body: KubeObject, live: KubeObject | undefined): Verdict {
  if (!live) return { unchanged: false, reason: 'absent', drift: false };
  const want = body.metadata.annotations?.[APPLIED_HASH_ANNOTATION];
  const have = live.metadata.annotations?.[APPLIED_HASH_ANNOTATION];
  if (!want || want !== have)
    return { unchanged: false, reason: have ? 'configuration changed' : 'never applied by meshspec', drift: false };
  const { data: _d, stringData, ...rest } = body as KubeObject & { data?: unknown; stringData?: Record<string, string> };
  const path = firstDifference(body.kind === 'Secret' && stringData ? rest : body, live);
  if (path !== undefined) return { unchanged: false, reason: `live value differs at ${path || '(root)'}`, drift: true };
  if (body.kind === 'Secret') {
    // The API server stores stringData base64-encoded in data; compare the merged data.
    const data = { ...((body as { data?: Record<string, string> }).data ?? {}) };
    for (const [k, v] of Object.entries(stringData ?? {})) data[k] = Buffer.from(v, 'utf8').toString('base64');
    const secretPath = firstDifference(data, (live as { data?: unknown }).data ?? {}, 'data');
    if (secretPath !== undefined) return { unchanged: false, reason: `live value differs at ${secretPath}`, drift: true };
  }
  return { unchanged: true };
}

/**
 * Path of the first value in `want` that `live` does not have, or undefined when `live` contains all of
 * `want`. Maps: every key of want must match (live may have more: server defaults, other managers'
 * fields, status). Lists: same length, element by element (server defaulting adds fields to list
 * items, e.g. a Service port's protocol, but does not add or reorder items). Scalars: equal as text
 * (a quantity or port written as a number comes back as the same number; `1` vs `"1"` is not drift).
 * null/empty maps/empty lists in want match an absent live value (the server drops them).
 */
export function firstDifference(want: unknown, live: unknown, path = ''): string | undefined {
  if (isEmpty(want)) return isEmpty(live) ? undefined : path;
  if (Array.isArray(want)) {
    if (!Array.isArray(live) || live.length !== want.length) return path;
    for (const [i, item] of want.entries()) {
      const diff = firstDifference(item, live[i], `${path}[${i}]`);
      if (diff !== undefined) return diff;
    }
    return undefined;
  }
  if (typeof want === 'object') {
    if (!live || typeof live !== 'object' || Array.isArray(live)) return path;
    for (const [k, v] of Object.entries(want as Record<string, unknown>)) {
      const diff = firstDifference(v, (live as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      if (diff !== undefined) return diff;
    }
    return undefined;
  }
  if (live === undefined || live === null || typeof live === 'object') return path;
  return String(want) === String(live) ? undefined : path;
}

function isEmpty(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v).length === 0;
}

export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
