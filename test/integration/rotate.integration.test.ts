// `meshspec rotate` against the harness's real kube-apiservers: the objects a Linkerd install keeps its
// identity in (trust-roots ConfigMap, issuer Secret, control-plane Deployments) are created as `linkerd
// install` names and shapes them, plus a meshed workload; kwok rolls the Deployments out after every
// restart. Checked: each phase's objects, resuming after an interruption in each phase (the interruption
// is an error injected into the API client before one write, as a dropped connection would be), and the
// refusal when clusters disagree on the anchor.
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createKubeClientFactory,
  createLogger,
  createSecretStore,
  Session,
  type KubeClient,
  type KubeClientFactory,
  type KubeObject,
  type StatusLine,
} from '@meshspec/core';
import {
  ANCHOR_PHASES,
  CERT_FILES,
  fingerprintOf,
  generateTrustAnchor,
  issueIssuer,
  issuerCertOf,
  linkerdPlugin,
  PREVIOUS_ANCHOR,
  readProgress,
  RESTARTED_AT,
  ROTATION_FILE,
  type PemPair,
} from '@meshspec/plugin-linkerd';

const kubeconfig = inject('kubeconfig');
const contexts = inject('contexts');
const HOUR = 3_600_000;
const APP_NS = 'it-rotate-app';
const CONTROL_PLANE = ['linkerd-identity', 'linkerd-destination', 'linkerd-proxy-injector'];
const factory = createKubeClientFactory({ kubeconfigPath: kubeconfig });
const kubes = () => [factory.forContext(contexts[0]!), factory.forContext(contexts[1]!)] as const;

const deployment = (name: string, namespace: string, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name }, annotations },
      spec: { containers: [{ name: 'main', image: 'registry.k8s.io/pause:3.10' }] },
    },
  },
});

/** The identity objects of a Linkerd 2.13 install (names, keys and Secret scheme as `linkerd install` renders them). */
async function installIdentity(kube: KubeClient, anchors: string, issuer: PemPair, controlPlane: readonly string[]): Promise<void> {
  await kube.apply([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'linkerd' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: APP_NS } },
  ]);
  // The rotation skips control-plane Deployments that do not exist: fewer of them = fewer kwok rollouts.
  for (const d of CONTROL_PLANE.filter((d) => !controlPlane.includes(d))) await kube.delete('apps/v1', 'Deployment', d, 'linkerd');
  await kube.apply(
    [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'linkerd-identity-trust-roots', namespace: 'linkerd' },
        data: { 'ca-bundle.crt': anchors },
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'Opaque',
        metadata: { name: 'linkerd-identity-issuer', namespace: 'linkerd' },
        data: { 'crt.pem': Buffer.from(issuer.cert).toString('base64'), 'key.pem': Buffer.from(issuer.key.trim()).toString('base64') },
      },
      ...controlPlane.map((d) => deployment(d, 'linkerd')),
      deployment('app', APP_NS, { 'linkerd.io/inject': 'enabled' }),
      deployment('unmeshed', APP_NS),
    ],
    { force: true },
  );
  for (const d of controlPlane) await kube.waitForRollout('Deployment', d, 'linkerd', { timeoutMs: 120_000 });
}

const trustRoots = async (kube: KubeClient) =>
  ((await kube.get('v1', 'ConfigMap', 'linkerd-identity-trust-roots', 'linkerd'))?.['data'] as Record<string, string>)['ca-bundle.crt']!;
const anchorsIn = (pem: string) =>
  [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map((m) => fingerprintOf(m[0]));
const clusterIssuer = async (kube: KubeClient) => issuerCertOf(await kube.get('v1', 'Secret', 'linkerd-identity-issuer', 'linkerd'))!;
/** Restarted by this test? (restartedAt annotations of earlier tests stay on the shared Deployments.) */
const restartedSince = async (kube: KubeClient, name: string, ns: string, since: string) =>
  ((await restartedAt(kube, name, ns)) ?? '') > since;
const restartedAt = async (kube: KubeClient, name: string, ns: string) =>
  ((await kube.get('apps/v1', 'Deployment', name, ns))?.['spec'] as { template: { metadata: { annotations?: Record<string, string> } } })
    .template.metadata.annotations?.[RESTARTED_AT];
const signedBy = (cert: string, ca: string) => new X509Certificate(cert).verify(new X509Certificate(ca).publicKey);

/** A KubeClientFactory whose client for `context` throws once, before the first write `matches` selects. */
function interruptOnce(context: string, matches: (obj: KubeObject) => boolean): KubeClientFactory & { fired: () => boolean } {
  let fired = false;
  return {
    fired: () => fired,
    forContext(ctx) {
      const real = factory.forContext(ctx);
      if (ctx !== context) return real;
      return new Proxy(real, {
        get(target, prop, receiver) {
          if (prop !== 'apply') return Reflect.get(target, prop, receiver);
          return async (objects: KubeObject[], options?: object) => {
            if (!fired && Array.isArray(objects) && objects.some(matches)) {
              fired = true;
              throw new Error(
                `injected interruption before writing ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')} on ${ctx}`,
              );
            }
            return target.apply(objects, options);
          };
        },
      });
    },
  };
}

interface Mesh {
  dir: string;
  stateDir: string;
  anchor: PemPair;
  issuer: PemPair;
}

/** A fresh state dir holding the anchor + issuer, and both clusters installed with them. */
async function freshMesh(
  clusterAnchors?: (anchor: PemPair) => [string, string],
  controlPlane: readonly string[] = ['linkerd-identity'],
): Promise<Mesh> {
  const dir = mkdtempSync(join(tmpdir(), 'meshspec-it-rotate-'));
  const stateDir = join(dir, 'state');
  const anchor = await generateTrustAnchor(87_600 * HOUR);
  const issuer = await issueIssuer(anchor, 8_760 * HOUR);
  const secrets = createSecretStore(stateDir);
  await secrets.write(CERT_FILES.caCert, anchor.cert);
  await secrets.write(CERT_FILES.caKey, anchor.key);
  await secrets.write(CERT_FILES.issuerCert, issuer.cert);
  await secrets.write(CERT_FILES.issuerKey, issuer.key);
  const roots = clusterAnchors?.(anchor) ?? [anchor.cert, anchor.cert];
  const [east, west] = kubes();
  await Promise.all([installIdentity(east, roots[0], issuer, controlPlane), installIdentity(west, roots[1], issuer, controlPlane)]);
  writeFileSync(
    join(dir, 'topology.yaml'),
    `apiVersion: meshspec.dev/v1alpha1
kind: Topology
metadata: { name: it-rotate }
clusters:
  east: { context: ${contexts[0]} }
  west: { context: ${contexts[1]} }
linkerd:
  version: stable-2.13.3
`,
  );
  return { dir, stateDir, anchor, issuer };
}

async function rotate(mesh: Mesh, target: 'issuer' | 'trust-anchor', kube: KubeClientFactory = factory): Promise<StatusLine[]> {
  const session = await Session.open({
    file: join(mesh.dir, 'topology.yaml'),
    plugins: [linkerdPlugin],
    log: createLogger({ stream: { write: () => true } }),
    stateDir: mesh.stateDir,
    kube,
  });
  await session.prepare();
  return session.rotate(target);
}

const failed = (lines: StatusLine[]) => lines.filter((l) => !l.ok);

beforeAll(() => {
  expect(contexts.length, 'these tests need two clusters (MESHSPEC_IT_CLUSTERS >= 2)').toBeGreaterThanOrEqual(2);
  expect(
    inject('controllers'),
    'restarts must roll out: kube-controller-manager, kube-scheduler and kwok are needed (bash scripts/test-assets/provision.sh)',
  ).toBe(true);
});

// Linkerd's namespace is fixed and shared with linkerd.integration (files run one after another, in either
// order), which leaves its own control plane there and later expects every object it applies to be new:
// start from and leave behind no `linkerd` namespace, waiting until it is gone (a terminating namespace
// refuses new objects).
async function removeNamespaces(): Promise<void> {
  for (const kube of kubes()) {
    for (const ns of ['linkerd', APP_NS]) {
      await kube.delete('v1', 'Namespace', ns);
      await kube.waitFor('v1', 'Namespace', ns, undefined, (o) => o === undefined, {
        timeoutMs: 120_000,
        description: 'namespace deleted',
      });
    }
  }
}
beforeAll(removeNamespaces);
afterAll(removeNamespaces);

describe('meshspec rotate (real kube-apiservers, kwok rollouts)', () => {
  it('--issuer: a new issuer from the same anchor in every cluster, control planes restarted in order; an interruption resumes with the same issuer', async () => {
    const mesh = await freshMesh(undefined, CONTROL_PLANE);
    const [east, west] = kubes();
    const since = new Date().toISOString();
    // Interrupted before west's Secret: east is done, west still has the old issuer.
    const cut = interruptOnce(contexts[1]!, (o) => o.kind === 'Secret');
    const first = await rotate(mesh, 'issuer', cut);
    expect(cut.fired()).toBe(true);
    expect(failed(first).map((l) => l.detail)).toEqual([
      expect.stringContaining('injected interruption before writing Secret/linkerd-identity-issuer'),
    ]);
    const secrets = createSecretStore(mesh.stateDir);
    const newIssuer = (await secrets.read(CERT_FILES.issuerCert))!;
    expect(fingerprintOf(newIssuer)).not.toBe(fingerprintOf(mesh.issuer.cert));
    expect(signedBy(newIssuer, mesh.anchor.cert)).toBe(true);
    expect(fingerprintOf(await clusterIssuer(east))).toBe(fingerprintOf(newIssuer));
    expect(fingerprintOf(await clusterIssuer(west))).toBe(fingerprintOf(mesh.issuer.cert));
    expect(readProgress(mesh.stateDir)).toMatchObject({ target: 'issuer', fingerprint: fingerprintOf(newIssuer), done: ['issuer@east'] });
    const eastRestart = await restartedAt(east, 'linkerd-identity', 'linkerd');
    expect(await restartedSince(east, 'linkerd-identity', 'linkerd', since)).toBe(true);
    expect(await restartedSince(west, 'linkerd-identity', 'linkerd', since)).toBe(false);
    // identity, then destination, then the injector: each restarted after the previous one (ISO times sort).
    const order = await Promise.all(CONTROL_PLANE.map((d) => restartedAt(east, d, 'linkerd')));
    expect([...order].sort()).toEqual(order);

    const second = await rotate(mesh, 'issuer');
    expect(failed(second)).toEqual([]);
    expect(second[0]!.detail).toMatch(/^continuing the rotation started .* \(1\/2 clusters done\)$/);
    expect(await secrets.read(CERT_FILES.issuerCert)).toBe(newIssuer);
    expect(fingerprintOf(await clusterIssuer(west))).toBe(fingerprintOf(newIssuer));
    expect(await restartedAt(east, 'linkerd-identity', 'linkerd')).toBe(eastRestart);
    expect(await restartedSince(west, 'linkerd-identity', 'linkerd', since)).toBe(true);
    expect(existsSync(join(mesh.stateDir, ROTATION_FILE))).toBe(false);
    // Trust roots untouched by an issuer rotation.
    expect(anchorsIn(await trustRoots(west))).toEqual([fingerprintOf(mesh.anchor.cert)]);

    // status shows the new expiry from each cluster's Secret.
    const session = await Session.open({
      file: join(mesh.dir, 'topology.yaml'),
      plugins: [linkerdPlugin],
      log: createLogger({ stream: { write: () => true } }),
      stateDir: mesh.stateDir,
      kube: factory,
    });
    const status = (await (await session.prepare()).status()).filter((l) => l.name === 'linkerd issuer in cluster');
    const until = new X509Certificate(newIssuer).validTo;
    expect(status.map((l) => [l.cluster, l.ok])).toEqual([
      ['east', true],
      ['west', true],
    ]);
    expect(status[0]!.detail).toContain(`issuer valid until ${new Date(until).toISOString()}`);
  });

  it('--trust-anchor refuses when the clusters disagree on the current anchor, and changes nothing', async () => {
    const stranger = await generateTrustAnchor(87_600 * HOUR);
    const mesh = await freshMesh((anchor) => [anchor.cert, stranger.cert]);
    const lines = await rotate(mesh, 'trust-anchor');
    expect(failed(lines)).toHaveLength(1);
    expect(lines[0]!.detail).toMatch(
      /^clusters disagree on the current trust anchor \(east: 1 anchor\(s\) incl\. meshspec's; west: 1 anchor\(s\), not meshspec's\)/,
    );
    expect(readProgress(mesh.stateDir)).toBeUndefined();
    const [east, west] = kubes();
    expect(anchorsIn(await trustRoots(east))).toEqual([fingerprintOf(mesh.anchor.cert)]);
    expect(anchorsIn(await trustRoots(west))).toEqual([fingerprintOf(stranger.cert)]);
  });

  // One interruption per phase, on the second cluster, before that phase's first write there.
  const cuts: Record<(typeof ANCHOR_PHASES)[number], (o: KubeObject) => boolean> = {
    bundle: (o) => o.kind === 'ConfigMap' && anchorsIn(((o['data'] as Record<string, string>) ?? {})['ca-bundle.crt'] ?? '').length === 2,
    'restart-for-bundle': (o) => o.kind === 'Deployment' && o.metadata.name === 'app',
    issuer: (o) => o.kind === 'Secret',
    'restart-for-issuer': (() => {
      let appRestarts = 0;
      return (o: KubeObject) => o.kind === 'Deployment' && o.metadata.name === 'app' && ++appRestarts === 2;
    })(),
    'remove-old': (o) =>
      o.kind === 'ConfigMap' && anchorsIn(((o['data'] as Record<string, string>) ?? {})['ca-bundle.crt'] ?? '').length === 1,
  };

  it.each(ANCHOR_PHASES.map((phase, i) => ({ phase, i })))(
    '--trust-anchor: interrupted in phase $phase on west, resumed by the next rotate',
    async ({ phase, i }) => {
      const mesh = await freshMesh();
      const [east, west] = kubes();
      const since = new Date().toISOString();
      const oldFp = fingerprintOf(mesh.anchor.cert);
      const cut = interruptOnce(contexts[1]!, cuts[phase]);
      const first = await rotate(mesh, 'trust-anchor', cut);
      expect(cut.fired(), `the interruption for phase ${phase} never fired`).toBe(true);
      expect(failed(first)).toHaveLength(1);
      const progress = readProgress(mesh.stateDir)!;
      // Every earlier phase is done on both clusters, this one on east only.
      expect(progress.done).toEqual([...ANCHOR_PHASES.slice(0, i).flatMap((p) => [`${p}@east`, `${p}@west`]), `${phase}@east`]);
      const newFp = progress.fingerprint;

      // The objects at the interruption.
      const issuerChanged = async (kube: KubeClient) => fingerprintOf(await clusterIssuer(kube)) !== fingerprintOf(mesh.issuer.cert);
      if (phase === 'bundle') {
        expect(anchorsIn(await trustRoots(east))).toEqual([oldFp, newFp]);
        expect(anchorsIn(await trustRoots(west))).toEqual([oldFp]);
      }
      if (i <= ANCHOR_PHASES.indexOf('issuer')) {
        // No issuer changes anywhere before every cluster trusts both anchors... and west none before its turn.
        expect(await issuerChanged(west)).toBe(false);
        expect(await issuerChanged(east)).toBe(phase === 'issuer');
      }
      if (phase === 'restart-for-bundle') {
        expect(await restartedSince(east, 'app', APP_NS, since)).toBe(true);
        expect(await restartedSince(west, 'app', APP_NS, since)).toBe(false);
        expect(await restartedAt(east, 'unmeshed', APP_NS)).toBeUndefined();
      }
      if (phase === 'remove-old') {
        expect(anchorsIn(await trustRoots(east))).toEqual([newFp]);
        expect(anchorsIn(await trustRoots(west))).toEqual([oldFp, newFp]);
      }

      const second = await rotate(mesh, 'trust-anchor');
      expect(failed(second)).toEqual([]);
      expect(second[0]!.detail).toMatch(/^continuing the rotation started /);
      // Finished: only the new anchor everywhere, issuers from it, local files swapped, progress gone.
      const secrets = createSecretStore(mesh.stateDir);
      const anchor = (await secrets.read(CERT_FILES.caCert))!;
      expect(fingerprintOf(anchor)).toBe(newFp);
      expect(fingerprintOf((await secrets.read(PREVIOUS_ANCHOR.cert))!)).toBe(oldFp);
      for (const kube of [east, west]) {
        expect(anchorsIn(await trustRoots(kube))).toEqual([newFp]);
        const issuer = await clusterIssuer(kube);
        expect(signedBy(issuer, anchor)).toBe(true);
        expect(fingerprintOf(issuer)).toBe(fingerprintOf((await secrets.read(CERT_FILES.issuerCert))!));
        expect(await restartedSince(kube, 'app', APP_NS, since)).toBe(true);
        expect(await restartedSince(kube, 'linkerd-identity', 'linkerd', since)).toBe(true);
        expect(await restartedAt(kube, 'unmeshed', APP_NS)).toBeUndefined();
      }
      expect(readProgress(mesh.stateDir)).toBeUndefined();
    },
    400_000,
  );
});
