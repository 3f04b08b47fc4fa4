// Fake `linkerd` CLI (and `linkerd-smi`, run as `linkerd smi ...`): `install --crds`, `install`/`upgrade`,
// `viz install`, `multicluster install`, `smi install` and their uninstalls answer with the real CLIs'
// recorded output (linkerd-recorded.mjs, from ../shared/conformance), the identity replaced by the given
// files. `multicluster link` still renders a small real-shaped Link: it reads the source gateway's
// LoadBalancer address as published by the test's cluster simulation, and fails without one like the real CLI.
// `install|upgrade` validate the issuer credentials with openssl as the real CLI does with Go's x509.
// With MESHSPEC_FAKE_CLUSTERS=kubeconfig the contexts are those of $KUBECONFIG (real API servers, as in
// test/integration): the fake checks the context exists there, and reads the cluster (kubectl) only where
// the real CLI refuses to render (see linkerd-recorded.mjs).
import { spawnSync } from 'node:child_process';
import {
  b64,
  fail,
  flag,
  hasFlag,
  loadBalancerAddress,
  positionals,
  readFileSync,
  requireCluster,
  fakeApiPort,
  toYamlStream,
  YAML,
} from './common.mjs';
import * as cluster from './linkerd-cluster.mjs';
import { linkGenSpec, refuseGatewayFlagBefore214, refuseUnrecordedGatewayless } from './linkerd-link-recorded.mjs';
import { recordedControlPlane, renderControlPlane, renderCrds, renderMulticluster, renderSmi, renderViz } from './linkerd-recorded.mjs';

const VALUED = [
  '--context',
  '--kubeconfig',
  '--set',
  '--cluster-name',
  '--api-server-address',
  '--identity-trust-anchors-file',
  '--identity-issuer-certificate-file',
  '--identity-issuer-key-file',
  '-o',
  '--output',
  '--namespace',
  '-n',
];
const version = () => process.env.MESHSPEC_FAKE_LINKERD_VERSION ?? 'stable-2.13.3';
const smiVersion = () => process.env.MESHSPEC_FAKE_LINKERD_SMI_VERSION ?? 'v0.2.7';

export async function run(argv) {
  const words = positionals(argv, VALUED);
  const key = words.join(' ');
  if (key === 'version') {
    if (hasFlag(argv, '--short')) return `${version()}\n`;
    return `Client version: ${version()}\n${hasFlag(argv, '--client') ? '' : `Server version: ${version()}\n`}`;
  }
  if (key === 'smi version') return `${smiVersion()}\n`;
  const context = flag(argv, '--context');
  if (kubeconfigMode()) requireKubeconfigContext(argv, context);
  else requireCluster(context, 'linkerd');
  // Against real API servers, the commands that read the cluster behave like the real CLI (linkerd-cluster.mjs).
  if (kubeconfigMode()) {
    const read = readsCluster(key, argv);
    if (read) return read;
  }
  switch (key) {
    case 'install':
      if (hasFlag(argv, '--crds')) return toYamlStream(renderCrds(argv, version()));
      return toYamlStream(controlPlane(argv));
    case 'upgrade':
      return toYamlStream(controlPlane(argv));
    case 'uninstall':
      // What the CLI lists for deletion: the control plane and the CRDs as installed.
      return toYamlStream([...renderControlPlaneForUninstall(), ...renderCrds(['--ignore-cluster'], version())]);
    case 'viz install':
    case 'viz uninstall':
      return toYamlStream(renderViz(version()));
    case 'multicluster install':
    case 'multicluster uninstall':
      return toYamlStream(renderMulticluster(argv, version()));
    case 'multicluster link':
    case 'multicluster link-gen':
      return toYamlStream(link(argv, context, words[1] === 'link-gen'));
    case 'multicluster unlink':
      return toYamlStream(linkSkeleton(flag(argv, '--cluster-name'), 'v1alpha1'));
    case 'smi install':
    case 'smi uninstall':
      return toYamlStream(renderSmi(smiVersion()));
    default:
      fail(`Error: unknown command "${words.join(' ')}" for "linkerd"\nRun 'linkerd --help' for usage.`);
  }
}

const kubeconfigMode = () => process.env.MESHSPEC_FAKE_CLUSTERS === 'kubeconfig';

/** The commands answered from the real cluster in kubeconfig mode; undefined for the rest. */
function readsCluster(key, argv) {
  switch (key) {
    case 'multicluster link':
    case 'multicluster link-gen':
      return toYamlStream(cluster.link(argv, { linkGen: key.endsWith('link-gen'), version: version() }));
    case 'multicluster unlink':
      return toYamlStream(cluster.unlink(argv));
    case 'uninstall': {
      const { objects, stderr } = cluster.uninstallControlPlane(argv);
      if (stderr) process.stderr.write(stderr);
      return objects.length > 0 ? toYamlStream(objects) : '';
    }
    case 'viz uninstall':
      return toYamlStream(cluster.uninstallExtension(argv, 'viz', 'linkerd-viz'));
    case 'multicluster uninstall':
      return toYamlStream(cluster.uninstallExtension(argv, 'multicluster', 'linkerd-multicluster'));
    default:
      return undefined;
  }
}

/** Minor release of the version the fake reports (13 for stable-2.13.3; edge releases count as the newest line). */
function minorVersion() {
  const m = /^(?:stable|enterprise)-2\.(\d+)\.|^version-2\.(\d+)/.exec(version());
  return m ? Number(m[1] ?? m[2]) : Number.MAX_SAFE_INTEGER;
}

/** Like client-go's loader: the context must be in the kubeconfig (`--kubeconfig`, else $KUBECONFIG). */
function requireKubeconfigContext(argv, context) {
  const file = flag(argv, '--kubeconfig') ?? process.env.KUBECONFIG;
  if (!file) fail('Error: no kubeconfig: set KUBECONFIG or --kubeconfig');
  let config;
  try {
    config = YAML.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`Error: failed to load kubeconfig ${file}: ${e.message}`);
  }
  const name = context ?? config?.['current-context'];
  if (!name) fail('Error: no current context set');
  if (!(config?.contexts ?? []).some((c) => c?.name === name)) fail(`Error: context "${name}" does not exist`);
}

function readRequired(argv, name, what) {
  const file = flag(argv, name);
  if (!file) fail(`Error: ${what}: ${name} is required when the issuer is not generated (the fake never generates one)`);
  try {
    return readFileSync(file, 'utf8');
  } catch {
    fail(`Error: failed to read ${what}: open ${file}: no such file or directory`);
  }
}

/** `linkerd install|upgrade` with external identity files, as meshspec calls it. */
function controlPlane(argv) {
  const anchors = readRequired(argv, '--identity-trust-anchors-file', 'trust anchors');
  const issuerCrt = readRequired(argv, '--identity-issuer-certificate-file', 'issuer certificate');
  const issuerKey = readRequired(argv, '--identity-issuer-key-file', 'issuer key');
  if (!/-----BEGIN CERTIFICATE-----/.test(anchors) || !/-----BEGIN CERTIFICATE-----/.test(issuerCrt))
    fail('Error: failed to validate issuer credentials: not a PEM certificate');
  if (!/-----BEGIN (EC )?PRIVATE KEY-----/.test(issuerKey))
    fail('Error: failed to validate issuer credentials: failed to decode the issuer private key (want an ECDSA P-256 key in PEM)');
  validateIssuer(
    flag(argv, '--identity-trust-anchors-file'),
    flag(argv, '--identity-issuer-certificate-file'),
    flag(argv, '--identity-issuer-key-file'),
  );
  return renderControlPlane(argv, version(), {
    anchors,
    issuerCrtFile: flag(argv, '--identity-issuer-certificate-file'),
    issuerKeyFile: flag(argv, '--identity-issuer-key-file'),
  });
}

/** `linkerd uninstall` lists objects to delete: the recorded control plane, Secrets and ConfigMaps without their contents. */
function renderControlPlaneForUninstall() {
  return recordedControlPlane(version()).map((o) =>
    o.kind === 'Secret' || o.kind === 'ConfigMap' ? { apiVersion: o.apiVersion, kind: o.kind, metadata: o.metadata } : o,
  );
}

function openssl(args) {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.error) fail(`fake linkerd: cannot run openssl to validate the issuer: ${r.error.message}`, 2);
  return { ok: r.status === 0, out: r.stdout.trim(), err: `${r.stderr}${r.stdout}`.trim() };
}

/**
 * What linkerd's issuercerts.VerifyAndBuildCreds checks before rendering anything: the key belongs to the
 * certificate, the certificate is a CA, and it chains to the trust anchors (dates included).
 */
function validateIssuer(anchorsFile, crtFile, keyFile) {
  const refuse = (reason) => fail(`Error: failed to validate issuer credentials: ${reason}`);
  const certKey = openssl(['x509', '-noout', '-pubkey', '-in', crtFile]);
  if (!certKey.ok) refuse(`failed to read CA: failed to parse the issuer certificate (${lastLine(certKey.err)})`);
  const keyPub = openssl(['pkey', '-pubout', '-in', keyFile]);
  if (!keyPub.ok) refuse('failed to read CA: failed to parse the issuer private key');
  if (certKey.out !== keyPub.out) refuse('failed to read CA: tls: private key does not match public key');
  const constraints = openssl(['x509', '-noout', '-ext', 'basicConstraints', '-in', crtFile]);
  if (!/CA:TRUE/.test(constraints.out)) refuse('issuer cert is not a CA');
  const verified = openssl(['verify', '-CAfile', anchorsFile, crtFile]);
  if (!verified.ok) {
    const why = lastLine(verified.err.split('\n').find((l) => /error \d+/.test(l)) ?? verified.err);
    refuse(
      /expired|not yet valid/.test(why)
        ? `x509: certificate has expired or is not yet valid (openssl: ${why})`
        : `x509: certificate signed by unknown authority (openssl: ${why})`,
    );
  }
}

const lastLine = (text) => text.split('\n').filter(Boolean).pop() ?? text;

function linkSkeleton(name, linkVersion) {
  const ns = 'linkerd-multicluster';
  return [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'mirror.linkerd.io/remote-kubeconfig',
      metadata: { name: `cluster-credentials-${name}`, namespace: ns },
    },
    { apiVersion: `multicluster.linkerd.io/${linkVersion}`, kind: 'Link', metadata: { name, namespace: ns } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `linkerd-service-mirror-${name}`, namespace: ns } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `linkerd-service-mirror-${name}`, namespace: ns } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: `probe-gateway-${name}`, namespace: ns } },
  ];
}

/** Run against the SOURCE context: credentials for it, plus the Link and service mirror for the target. */
function link(argv, sourceContext, linkGen) {
  // cobra parses flags first: 2.13 refuses --gateway before looking at anything else.
  refuseGatewayFlagBefore214(argv, minorVersion());
  const name = flag(argv, '--cluster-name');
  if (!name) fail('Error: You need to specify cluster name');
  const withGateway = flag(argv, '--gateway') !== 'false';
  if (!withGateway && !linkGen) refuseUnrecordedGatewayless(version());
  const address = withGateway ? loadBalancerAddress(sourceContext, 'linkerd-multicluster', 'linkerd-gateway') : undefined;
  if (withGateway && !address)
    fail(
      `Error: linkerd-gateway.linkerd-multicluster on ${sourceContext} has no external address: is the gateway Service stuck in <pending>?`,
    );
  // Without --api-server-address the CLI copies the server of the local kubeconfig (127.0.0.1 on kind).
  const server = flag(argv, '--api-server-address') ?? `https://127.0.0.1:${fakeApiPort(sourceContext)}`;
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${sourceContext}`,
    '  cluster:',
    '    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCmZha2UKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=',
    `    server: ${server}`,
    'contexts:',
    `- name: ${sourceContext}`,
    `  context: { cluster: ${sourceContext}, user: linkerd-service-mirror-remote-access-default }`,
    `current-context: ${sourceContext}`,
    'users:',
    '- name: linkerd-service-mirror-remote-access-default',
    `  user: { token: fake-service-account-token-${name} }`,
    '',
  ].join('\n');
  const [secret, linkObject, sa, mirror, probe] = linkSkeleton(name, linkGen ? 'v1alpha3' : 'v1alpha1');
  const mirrorLabels = { component: 'linkerd-service-mirror', 'mirror.linkerd.io/cluster-name': name };
  return [
    { ...secret, data: { kubeconfig: b64(kubeconfig) } },
    {
      ...linkObject,
      spec: linkGen
        ? linkGenSpec(
            name,
            withGateway
              ? { address, identity: 'linkerd-gateway.linkerd-multicluster.serviceaccount.identity.linkerd.cluster.local', port: '4143' }
              : undefined,
          )
        : {
            clusterCredentialsSecret: `cluster-credentials-${name}`,
            gatewayAddress: address ?? '',
            gatewayIdentity: 'linkerd-gateway.linkerd-multicluster.serviceaccount.identity.linkerd.cluster.local',
            gatewayPort: withGateway ? '4143' : '0',
            probeSpec: { path: '/ready', period: '3s', port: '4191' },
            selector: { matchLabels: { 'mirror.linkerd.io/exported': 'true' } },
            // Linkerd 2.14 added remote discovery; 2.13's Link schema has no such field (the real CRD refuses it).
            ...(minorVersion() >= 14
              ? { remoteDiscoverySelector: { matchLabels: { 'mirror.linkerd.io/exported': 'remote-discovery' } } }
              : {}),
            targetClusterDomain: 'cluster.local',
            targetClusterLinkerdNamespace: 'linkerd',
            targetClusterName: name,
          },
    },
    sa,
    ...(linkGen
      ? []
      : [
          {
            ...mirror,
            spec: {
              replicas: 1,
              selector: { matchLabels: mirrorLabels },
              template: {
                metadata: { labels: mirrorLabels },
                spec: {
                  containers: [
                    {
                      name: 'service-mirror',
                      image: `cr.l5d.io/linkerd/controller:${version()}`,
                      args: ['service-mirror', `-link-name=${name}`],
                    },
                  ],
                },
              },
            },
          },
          { ...probe, spec: { ports: [{ name: 'mc-probe', port: 4191 }] } },
        ]),
  ];
}
