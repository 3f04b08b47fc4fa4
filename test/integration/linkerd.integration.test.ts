// Linkerd against real kube-apiservers with the real `linkerd` CLI when one is provided
// (TEST_ASSET_LINKERD, or `linkerd` in scripts/test-assets' bin dir), else the FAKE linkerd CLI from
// test/fake-toolchain (the Go module proxy refuses github.com/linkerd/linkerd2, so the real CLI cannot be
// built here); the test names say which ran, and the Linkerd version comes from the CLI itself
// (`version --client --short`: stable-2.13.3 links with `link`, 2.18+ with `link-gen` + controllers).
//
// 1. End to end through the BUILT meshspec binary, as a user runs it: two clusters given by kube context
//    (no kind), `--kubeconfig` only (KUBECONFIG is not exported: issue 8 problem 1), Linkerd with viz and
//    multicluster links both ways: apply, a no-op second apply, status, a repair (the remote-access token
//    Secret deleted: problem 4), destroy blocked half-way by an extension namespace `linkerd uninstall`
//    refuses for (problems 2, 5), then resumed (problem 3) and repeated — every step exit 0 except the
//    blocked one. The test plays MetalLB for the gateways; kwok makes the Deployments roll out.
// 2. The CLI by hand: meshspec's certificates pass the CLI's issuer/anchor validation and bad issuers are
//    refused, the rendered manifests apply server-side, `status()` reads the trust roots back.
// Both use Linkerd's fixed namespaces: (1) runs first and leaves both clusters without Linkerd.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSecretStore, type KubeClient, type KubeObject } from '@meshspec/core';
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
  parseLinkerdVersion,
  REMOTE_ACCESS_TOKEN_SECRET,
  VIZ_NAMESPACE,
  type LinkerdSection,
} from '@meshspec/plugin-linkerd';
import { CONFORMANCE, conformancePath, readConformanceText } from '../conformance/index.js';
import { MESHSPEC_BIN, runMeshspec, type CliRun } from './fixtures/meshspec-binary.js';
import { chooseLinkerdCli, linkerdSmiDir } from './fixtures/linkerd-cli.js';
import { REPO_ROOT } from './harness/control-plane.js';
import { rawRequest } from './harness/raw-request.js';
import { createRealDrivers, openTopology, StepRunner, type RealDrivers } from './fixtures/real-steps.js';

const kubeconfig = inject('kubeconfig');
const contexts = inject('contexts');
/** Chosen at collection time so the describe name can say which CLI runs. */
const cli = chooseLinkerdCli(inject('binDir'));
/** The Linkerd release under test is the CLI's own (the fake reports stable-2.13.3 unless told otherwise). */
const LINKERD_VERSION = cli.version;
const MINOR = parseLinkerdVersion(LINKERD_VERSION)?.minor ?? 13;
const HOUR = 3_600_000;
const CERT_OPTIONS = { trustAnchorValidityMs: 87_600 * HOUR, issuerValidityMs: 8_760 * HOUR, issuerRenewBeforeMs: 720 * HOUR };

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
const established = (crd: KubeObject | undefined) =>
  ((crd?.['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some(
    (c) => c.type === 'Established' && c.status === 'True',
  );

const E2E_NAME = 'it-linkerd-e2e';
const CLUSTERS = { east: 0, west: 1 } as const;
type Cluster = keyof typeof CLUSTERS;
const contextOf = (c: Cluster) => contexts[CLUSTERS[c]]!;
/** The gateway addresses the test assigns as MetalLB would. */
const GATEWAY_IPS: Record<Cluster, string> = { east: '172.18.255.240', west: '172.18.255.241' };
const LINK_API = MINOR >= 18 ? 'multicluster.linkerd.io/v1alpha3' : 'multicluster.linkerd.io/v1alpha1';
const BLOCKER_NS = 'it-linkerd-e2e-blocker';

interface RunEvent {
  type: string;
  id?: string;
  reason?: string;
  error?: string;
  stderrTail?: string;
}

/** Before 2.18, splits are SMI TrafficSplits: the topology then installs the linkerd-smi extension too. */
const WITH_SMI = MINOR < 18;
/** PATH gets `linkerd-smi` (for `linkerd smi ...`) but no `linkerd`: steps must run linkerd.cliPath (problem 9). */
const smi = linkerdSmiDir();

/** The environment meshspec runs in: this process's minus KUBECONFIG (the point of problem 1), plus the fake's variables. */
function cliEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'KUBECONFIG') env[k] = v;
  return { ...env, ...cli.env, PATH: `${smi.dir}:${env['PATH'] ?? ''}`, CI: 'true', NO_COLOR: '1' };
}

function meshspec(cwd: string, args: string[], timeoutMs = 600_000): Promise<CliRun> {
  const env = cliEnv();
  expect(env['KUBECONFIG'], 'KUBECONFIG must not be exported to meshspec: --kubeconfig alone has to reach every tool').toBeUndefined();
  return runMeshspec(cwd, args, env, timeoutMs);
}

const shown = (r: CliRun) => `exit ${r.code}\n--- stdout ---\n${r.stdout.slice(-6000)}\n--- stderr ---\n${r.stderr.slice(-6000)}`;
const eventsOf = (r: CliRun): RunEvent[] =>
  r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as RunEvent);
const idsOf = (events: RunEvent[], type: string) =>
  events
    .filter((e) => e.type === type)
    .map((e) => e.id!)
    .sort();

function e2eTopology(): string {
  return `apiVersion: meshspec.dev/v1alpha1
kind: Topology
metadata: { name: ${E2E_NAME} }
clusters:
  east: { context: ${contextOf('east')} }
  west: { context: ${contextOf('west')} }
linkerd:
  version: ${LINKERD_VERSION}
  cliPath: ${cli.path}
  viz: true
${WITH_SMI ? 'smi: { extensionVersion: v0.2.7 }\n' : `  gatewayApi: { manifest: ${conformancePath(CONFORMANCE.gatewayApiCrds('v1.2.1'))} }\n`}`;
}

/** The server of a context in the harness kubeconfig (what a link to a context-given cluster must carry). */
function serverOf(context: string): string {
  const config = JSON.parse(readFileSync(kubeconfig, 'utf8')) as {
    contexts: { name: string; context: { cluster: string } }[];
    clusters: { name: string; cluster: { server: string } }[];
  };
  const cluster = config.contexts.find((c) => c.name === context)!.context.cluster;
  return config.clusters.find((c) => c.name === cluster)!.cluster.server;
}

/** Plays MetalLB: gives each cluster's linkerd-gateway Service its address whenever it lacks one. */
function playLoadBalancers(): { stop(): Promise<void> } {
  const done = new AbortController();
  const loop = (async () => {
    while (!done.signal.aborted) {
      for (const c of Object.keys(CLUSTERS) as Cluster[]) {
        const svc = await kubeFor(contextOf(c))
          .get('v1', 'Service', GATEWAY_SERVICE, MULTICLUSTER_NAMESPACE)
          .catch(() => undefined);
        const ingress = (svc?.['status'] as { loadBalancer?: { ingress?: unknown[] } } | undefined)?.loadBalancer?.ingress;
        if (svc && !ingress?.length) {
          await rawRequest(
            kubeconfig,
            contextOf(c),
            'PATCH',
            `/api/v1/namespaces/${MULTICLUSTER_NAMESPACE}/services/${GATEWAY_SERVICE}/status`,
            { status: { loadBalancer: { ingress: [{ ip: GATEWAY_IPS[c], ipMode: 'VIP' }] } } },
            'application/merge-patch+json',
          ).catch(() => undefined);
        }
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  return { stop: async () => (done.abort(), await loop) };
}

const credentialsServer = (secret: KubeObject | undefined) => {
  const text = Buffer.from(dataOf(secret)['kubeconfig'] ?? '', 'base64').toString();
  return /server:\s*(\S+)/.exec(text)?.[1];
};

describe(`linkerd end to end through the meshspec binary (real kube-apiservers given by context, --kubeconfig only, ${cli.label})`, () => {
  let project: string;
  let lb: { stop(): Promise<void> };
  const kubeOf = (c: Cluster) => kubeFor(contextOf(c));
  const run = (args: string[]) => meshspec(project, [...args, '--kubeconfig', kubeconfig, 'topology.yaml']);

  beforeAll(() => {
    expect(
      inject('controllers'),
      'rollouts, namespace deletion and service-account tokens need kube-controller-manager, kube-scheduler and kwok: run `bash scripts/test-assets/provision.sh`',
    ).toBe(true);
    expect(readFileSync(MESHSPEC_BIN, 'utf8').length, `the built CLI ${MESHSPEC_BIN}: run \`scripts/pnpm build\` first`).toBeGreaterThan(0);
    const onPath = (cliEnv()['PATH'] ?? '').split(':').filter((d) => d && existsSync(join(d, 'linkerd')));
    expect(onPath, 'no `linkerd` may be on PATH: every step must run linkerd.cliPath').toEqual([]);
    project = mkdtempSync(join(tmpdir(), 'meshspec-it-linkerd-e2e-'));
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'it-linkerd-e2e', private: true })}\n`);
    writeFileSync(join(project, 'topology.yaml'), e2eTopology());
    lb = playLoadBalancers();
  });
  afterAll(async () => {
    await lb?.stop();
    // If a test failed half-way, do not leave the blocker for the next file.
    for (const c of Object.keys(CLUSTERS) as Cluster[])
      await kubeOf(c)
        .delete('v1', 'Namespace', BLOCKER_NS)
        .catch(() => false);
  });

  it(`plan names no kind placeholder for clusters given by context (${cli.label})`, async () => {
    const plan = await run(['plan']);
    expect(plan.code, shown(plan)).toBe(0);
    expect(plan.stdout).not.toContain('<kind:');
    expect(plan.stdout).toMatch(new RegExp(`multicluster ${MINOR >= 18 ? 'link-gen' : 'link'} --cluster-name east`));
    expect(plan.stdout).toContain(`the server of context ${contextOf('east')} in the kubeconfig`);
  });

  it(
    `apply (exit 0), links to the right gateways and API servers; a second apply is a no-op; status exit 0 (${cli.label})`,
    { timeout: 900_000 },
    async () => {
      const first = await run(['apply', '-o', 'json']);
      expect(first.code, shown(first)).toBe(0);
      expect(first.stderr).not.toMatch(/kind:cluster|no apiServerUrl/);
      const events = eventsOf(first);
      expect(idsOf(events, 'step-fail')).toEqual([]);
      expect(idsOf(events, 'step-done')).toEqual(
        expect.arrayContaining([
          'linkerd:certs',
          'linkerd:link:east@west',
          'linkerd:link:west@east',
          'linkerd:viz@east',
          'linkerd:viz@west',
          ...(WITH_SMI ? ['smi:install@east', 'smi:install@west'] : []),
        ]),
      );

      for (const [source, target] of [
        ['east', 'west'],
        ['west', 'east'],
      ] as const) {
        const link = await kubeOf(target).get(LINK_API, 'Link', source, MULTICLUSTER_NAMESPACE);
        expect((link?.['spec'] as { gatewayAddress?: string } | undefined)?.gatewayAddress, `Link ${source} in ${target}`).toBe(
          GATEWAY_IPS[source],
        );
        // Problem 7: a cluster given by context is reached at its kubeconfig server, not at a kind address.
        expect(credentialsServer(await kubeOf(target).get('v1', 'Secret', `cluster-credentials-${source}`, MULTICLUSTER_NAMESPACE))).toBe(
          serverOf(contextOf(source)),
        );
      }
      for (const c of Object.keys(CLUSTERS) as Cluster[]) {
        const token = await kubeOf(c).get('v1', 'Secret', REMOTE_ACCESS_TOKEN_SECRET, MULTICLUSTER_NAMESPACE);
        expect(dataOf(token)['token'], `${REMOTE_ACCESS_TOKEN_SECRET} in ${c}`).toBeTruthy();
      }

      const second = await run(['apply', '-o', 'json']);
      expect(second.code, shown(second)).toBe(0);
      expect(idsOf(eventsOf(second), 'step-start'), 'a second apply runs nothing').toEqual([]);

      const status = await run(['status']);
      expect(status.code, shown(status)).toBe(0);
      expect(status.stdout).toContain('trust anchor');
    },
  );

  it(
    `repairs a deleted remote-access token Secret on the next apply: multicluster and the link built on it run again (${cli.label})`,
    { timeout: 600_000 },
    async () => {
      expect(await kubeOf('east').delete('v1', 'Secret', REMOTE_ACCESS_TOKEN_SECRET, MULTICLUSTER_NAMESPACE)).toBe(true);
      const repair = await run(['apply', '-o', 'json']);
      expect(repair.code, shown(repair)).toBe(0);
      const events = eventsOf(repair);
      expect(idsOf(events, 'step-done')).toEqual(expect.arrayContaining(['linkerd:multicluster@east', 'linkerd:link:east@west']));
      expect(idsOf(events, 'step-done')).not.toContain('linkerd:multicluster@west');
      expect(dataOf(await kubeOf('east').get('v1', 'Secret', REMOTE_ACCESS_TOKEN_SECRET, MULTICLUSTER_NAMESPACE))['token']).toBeTruthy();
      const again = await run(['apply', '-o', 'json']);
      expect(again.code, shown(again)).toBe(0);
      expect(idsOf(eventsOf(again), 'step-start')).toEqual([]);
    },
  );

  // The fault matrix's "load-balancer address changed": east's gateway gets a new LoadBalancer address
  // (a new pool, a recreated Service); the Link in west still names the old one until the link is made again.
  it(
    `re-links after a gateway's LoadBalancer address changed: only the link from that cluster runs again (${cli.label})`,
    { timeout: 600_000 },
    async () => {
      const moved = '172.18.255.250';
      await rawRequest(
        kubeconfig,
        contextOf('east'),
        'PATCH',
        `/api/v1/namespaces/${MULTICLUSTER_NAMESPACE}/services/${GATEWAY_SERVICE}/status`,
        { status: { loadBalancer: { ingress: [{ ip: moved, ipMode: 'VIP' }] } } },
        'application/merge-patch+json',
      );
      const relink = await run(['apply', '-o', 'json']);
      expect(relink.code, shown(relink)).toBe(0);
      expect(idsOf(eventsOf(relink), 'step-start')).toEqual(['linkerd:link:east@west']);
      expect(
        ((await kubeOf('west').get(LINK_API, 'Link', 'east', MULTICLUSTER_NAMESPACE))?.['spec'] as { gatewayAddress?: string } | undefined)
          ?.gatewayAddress,
      ).toBe(moved);
      expect(
        ((await kubeOf('east').get(LINK_API, 'Link', 'west', MULTICLUSTER_NAMESPACE))?.['spec'] as { gatewayAddress?: string } | undefined)
          ?.gatewayAddress,
      ).toBe(GATEWAY_IPS.west);
      const again = await run(['apply', '-o', 'json']);
      expect(again.code, shown(again)).toBe(0);
      expect(idsOf(eventsOf(again), 'step-start')).toEqual([]);
    },
  );

  it(
    `destroy stopped by an extension namespace shows linkerd's own error, resumes without redoing what it undid, and is idempotent (${cli.label})`,
    { timeout: 900_000 },
    async () => {
      // Injected failure: a namespace labelled as a Linkerd extension in west, which `linkerd uninstall` refuses for.
      await kubeOf('west').apply([
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: BLOCKER_NS, labels: { 'linkerd.io/extension': 'blocker' } } },
      ]);
      const blocked = await run(['destroy', '-o', 'json']);
      expect(blocked.code, shown(blocked)).toBe(1);
      const blockedEvents = eventsOf(blocked);
      expect(idsOf(blockedEvents, 'step-fail')).toEqual(['linkerd:control-plane@west']);
      const failure = blockedEvents.find((e) => e.type === 'step-fail')!;
      // Problem 5: the CLI's own words reach -o json (not just its usage text).
      expect(`${failure.error}\n${failure.stderrTail}`).toContain(
        'Please uninstall the following extensions before uninstalling the control-plane',
      );
      // Problem 2: viz and multicluster were gone (namespaces deleted) before east's uninstall ran, which succeeded.
      expect(idsOf(blockedEvents, 'step-done')).toEqual(
        expect.arrayContaining(['linkerd:control-plane@east', 'linkerd:viz@west', 'linkerd:multicluster@west', 'linkerd:link:east@west']),
      );
      for (const ns of [VIZ_NAMESPACE, MULTICLUSTER_NAMESPACE, ...(WITH_SMI ? ['linkerd-smi'] : [])])
        expect(await kubeOf('west').get('v1', 'Namespace', ns), `${ns} in west`).toBeUndefined();
      const undone = idsOf(blockedEvents, 'step-done');

      await kubeOf('west').delete('v1', 'Namespace', BLOCKER_NS);
      await kubeOf('west').waitFor('v1', 'Namespace', BLOCKER_NS, undefined, (o) => o === undefined, { timeoutMs: 120_000 });
      const resumed = await run(['destroy', '-o', 'json']);
      expect(resumed.code, shown(resumed)).toBe(0);
      const resumedEvents = eventsOf(resumed);
      expect(idsOf(resumedEvents, 'step-done')).toEqual(['linkerd:control-plane@west']);
      // Problem 3: what the first destroy undid is "already gone", not destroyed again.
      for (const id of undone)
        expect(
          resumedEvents.find((e) => e.id === id),
          id,
        ).toMatchObject({ type: 'step-skip', reason: 'already gone' });

      for (const c of Object.keys(CLUSTERS) as Cluster[]) {
        for (const ns of [LINKERD_NAMESPACE, VIZ_NAMESPACE, MULTICLUSTER_NAMESPACE, 'linkerd-smi'])
          expect(await kubeOf(c).get('v1', 'Namespace', ns), `${ns} in ${c}`).toBeUndefined();
        expect(
          await kubeOf(c).get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'serverauthorizations.policy.linkerd.io'),
          `Linkerd CRDs in ${c}`,
        ).toBeUndefined();
      }
      const once = await run(['destroy', '-o', 'json']);
      expect(once.code, shown(once)).toBe(0);
      expect(idsOf(eventsOf(once), 'step-start')).toEqual([]);
    },
  );
});

describe(`linkerd CLI by hand integration (real kube-apiserver, ${cli.label})`, () => {
  it(`renders crds, control plane (with meshspec certificates) and multicluster with the ${cli.label} and applies them server-side; bad issuers are refused; status matches the trust anchor`, async () => {
    const context = contexts[1]!;
    const kube = kubeFor(context);
    const run = async (args: string[]) => (await drivers.runner.run(linkerd, ['--context', context, ...args], { timeout: 120_000 })).stdout;

    expect((await run(['version', '--client', '--short'])).trim()).toBe(LINKERD_VERSION);

    // meshspec's certificates, as the linkerd:certs step would write them.
    const session = await openTopology(
      topologyYaml('it-linkerd-cli', 'west', context, linkerd, '  multicluster: { enabled: false }\n  links: none\n'),
      [linkerdPlugin],
      drivers,
    );
    const secrets = createSecretStore(session.stateDir);
    const certs = await ensureLinkerdCertificates(secrets, CERT_OPTIONS);
    expect(certs).toMatchObject({ trustAnchor: 'generated', issuer: 'generated' });

    // CRDs: applied, Established, readable.
    // 2.18+ refuses without Gateway API CRDs: install the standard channel Linkerd recommends first, as
    // meshspec's linkerd:gateway-api step does (the e2e test above may already have; applying is idempotent).
    if (MINOR >= 18) await kube.apply(readConformanceText(CONFORMANCE.gatewayApiCrds('v1.2.1')));
    const crds = await run(['install', '--crds', ...(MINOR >= 18 ? ['--set', 'installGatewayAPI=false'] : [])]);
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
      '--identity-trust-anchors-file',
      secrets.path(CERT_FILES.caCert),
      '--identity-issuer-certificate-file',
      secrets.path(CERT_FILES.issuerCert),
      '--identity-issuer-key-file',
      secrets.path(CERT_FILES.issuerKey),
    ]);
    const cpResult = await kube.apply(controlPlane);
    expect(cpResult.objects.every((o) => o.outcome === 'created')).toBe(true);
    const anchorPem = readFileSync(secrets.path(CERT_FILES.caCert), 'utf8');
    const roots = dataOf(await kube.get('v1', 'ConfigMap', 'linkerd-identity-trust-roots', LINKERD_NAMESPACE))['ca-bundle.crt'];
    expect(roots && fingerprintOf(roots)).toBe(certs.trustAnchorFingerprint);
    const issuerSecret = dataOf(await kube.get('v1', 'Secret', 'linkerd-identity-issuer', LINKERD_NAMESPACE));
    // The same certificate, compared parsed (DER fingerprint): the real CLI re-encodes it and drops the final newline.
    expect(fingerprintOf(Buffer.from(issuerSecret['crt.pem'] ?? '', 'base64').toString())).toBe(
      fingerprintOf(readFileSync(secrets.path(CERT_FILES.issuerCert), 'utf8')),
    );
    expect(await kube.get('v1', 'ConfigMap', 'linkerd-config', LINKERD_NAMESPACE)).toBeDefined();
    // Re-applying the same render changes nothing.
    expect((await kube.apply(controlPlane)).objects.filter((o) => o.outcome !== 'unchanged')).toEqual([]);

    // The CLI itself refuses issuers that Linkerd's identity could not use.
    const otherAnchor = await generateTrustAnchor(CERT_OPTIONS.trustAnchorValidityMs);
    const foreign = await issueIssuer(otherAnchor, CERT_OPTIONS.issuerValidityMs);
    const bad = createSecretStore(join(session.stateDir, 'bad'));
    await bad.write('foreign.crt', foreign.cert);
    await bad.write('foreign.key', foreign.key);
    await bad.write(
      'leaf.key',
      execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    // An end-entity certificate (CA:FALSE) signed by meshspec's own anchor, with its own key.
    const csr = execFileSync('openssl', ['req', '-new', '-key', bad.path('leaf.key'), '-subj', '/CN=identity.linkerd.cluster.local'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const extFile = bad.path('leaf.ext');
    await bad.write('leaf.ext', 'basicConstraints=critical,CA:FALSE\n');
    await bad.write(
      'leaf.crt',
      execFileSync(
        'openssl',
        [
          'x509',
          '-req',
          '-CA',
          secrets.path(CERT_FILES.caCert),
          '-CAkey',
          secrets.path(CERT_FILES.caKey),
          '-days',
          '30',
          '-extfile',
          extFile,
        ],
        { input: csr, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] },
      ),
    );
    const badIssuers = [
      { why: 'signed by another trust anchor', cert: bad.path('foreign.crt'), key: bad.path('foreign.key'), error: /unknown authority/ },
      { why: 'not a CA', cert: bad.path('leaf.crt'), key: bad.path('leaf.key'), error: /not a CA/ },
      {
        why: 'key does not match the certificate',
        cert: secrets.path(CERT_FILES.issuerCert),
        key: bad.path('foreign.key'),
        error: /match/i,
      },
    ];
    for (const b of badIssuers) {
      const refused = await drivers.runner.run(
        linkerd,
        [
          '--context',
          context,
          'install',
          '--ignore-cluster',
          '--identity-trust-anchors-file',
          secrets.path(CERT_FILES.caCert),
          '--identity-issuer-certificate-file',
          b.cert,
          '--identity-issuer-key-file',
          b.key,
        ],
        { reject: false, timeout: 120_000 },
      );
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
    expect(lines.find((l) => l.name === 'linkerd trust anchor')).toEqual({
      cluster: 'west',
      name: 'linkerd trust anchor',
      ok: true,
      level: 'ok',
      detail: 'cluster trusts the shared trust anchor',
    });
    expect(lines.find((l) => l.name === 'linkerd issuer')).toMatchObject({ ok: true, level: 'ok' });
    expect(anchorPem).toContain('BEGIN CERTIFICATE');

    // ... and a state dir holding a different anchor reports the mismatch.
    const stranger = await openTopology(
      topologyYaml('it-linkerd-stranger', 'west', context, linkerd, '  multicluster: { enabled: false }\n  links: none\n'),
      [linkerdPlugin],
      drivers,
    );
    await ensureLinkerdCertificates(createSecretStore(stranger.stateDir), CERT_OPTIONS);
    const mismatch = await linkerdStatus(stranger.topology, section, new StepRunner(stranger, drivers).context({ id: 'linkerd:status' }));
    expect(mismatch.find((l) => l.name === 'linkerd trust anchor')).toMatchObject({ cluster: 'west', ok: false, level: 'error' });
    expect(mismatch.find((l) => l.name === 'linkerd trust anchor')?.detail).toMatch(/trust anchor mismatch/);
  });
});
