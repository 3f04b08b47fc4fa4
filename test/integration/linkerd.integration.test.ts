// Linkerd against real kube-apiservers with the real `linkerd` CLI when one is provided
// (TEST_ASSET_LINKERD, or `linkerd` in scripts/test-assets' bin dir), else the FAKE linkerd CLI from
// test/fake-toolchain (the Go module proxy refuses github.com/linkerd/linkerd2, so the real CLI cannot be
// built here); the test names say which ran. Checked: meshspec's certificates pass the CLI's issuer/anchor
// validation and bad issuers are refused, the rendered manifests apply server-side through core's
// KubeClient (CRDs Established), the plugin's steps run end to end through core's engine (kwok makes the
// control-plane Deployments roll out; the test plays MetalLB for the gateway), and `status()` reads the
// trust roots back from the cluster.
// Cluster use: contexts[1] gets the install driven by hand (CLI argv written out in the test), contexts[0]
// the install by the plugin's steps; both use Linkerd's fixed namespaces, so each cluster gets one install.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSecretStore, StateStore, type KubeClient, type KubeObject, type Session } from '@meshspec/core';
import {
  CERT_FILES,
  ensureLinkerdCertificates,
  fingerprintOf,
  GATEWAY_SERVICE,
  generateTrustAnchor,
  issueIssuer,
  LINKERD_NAMESPACE,
  linkerdPlugin,
  linkerdStatus,
  MULTICLUSTER_NAMESPACE,
  type LinkerdSection,
} from '@meshspec/plugin-linkerd';
import { chooseLinkerdCli } from './fixtures/linkerd-cli.js';
import { rawRequest } from './harness/raw-request.js';
import { createRealDrivers, openTopology, StepRunner, type RealDrivers } from './fixtures/real-steps.js';

const kubeconfig = inject('kubeconfig');
const contexts = inject('contexts');
const LINKERD_VERSION = 'stable-2.13.3';
const HOUR = 3_600_000;
const CERT_OPTIONS = { trustAnchorValidityMs: 87_600 * HOUR, issuerValidityMs: 8_760 * HOUR, issuerRenewBeforeMs: 720 * HOUR };
/** The gateway address the test assigns as MetalLB would (inside the plugins test's automatic pool area). */
const GATEWAY_IP = '172.18.255.250';

/** Chosen at collection time so the describe name can say which CLI runs. */
const cli = chooseLinkerdCli(inject('binDir'));

function topologyYaml(name: string, cluster: string, context: string, cli: string, section: string): string {
  return `apiVersion: meshspec.dev/v1alpha1
kind: Topology
metadata: { name: ${name} }
clusters:
  ${cluster}: { context: ${context} }
linkerd:
  version: ${LINKERD_VERSION}
  cliPath: ${cli}
  viz: false
${section}`;
}

const linkerd = cli.path;
let drivers: RealDrivers;
const kubes = new Map<string, KubeClient>();
const kubeFor = (context: string) => {
  let k = kubes.get(context);
  if (!k) kubes.set(context, (k = drivers.kube.forContext(context)));
  return k;
};

beforeAll(() => {
  expect(contexts.length, 'these tests need two clusters (MESHSPEC_IT_CLUSTERS >= 2)').toBeGreaterThanOrEqual(2);
  drivers = createRealDrivers({ kubeconfig, binDir: inject('binDir'), env: cli.env });
});

// Linkerd registers admission webhooks (failurePolicy Ignore) whose Services no API server here can reach:
// every later pod/Service/HTTPRoute write in these shared clusters would wait for the webhook timeout.
// Remove them so other test files see clusters without Linkerd's admission path.
afterAll(async () => {
  for (const kube of kubes.values()) {
    await kube.delete('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'linkerd-proxy-injector-webhook-config');
    await kube.delete('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'linkerd-policy-validator-webhook-config');
    await kube.delete('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'linkerd-sp-validator-webhook-config');
  }
});

const dataOf = (o: KubeObject | undefined) => (o?.['data'] ?? {}) as Record<string, string>;
const established = (crd: KubeObject | undefined) => ((crd?.['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');

describe(`linkerd plugin integration (real kube-apiserver, ${cli.label})`, () => {
  it(`renders crds, control plane (with meshspec certificates) and multicluster with the ${cli.label} and applies them server-side; bad issuers are refused; status matches the trust anchor`, async () => {
    const context = contexts[1]!;
    const kube = kubeFor(context);
    const run = async (args: string[]) => (await drivers.runner.run(linkerd, ['--context', context, ...args], { timeout: 120_000 })).stdout;

    expect((await run(['version', '--client', '--short'])).trim()).toBe(LINKERD_VERSION);

    // meshspec's certificates, as the linkerd:certs step would write them.
    const session = await openTopology(topologyYaml('it-linkerd-cli', 'west', context, linkerd, '  multicluster: { enabled: false }\n  links: none\n'), [linkerdPlugin], drivers);
    const secrets = createSecretStore(session.stateDir);
    const certs = await ensureLinkerdCertificates(secrets, CERT_OPTIONS);
    expect(certs).toMatchObject({ trustAnchor: 'generated', issuer: 'generated' });

    // CRDs: applied, Established, readable.
    const crds = await run(['install', '--crds']);
    const crdResult = await kube.apply(crds);
    expect(crdResult.objects.length).toBeGreaterThan(5);
    const authz = await kube.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'serverauthorizations.policy.linkerd.io');
    expect(authz?.['spec']).toMatchObject({ group: 'policy.linkerd.io' });
    expect(established(authz)).toBe(true);
    expect(authz?.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBeUndefined();

    // Control plane: the CLI checks the issuer against the trust anchor and would refuse a mismatch.
    const controlPlane = await run([
      'install',
      '--ignore-cluster',
      '--identity-trust-anchors-file', secrets.path(CERT_FILES.caCert),
      '--identity-issuer-certificate-file', secrets.path(CERT_FILES.issuerCert),
      '--identity-issuer-key-file', secrets.path(CERT_FILES.issuerKey),
    ]);
    const cpResult = await kube.apply(controlPlane);
    expect(cpResult.objects.every((o) => o.outcome === 'created')).toBe(true);
    const anchorPem = readFileSync(secrets.path(CERT_FILES.caCert), 'utf8');
    const roots = dataOf(await kube.get('v1', 'ConfigMap', 'linkerd-identity-trust-roots', LINKERD_NAMESPACE))['ca-bundle.crt'];
    expect(roots && fingerprintOf(roots)).toBe(certs.trustAnchorFingerprint);
    const issuerSecret = dataOf(await kube.get('v1', 'Secret', 'linkerd-identity-issuer', LINKERD_NAMESPACE));
    // The same certificate, compared parsed (DER fingerprint): the real CLI re-encodes it and drops the final newline.
    expect(fingerprintOf(Buffer.from(issuerSecret['crt.pem'] ?? '', 'base64').toString())).toBe(fingerprintOf(readFileSync(secrets.path(CERT_FILES.issuerCert), 'utf8')));
    expect(await kube.get('v1', 'ConfigMap', 'linkerd-config', LINKERD_NAMESPACE)).toBeDefined();
    // Re-applying the same render changes nothing.
    expect((await kube.apply(controlPlane)).objects.filter((o) => o.outcome !== 'unchanged')).toEqual([]);

    // The CLI itself refuses issuers that Linkerd's identity could not use.
    const otherAnchor = await generateTrustAnchor(CERT_OPTIONS.trustAnchorValidityMs);
    const foreign = await issueIssuer(otherAnchor, CERT_OPTIONS.issuerValidityMs);
    const bad = createSecretStore(join(session.stateDir, 'bad'));
    await bad.write('foreign.crt', foreign.cert);
    await bad.write('foreign.key', foreign.key);
    await bad.write('leaf.key', execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
    // An end-entity certificate (CA:FALSE) signed by meshspec's own anchor, with its own key.
    const csr = execFileSync('openssl', ['req', '-new', '-key', bad.path('leaf.key'), '-subj', '/CN=identity.linkerd.cluster.local'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const extFile = bad.path('leaf.ext');
    await bad.write('leaf.ext', 'basicConstraints=critical,CA:FALSE\n');
    await bad.write('leaf.crt', execFileSync('openssl', ['x509', '-req', '-CA', secrets.path(CERT_FILES.caCert), '-CAkey', secrets.path(CERT_FILES.caKey), '-days', '30', '-extfile', extFile], { input: csr, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }));
    const badIssuers = [
      { why: 'signed by another trust anchor', cert: bad.path('foreign.crt'), key: bad.path('foreign.key'), error: /unknown authority/ },
      { why: 'not a CA', cert: bad.path('leaf.crt'), key: bad.path('leaf.key'), error: /not a CA/ },
      { why: 'key does not match the certificate', cert: secrets.path(CERT_FILES.issuerCert), key: bad.path('foreign.key'), error: /match/i },
    ];
    for (const b of badIssuers) {
      const refused = await drivers.runner.run(linkerd, ['--context', context, 'install', '--ignore-cluster', '--identity-trust-anchors-file', secrets.path(CERT_FILES.caCert), '--identity-issuer-certificate-file', b.cert, '--identity-issuer-key-file', b.key], { reject: false, timeout: 120_000 });
      expect(refused.exitCode, b.why).not.toBe(0);
      expect(refused.stderr, b.why).toMatch(/failed to validate issuer credentials/);
      expect(refused.stderr, b.why).toMatch(b.error);
      expect(refused.stdout, b.why).toBe('');
    }

    // Multicluster extension.
    const multicluster = await run(['multicluster', 'install', '--ignore-cluster']);
    await kube.apply(multicluster);
    const gateway = await kube.get('v1', 'Service', GATEWAY_SERVICE, MULTICLUSTER_NAMESPACE);
    expect((gateway?.['spec'] as { type: string }).type).toBe('LoadBalancer');

    // status(): the cluster's trust roots are meshspec's anchor ...
    const steps = new StepRunner(session, drivers);
    const section = session.topology['linkerd'] as LinkerdSection;
    const lines = await linkerdStatus(session.topology, section, steps.context({ id: 'linkerd:status' }));
    expect(lines.find((l) => l.name === 'linkerd trust anchor')).toEqual({ cluster: 'west', name: 'linkerd trust anchor', ok: true, level: 'ok', detail: 'cluster trusts the shared trust anchor' });
    expect(lines.find((l) => l.name === 'linkerd issuer')).toMatchObject({ ok: true, level: 'ok' });
    expect(anchorPem).toContain('BEGIN CERTIFICATE');

    // ... and a state dir holding a different anchor reports the mismatch.
    const stranger = await openTopology(topologyYaml('it-linkerd-stranger', 'west', context, linkerd, '  multicluster: { enabled: false }\n  links: none\n'), [linkerdPlugin], drivers);
    await ensureLinkerdCertificates(createSecretStore(stranger.stateDir), CERT_OPTIONS);
    const mismatch = await linkerdStatus(stranger.topology, section, new StepRunner(stranger, drivers).context({ id: 'linkerd:status' }));
    expect(mismatch.find((l) => l.name === 'linkerd trust anchor')).toMatchObject({ cluster: 'west', ok: false, level: 'error' });
    expect(mismatch.find((l) => l.name === 'linkerd trust anchor')?.detail).toMatch(/trust anchor mismatch/);
  });

  it(`the plugin's steps (${cli.label}) through core's engine: certs → crds → control plane (rolled out on kwok) → multicluster → gateway address; status matches; a second apply is up to date`, async () => {
    expect(inject('controllers'), 'rollouts need kube-controller-manager, kube-scheduler and kwok: run `bash scripts/test-assets/provision.sh`').toBe(true);
    const context = contexts[0]!;
    const kube = kubeFor(context);
    const session: Session = await openTopology(topologyYaml('it-linkerd-steps', 'east', context, linkerd, ''), [linkerdPlugin], drivers);
    const target = `linkerd:gateway@east`;

    // Play MetalLB: once the gateway Service exists, give it an address through the status subresource.
    const done = new AbortController();
    const loadBalancer = (async () => {
      while (!done.signal.aborted) {
        const svc = await kube.get('v1', 'Service', GATEWAY_SERVICE, MULTICLUSTER_NAMESPACE).catch(() => undefined);
        if (svc) {
          const res = await rawRequest(kubeconfig, context, 'PATCH', `/api/v1/namespaces/${MULTICLUSTER_NAMESPACE}/services/${GATEWAY_SERVICE}/status`, { status: { loadBalancer: { ingress: [{ ip: GATEWAY_IP, ipMode: 'VIP' }] } } }, 'application/merge-patch+json');
          if (res.status === 200) return true;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      return false;
    })();

    const events: string[] = [];
    const summary = await session.apply({ only: [target], renderer: 'json', stdout: { write: (chunk: string) => void events.push(chunk) }, concurrency: 2 }).finally(() => done.abort());
    expect(summary.failed.map((f) => `${f.id}: ${JSON.stringify(f)}`), drivers.logLines.slice(-30).join('\n')).toEqual([]);
    expect(summary.ok).toBe(true);
    expect(await loadBalancer).toBe(true);
    expect(new Set(summary.completed)).toEqual(new Set(['linkerd:certs', 'linkerd:crds@east', 'linkerd:control-plane@east', 'linkerd:multicluster@east', target]));

    const state = await StateStore.open(session.stateDir, session.topology.metadata.name);
    expect(state.get(target)?.outputs).toEqual({ address: GATEWAY_IP });
    expect(state.get('linkerd:control-plane@east')?.outputs).toMatchObject({ mode: 'install' });
    expect(drivers.logLines.filter((l) => l.includes('linkerd:crds@east') && /reports .* but linkerd.version/.test(l))).toEqual([]);

    // Read back: the CRDs, the identity, the rolled-out control plane and the gateway.
    expect(established(await kube.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'serverauthorizations.policy.linkerd.io'))).toBe(true);
    const anchor = readFileSync(createSecretStore(session.stateDir).path(CERT_FILES.caCert), 'utf8');
    const roots = dataOf(await kube.get('v1', 'ConfigMap', 'linkerd-identity-trust-roots', LINKERD_NAMESPACE))['ca-bundle.crt'];
    expect(roots && fingerprintOf(roots)).toBe(fingerprintOf(anchor));
    for (const name of ['linkerd-identity', 'linkerd-destination', 'linkerd-proxy-injector']) {
      const d = await kube.get('apps/v1', 'Deployment', name, LINKERD_NAMESPACE);
      expect((d?.['status'] as { availableReplicas?: number }).availableReplicas, name).toBeGreaterThanOrEqual(1);
    }

    const lines = await session.status();
    expect(lines.find((l) => l.name === 'linkerd trust anchor')).toMatchObject({ cluster: 'east', ok: true });

    // Nothing changed: every step is up to date, and a second apply runs nothing (with --only, up-to-date
    // needs are not even selected: only the target itself is reported up to date).
    const { upToDate } = await session.planView();
    expect([...upToDate].sort()).toEqual([...summary.completed].sort());
    const again = await session.apply({ only: [target], renderer: 'json', stdout: { write: () => true } });
    expect(again.ok).toBe(true);
    expect(again.completed).toEqual([]);
    expect(again.upToDate).toEqual([target]);
  });
});
