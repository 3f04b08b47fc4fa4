// `meshspec rotate --issuer | --trust-anchor` for Linkerd, after Linkerd's manual rotation procedure
// ("Manually rotating control plane TLS credentials"): the issuer Secret and the trust-roots ConfigMap are
// written directly (no `linkerd upgrade`, which would re-render and re-key the whole control plane), and
// workloads are restarted like `kubectl rollout restart`. Every unit of work (a phase on one cluster) is
// recorded in the state dir, so an interrupted rotation continues where it stopped.
import type { KubeClient, StatusLine, StepContext, Topology } from '@meshspec/core/plugin';
import { durationMs } from '../duration.js';
import { CERT_FILES, certificatesIn, fingerprintOf, isSignedBy, notAfterOf } from '../identity.js';
import { registerKeyPem } from '../redaction.js';
import { withDefaults, type LinkerdSection } from '../schema.js';
import { CONTROL_PLANE_DEPLOYMENTS, LINKERD_NAMESPACE } from '../steps.js';
import {
  bundle,
  ISSUER_SECRET,
  issuerSecret,
  restartPatch,
  ROTATE_FIELD_MANAGER,
  TRUST_ROOTS_CONFIGMAP,
  TRUST_ROOTS_KEY,
  trustRootsConfigMap,
} from './objects.js';
import { clearProgress, readProgress, writeProgress, type RotationProgress } from './progress.js';

/** Where the next trust anchor waits while a rotation runs; the previous one is kept after it. */
export const NEXT_ANCHOR = { cert: 'linkerd-ca-next.crt', key: 'linkerd-ca-next.key' } as const;
export const PREVIOUS_ANCHOR = { cert: 'linkerd-ca-previous.crt', key: 'linkerd-ca-previous.key' } as const;
const ROLLOUT_TIMEOUT_MS = 5 * 60_000;
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;

export class RotationRefused extends Error {
  override name = 'RotationRefused';
}

type Ctx = StepContext & { target: string };

export async function linkerdRotate(topology: Topology, raw: LinkerdSection | undefined, ctx: Ctx): Promise<StatusLine[] | undefined> {
  if (ctx.target !== 'issuer' && ctx.target !== 'trust-anchor') return undefined;
  if (raw === undefined) return undefined;
  const section = withDefaults(raw);
  const clusters = Object.keys(topology.clusters);
  const progress = readProgress(ctx.stateDir);
  if (progress && progress.target !== ctx.target) {
    throw new RotationRefused(
      `a ${progress.target} rotation started ${progress.startedAt} is not finished: run meshspec rotate --${progress.target} first (it continues where it stopped)`,
    );
  }
  return ctx.target === 'issuer'
    ? rotateIssuer(clusters, section.issuerValidity, ctx, progress)
    : rotateTrustAnchor(clusters, section, ctx, progress);
}

// ---- shared pieces ----

async function readPair(ctx: Ctx, names: { cert: string; key: string }): Promise<{ cert: string; key: string } | undefined> {
  const [cert, key] = await Promise.all([ctx.secrets.read(names.cert), ctx.secrets.read(names.key)]);
  registerKeyPem(key);
  return cert && key ? { cert, key } : undefined;
}

async function trustRootsOf(kube: KubeClient): Promise<string | undefined> {
  const cm = await kube.get('v1', 'ConfigMap', TRUST_ROOTS_CONFIGMAP, LINKERD_NAMESPACE);
  return (cm?.['data'] as Record<string, string> | undefined)?.[TRUST_ROOTS_KEY];
}

/** Patches restartedAt onto a workload and waits for its rollout (what `kubectl rollout restart` + `status` do). */
async function restart(kube: KubeClient, kind: (typeof WORKLOAD_KINDS)[number], name: string, namespace: string, ctx: Ctx): Promise<void> {
  if (!(await kube.get('apps/v1', kind, name, namespace))) return;
  await kube.apply([restartPatch(kind, name, namespace, new Date().toISOString())], {
    fieldManager: ROTATE_FIELD_MANAGER,
    force: true,
    signal: ctx.signal,
  });
  await kube.waitForRollout(kind, name, namespace, { timeoutMs: ROLLOUT_TIMEOUT_MS, signal: ctx.signal });
}

/** Identity first (it signs), then destination and the injector: one at a time, each rolled out before the next. */
async function restartControlPlane(kube: KubeClient, ctx: Ctx): Promise<void> {
  for (const d of CONTROL_PLANE_DEPLOYMENTS) await restart(kube, 'Deployment', d, LINKERD_NAMESPACE, ctx);
}

/** Meshed workloads: pod template or namespace annotated `linkerd.io/inject: enabled` (the control plane excluded). */
export async function meshedWorkloads(
  kube: KubeClient,
): Promise<{ kind: (typeof WORKLOAD_KINDS)[number]; name: string; namespace: string }[]> {
  const injectedNamespaces = new Set(
    (await kube.list('v1', 'Namespace'))
      .filter((n) => n.metadata.annotations?.['linkerd.io/inject'] === 'enabled')
      .map((n) => n.metadata.name),
  );
  const found: { kind: (typeof WORKLOAD_KINDS)[number]; name: string; namespace: string }[] = [];
  for (const kind of WORKLOAD_KINDS) {
    for (const w of await kube.list('apps/v1', kind)) {
      const ns = w.metadata.namespace ?? 'default';
      if (ns === LINKERD_NAMESPACE) continue;
      const inject = ((w['spec'] as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined)?.template?.metadata
        ?.annotations ?? {})['linkerd.io/inject'];
      if (inject === 'enabled' || (inject !== 'disabled' && injectedNamespaces.has(ns)))
        found.push({ kind, name: w.metadata.name, namespace: ns });
    }
  }
  return found;
}

async function restartDataPlane(kube: KubeClient, ctx: Ctx): Promise<number> {
  const workloads = await meshedWorkloads(kube);
  for (const w of workloads) await restart(kube, w.kind, w.name, w.namespace, ctx);
  return workloads.length;
}

async function writeIssuer(kube: KubeClient, issuer: { cert: string; key: string }, anchorsPem: string, ctx: Ctx): Promise<void> {
  const existing = await kube.get('v1', 'Secret', ISSUER_SECRET, LINKERD_NAMESPACE);
  if (!existing)
    throw new RotationRefused(
      `no Secret ${LINKERD_NAMESPACE}/${ISSUER_SECRET} on context ${kube.context}: Linkerd is not installed there (run meshspec apply)`,
    );
  await kube.apply([issuerSecret(existing, LINKERD_NAMESPACE, issuer, anchorsPem)], { force: true, signal: ctx.signal });
}

const days = (certPem: string) => Math.floor((notAfterOf(certPem).getTime() - Date.now()) / 86_400_000);

// ---- --issuer ----

async function rotateIssuer(
  clusters: string[],
  issuerValidity: string,
  ctx: Ctx,
  resumed: RotationProgress | undefined,
): Promise<StatusLine[]> {
  const anchor = await readPair(ctx, { cert: CERT_FILES.caCert, key: CERT_FILES.caKey });
  if (!anchor)
    throw new RotationRefused(
      `no trust anchor (${CERT_FILES.caCert} + ${CERT_FILES.caKey}) in ${ctx.secrets.dir}: the issuer can only be rotated by the anchor's owner`,
    );
  const lines: StatusLine[] = [];
  let progress = resumed;
  let issuer = await readPair(ctx, { cert: CERT_FILES.issuerCert, key: CERT_FILES.issuerKey });
  if (progress && issuer && fingerprintOf(issuer.cert) === progress.fingerprint) {
    lines.push({
      name: 'linkerd rotate --issuer',
      ok: true,
      level: 'ok',
      detail: `continuing the rotation started ${progress.startedAt} (${progress.done.length}/${clusters.length} clusters done)`,
    });
  } else {
    // Every cluster must already trust our anchor, or a new issuer from it would break that cluster.
    for (const c of clusters) {
      const roots = await trustRootsOf(ctx.kube(c));
      if (!roots || !certificatesIn(roots).includes(certificatesIn(anchor.cert)[0]!)) {
        throw new RotationRefused(
          `cluster ${c} does not trust meshspec's trust anchor (${CERT_FILES.caCert}): an issuer from it would break ${c}; check meshspec status`,
        );
      }
    }
    const { issueIssuer } = await import('../certs.js');
    issuer = await issueIssuer(anchor, durationMs(issuerValidity));
    registerKeyPem(issuer.key);
    await ctx.secrets.write(CERT_FILES.issuerCert, issuer.cert);
    await ctx.secrets.write(CERT_FILES.issuerKey, issuer.key);
    progress = { target: 'issuer', startedAt: new Date().toISOString(), fingerprint: fingerprintOf(issuer.cert), done: [] };
    writeProgress(ctx.stateDir, progress);
    lines.push({
      name: 'linkerd issuer',
      ok: true,
      level: 'ok',
      detail: `new issuer from the same trust anchor, valid ${days(issuer.cert)} days (until ${notAfterOf(issuer.cert).toISOString()})`,
    });
  }
  for (const c of clusters) {
    const unit = `issuer@${c}`;
    if (progress.done.includes(unit)) continue;
    ctx.progress(`${c}: issuer secret, then restarting the control plane`);
    const kube = ctx.kube(c);
    await writeIssuer(kube, issuer, anchor.cert, ctx);
    await restartControlPlane(kube, ctx);
    progress.done.push(unit);
    writeProgress(ctx.stateDir, progress);
    lines.push({
      cluster: c,
      name: 'linkerd issuer',
      ok: true,
      level: 'ok',
      detail: `${ISSUER_SECRET} replaced; ${CONTROL_PLANE_DEPLOYMENTS.join(', ')} restarted in order`,
    });
  }
  clearProgress(ctx.stateDir);
  lines.push({
    name: 'linkerd rotate --issuer',
    ok: true,
    level: 'ok',
    detail: `done: proxies get certificates from the new issuer as theirs renew (within 24 h), or at once after a restart`,
  });
  return lines;
}

// ---- --trust-anchor ----

/** The phases, in order; each runs on every cluster before the next starts. */
export const ANCHOR_PHASES = ['bundle', 'restart-for-bundle', 'issuer', 'restart-for-issuer', 'remove-old'] as const;
export type AnchorPhase = (typeof ANCHOR_PHASES)[number];

async function rotateTrustAnchor(
  clusters: string[],
  section: ReturnType<typeof withDefaults>,
  ctx: Ctx,
  resumed: RotationProgress | undefined,
): Promise<StatusLine[]> {
  const lines: StatusLine[] = [];
  let progress = resumed;
  let old = await readPair(ctx, { cert: CERT_FILES.caCert, key: CERT_FILES.caKey });
  let next = await readPair(ctx, NEXT_ANCHOR);
  if (progress && next && fingerprintOf(next.cert) === progress.fingerprint) {
    lines.push({
      name: 'linkerd rotate --trust-anchor',
      ok: true,
      level: 'ok',
      detail: `continuing the rotation started ${progress.startedAt}: ${progress.done.length}/${ANCHOR_PHASES.length * clusters.length} steps done`,
    });
  } else {
    if (!old)
      throw new RotationRefused(
        `no trust anchor (${CERT_FILES.caCert} + ${CERT_FILES.caKey}) in ${ctx.secrets.dir}: nothing to rotate from`,
      );
    // Refuse when the clusters do not agree on the current anchor: the bundle would leave some of them
    // trusting an anchor nobody issues from (or not trusting the one that does).
    const seen = new Map<string, string[]>();
    for (const c of clusters) {
      const roots = await trustRootsOf(ctx.kube(c));
      const key = roots ? certificatesIn(roots).sort().join('|') : '(none)';
      seen.set(key, [...(seen.get(key) ?? []), c]);
    }
    const ours = certificatesIn(old.cert)[0]!;
    if (seen.size > 1 || ![...seen.keys()][0]!.split('|').includes(ours)) {
      const groups = [...seen.entries()].map(
        ([key, cs]) =>
          `${cs.join(', ')}: ${key === '(none)' ? 'no trust roots' : `${key.split('|').length} anchor(s)${key.split('|').includes(ours) ? " incl. meshspec's" : ", not meshspec's"}`}`,
      );
      throw new RotationRefused(
        `clusters disagree on the current trust anchor (${groups.join('; ')}): run meshspec apply (or fix the odd cluster) until meshspec status shows one shared anchor, then rotate`,
      );
    }
    const { generateTrustAnchor } = await import('../certs.js');
    next = await generateTrustAnchor(durationMs(section.trustAnchorValidity));
    registerKeyPem(next.key);
    await ctx.secrets.write(NEXT_ANCHOR.cert, next.cert);
    await ctx.secrets.write(NEXT_ANCHOR.key, next.key);
    progress = { target: 'trust-anchor', startedAt: new Date().toISOString(), fingerprint: fingerprintOf(next.cert), done: [] };
    writeProgress(ctx.stateDir, progress);
    lines.push({
      name: 'linkerd trust anchor',
      ok: true,
      level: 'ok',
      detail: `new trust anchor generated (valid ${days(next.cert)} days); rolling it out in ${ANCHOR_PHASES.length} phases`,
    });
  }
  // After the swap (below) the old anchor lives in PREVIOUS_ANCHOR; before it, in the main files.
  if (!old || fingerprintOf(old.cert) === progress.fingerprint) old = await readPair(ctx, PREVIOUS_ANCHOR);
  if (!old)
    throw new RotationRefused(
      `the previous trust anchor is missing from ${ctx.secrets.dir} (${CERT_FILES.caCert} or ${PREVIOUS_ANCHOR.cert}): cannot continue the rotation safely`,
    );
  const current = next;

  for (const phase of ANCHOR_PHASES) {
    if (phase === 'issuer') await issuerFromNewAnchor(current, section.issuerValidity, ctx);
    for (const c of clusters) {
      const unit = `${phase}@${c}`;
      if (progress.done.includes(unit)) continue;
      ctx.progress(`${c}: ${phase}`);
      const kube = ctx.kube(c);
      const detail = await runPhase(phase, kube, old.cert, current, ctx);
      progress.done.push(unit);
      writeProgress(ctx.stateDir, progress);
      lines.push({ cluster: c, name: `trust anchor: ${phase}`, ok: true, level: 'ok', detail });
    }
  }
  // The new anchor becomes the anchor; the old one is kept beside it for reference/backups.
  const storedAnchor = await ctx.secrets.read(CERT_FILES.caCert);
  if (storedAnchor && fingerprintOf(storedAnchor) !== progress.fingerprint) {
    await ctx.secrets.write(PREVIOUS_ANCHOR.cert, old.cert);
    await ctx.secrets.write(PREVIOUS_ANCHOR.key, old.key);
  }
  await ctx.secrets.write(CERT_FILES.caCert, current.cert);
  await ctx.secrets.write(CERT_FILES.caKey, current.key);
  clearProgress(ctx.stateDir);
  lines.push({
    name: 'linkerd rotate --trust-anchor',
    ok: true,
    level: 'ok',
    detail: `done: every cluster trusts only the new anchor; the old one is kept as ${PREVIOUS_ANCHOR.cert} (back up ${CERT_FILES.caKey})`,
  });
  return lines;
}

/** A new issuer signed by the new anchor, once (kept across an interruption: reused when already signed by it). */
async function issuerFromNewAnchor(anchor: { cert: string; key: string }, validity: string, ctx: Ctx): Promise<void> {
  const stored = await readPair(ctx, { cert: CERT_FILES.issuerCert, key: CERT_FILES.issuerKey });
  if (stored && (await isSignedBy(stored.cert, anchor.cert))) return;
  const { issueIssuer } = await import('../certs.js');
  const issuer = await issueIssuer(anchor, durationMs(validity));
  registerKeyPem(issuer.key);
  await ctx.secrets.write(CERT_FILES.issuerCert, issuer.cert);
  await ctx.secrets.write(CERT_FILES.issuerKey, issuer.key);
}

async function runPhase(
  phase: AnchorPhase,
  kube: KubeClient,
  oldAnchor: string,
  next: { cert: string; key: string },
  ctx: Ctx,
): Promise<string> {
  switch (phase) {
    case 'bundle':
      await kube.apply([trustRootsConfigMap(LINKERD_NAMESPACE, [oldAnchor, next.cert])], { force: true, signal: ctx.signal });
      await restartControlPlane(kube, ctx);
      return `${TRUST_ROOTS_CONFIGMAP} holds old + new anchor; control plane restarted`;
    case 'restart-for-bundle':
      return `${await restartDataPlane(kube, ctx)} meshed workloads restarted (proxies now trust both anchors)`;
    case 'issuer': {
      const issuer = (await readPair(ctx, { cert: CERT_FILES.issuerCert, key: CERT_FILES.issuerKey }))!;
      await writeIssuer(kube, issuer, bundle([oldAnchor, next.cert]), ctx);
      await restartControlPlane(kube, ctx);
      return `${ISSUER_SECRET} now signed by the new anchor; control plane restarted`;
    }
    case 'restart-for-issuer':
      return `${await restartDataPlane(kube, ctx)} meshed workloads restarted (proxies hold certificates from the new issuer)`;
    case 'remove-old':
      await kube.apply([trustRootsConfigMap(LINKERD_NAMESPACE, [next.cert])], { force: true, signal: ctx.signal });
      await restartControlPlane(kube, ctx);
      await restartDataPlane(kube, ctx);
      return `old anchor removed from ${TRUST_ROOTS_CONFIGMAP}; control plane and meshed workloads restarted`;
  }
}
