// Fake `linkerd` CLI (and `linkerd-smi`, run as `linkerd smi ...`): renders small but real-shaped
// manifests (CRDs, namespaces, deployments, services, the identity issuer Secret built from the given
// files like the chart does) to stdout. `multicluster link` reads the source gateway's LoadBalancer
// address as published by the test's cluster simulation, and fails without one like the real CLI.
// `install|upgrade` validate the issuer credentials with openssl as the real CLI does with Go's x509.
// With MESHSPEC_FAKE_CLUSTERS=kubeconfig the contexts are those of $KUBECONFIG (real API servers, as in
// test/integration): the fake checks the context exists there but never talks to the server.
import { spawnSync } from 'node:child_process';
import { b64, fail, flag, flags, hasFlag, loadBalancerAddress, positionals, readFileSync, requireCluster, fakeApiPort, toYamlStream, YAML } from './common.mjs';
import * as cluster from './linkerd-cluster.mjs';

const VALUED = ['--context', '--kubeconfig', '--set', '--cluster-name', '--api-server-address', '--identity-trust-anchors-file', '--identity-issuer-certificate-file', '--identity-issuer-key-file', '-o', '--output', '--namespace', '-n'];
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
      if (hasFlag(argv, '--crds')) return toYamlStream(crds(argv));
      return toYamlStream(controlPlane(argv, 'install'));
    case 'upgrade':
      return toYamlStream(controlPlane(argv, 'upgrade'));
    case 'uninstall':
      return toYamlStream([...controlPlaneSkeleton(), ...crds(argv)]);
    case 'viz install':
    case 'viz uninstall':
      return toYamlStream(viz());
    case 'multicluster install':
    case 'multicluster uninstall':
      return toYamlStream(multicluster(argv));
    case 'multicluster link':
    case 'multicluster link-gen':
      return toYamlStream(link(argv, context, words[1] === 'link-gen'));
    case 'multicluster unlink':
      return toYamlStream(linkSkeleton(flag(argv, '--cluster-name'), 'v1alpha1'));
    case 'smi install':
    case 'smi uninstall':
      return toYamlStream(smi());
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

/** Minor release of the version the fake reports (13 for stable-2.13.3; edge releases count as the newest line). */
function minorVersion() {
  const m = /^(?:stable|enterprise)-2\.(\d+)\.|^version-2\.(\d+)/.exec(version());
  return m ? Number(m[1] ?? m[2]) : Number.MAX_SAFE_INTEGER;
}

function crd(group, kind, plural, versions) {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${plural}.${group}`,
      labels: { 'linkerd.io/control-plane-ns': 'linkerd' },
      // A real API server refuses CRDs of *.k8s.io groups without it (the Gateway API CRDs carry it).
      ...(group.endsWith('.k8s.io') ? { annotations: { 'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api/pull/1538' } } : {}),
    },
    spec: {
      group,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      scope: 'Namespaced',
      versions: versions.map((name, i) => ({ name, served: true, storage: i === versions.length - 1, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } })),
    },
  };
}

/** Linkerd's CRD names per release; the Gateway API HTTPRoute CRD ships with the CLI from 2.14 on. */
function crds(argv) {
  const gatewayApi = minorVersion() >= 14 && !flags(argv, '--set').includes('installGatewayAPI=false');
  return [
    crd('policy.linkerd.io', 'AuthorizationPolicy', 'authorizationpolicies', ['v1alpha1']),
    crd('policy.linkerd.io', 'HTTPRoute', 'httproutes', ['v1alpha1', 'v1beta1', 'v1beta2']),
    crd('policy.linkerd.io', 'MeshTLSAuthentication', 'meshtlsauthentications', ['v1alpha1']),
    crd('policy.linkerd.io', 'NetworkAuthentication', 'networkauthentications', ['v1alpha1']),
    crd('policy.linkerd.io', 'ServerAuthorization', 'serverauthorizations', ['v1beta1']),
    crd('policy.linkerd.io', 'Server', 'servers', ['v1beta1']),
    crd('linkerd.io', 'ServiceProfile', 'serviceprofiles', ['v1alpha2']),
    ...(gatewayApi ? [crd('gateway.networking.k8s.io', 'HTTPRoute', 'httproutes', ['v1alpha2', 'v1beta1', 'v1'])] : []),
  ];
}

function deployment(name, namespace, component, image = `cr.l5d.io/linkerd/${component}:${version()}`) {
  const selector = { 'linkerd.io/control-plane-component': component };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: selector },
    spec: { replicas: 1, selector: { matchLabels: selector }, template: { metadata: { labels: selector }, spec: { containers: [{ name: component, image }] } } },
  };
}

function service(name, namespace, component, port, extra = {}) {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ name: 'grpc', port, targetPort: port }], selector: { 'linkerd.io/control-plane-component': component }, ...extra } };
}

function controlPlaneSkeleton() {
  const ns = 'linkerd';
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'linkerd.io/is-control-plane': 'true', 'config.linkerd.io/admission-webhooks': 'disabled', 'linkerd.io/control-plane-ns': ns }, annotations: { 'linkerd.io/inject': 'disabled' } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'linkerd-identity', namespace: ns } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'linkerd-destination', namespace: ns } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'linkerd-config', namespace: ns }, data: { values: '' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'linkerd-identity-trust-roots', namespace: ns }, data: { 'ca-bundle.crt': '' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'linkerd-identity-issuer', namespace: ns } },
    service('linkerd-identity', ns, 'identity', 8080),
    service('linkerd-dst', ns, 'destination', 8086),
    service('linkerd-policy', ns, 'destination', 8090),
    service('linkerd-proxy-injector', ns, 'proxy-injector', 443),
    deployment('linkerd-identity', ns, 'identity', `cr.l5d.io/linkerd/controller:${version()}`),
    deployment('linkerd-destination', ns, 'destination', `cr.l5d.io/linkerd/controller:${version()}`),
    deployment('linkerd-proxy-injector', ns, 'proxy-injector', `cr.l5d.io/linkerd/controller:${version()}`),
    { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'linkerd-proxy-injector-webhook-config', labels: { 'linkerd.io/control-plane-ns': ns } } },
  ];
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
  if (!/-----BEGIN CERTIFICATE-----/.test(anchors) || !/-----BEGIN CERTIFICATE-----/.test(issuerCrt)) fail('Error: failed to validate issuer credentials: not a PEM certificate');
  if (!/-----BEGIN (EC )?PRIVATE KEY-----/.test(issuerKey)) fail('Error: failed to validate issuer credentials: failed to decode the issuer private key (want an ECDSA P-256 key in PEM)');
  validateIssuer(flag(argv, '--identity-trust-anchors-file'), flag(argv, '--identity-issuer-certificate-file'), flag(argv, '--identity-issuer-key-file'));
  const sets = flags(argv, '--set');
  const values = [`identityTrustAnchorsPEM: |\n${indent(anchors.trim())}`, ...sets.map((s) => `# --set ${s}`), `linkerdVersion: ${version()}`].join('\n');
  return controlPlaneSkeleton().map((o) => {
    if (o.metadata.name === 'linkerd-config') return { ...o, data: { values } };
    if (o.metadata.name === 'linkerd-identity-trust-roots') return { ...o, data: { 'ca-bundle.crt': anchors.trim() } };
    // What the chart does with the issuer: base64 PEMs in a Secret (so stdout holds the key). The CLI
    // re-encodes the certificate (Go's pem.EncodeToMemory: ends with a newline).
    if (o.metadata.name === 'linkerd-identity-issuer') return { ...o, data: { 'crt.pem': b64(`${issuerCrt.trim()}\n`), 'key.pem': b64(issuerKey.trim()) } };
    return o;
  });
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
    refuse(/expired|not yet valid/.test(why) ? `x509: certificate has expired or is not yet valid (openssl: ${why})` : `x509: certificate signed by unknown authority (openssl: ${why})`);
  }
}

const lastLine = (text) => text.split('\n').filter(Boolean).pop() ?? text;

const indent = (text) => text.split('\n').map((l) => `  ${l}`).join('\n');

function viz() {
  const ns = 'linkerd-viz';
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'linkerd.io/extension': 'viz' } } },
    ...['metrics-api', 'tap', 'tap-injector', 'web', 'prometheus'].flatMap((name) => [
      service(name, ns, name, 8085),
      { ...deployment(name, ns, name, `cr.l5d.io/linkerd/${name}:${version()}`), metadata: { name, namespace: ns, labels: { 'linkerd.io/extension': 'viz', component: name } } },
    ]),
  ];
}

function multicluster(argv) {
  const ns = 'linkerd-multicluster';
  const gateway = !flags(argv, '--set').includes('gateway.enabled=false');
  const gatewayLabels = { app: 'linkerd-gateway', 'linkerd.io/extension': 'multicluster' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'linkerd.io/extension': 'multicluster' } } },
    crd('multicluster.linkerd.io', 'Link', 'links', ['v1alpha1', 'v1alpha2', 'v1alpha3']),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'linkerd-service-mirror-remote-access-default', namespace: ns } },
    { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'linkerd-service-mirror-remote-access-default-token', namespace: ns, annotations: { 'kubernetes.io/service-account.name': 'linkerd-service-mirror-remote-access-default' } } },
    ...(gateway
      ? [
          { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'linkerd-gateway', namespace: ns } },
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'linkerd-gateway', namespace: ns, labels: gatewayLabels },
            spec: { replicas: 1, selector: { matchLabels: { app: 'linkerd-gateway' } }, template: { metadata: { labels: gatewayLabels, annotations: { 'linkerd.io/inject': 'enabled' } }, spec: { containers: [{ name: 'pause', image: 'gcr.io/google_containers/pause:3.2' }] } } },
          },
          {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: 'linkerd-gateway', namespace: ns, annotations: { 'mirror.linkerd.io/gateway-identity': 'linkerd-gateway.linkerd-multicluster.serviceaccount.identity.linkerd.cluster.local', 'mirror.linkerd.io/probe-path': '/ready', 'mirror.linkerd.io/probe-period': '3' } },
            spec: { type: 'LoadBalancer', selector: { app: 'linkerd-gateway' }, ports: [{ name: 'mc-gateway', port: 4143 }, { name: 'mc-probe', port: 4191 }] },
          },
        ]
      : []),
  ];
}

function linkSkeleton(name, linkVersion) {
  const ns = 'linkerd-multicluster';
  return [
    { apiVersion: 'v1', kind: 'Secret', type: 'mirror.linkerd.io/remote-kubeconfig', metadata: { name: `cluster-credentials-${name}`, namespace: ns } },
    { apiVersion: `multicluster.linkerd.io/${linkVersion}`, kind: 'Link', metadata: { name, namespace: ns } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `linkerd-service-mirror-${name}`, namespace: ns } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `linkerd-service-mirror-${name}`, namespace: ns } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: `probe-gateway-${name}`, namespace: ns } },
  ];
}

/** Run against the SOURCE context: credentials for it, plus the Link and service mirror for the target. */
function link(argv, sourceContext, linkGen) {
  const name = flag(argv, '--cluster-name');
  if (!name) fail('Error: You need to specify cluster name');
  const withGateway = flag(argv, '--gateway') !== 'false';
  const address = withGateway ? loadBalancerAddress(sourceContext, 'linkerd-multicluster', 'linkerd-gateway') : undefined;
  if (withGateway && !address) fail(`Error: linkerd-gateway.linkerd-multicluster on ${sourceContext} has no external address: is the gateway Service stuck in <pending>?`);
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
      spec: {
        clusterCredentialsSecret: `cluster-credentials-${name}`,
        gatewayAddress: address ?? '',
        gatewayIdentity: 'linkerd-gateway.linkerd-multicluster.serviceaccount.identity.linkerd.cluster.local',
        gatewayPort: withGateway ? '4143' : '0',
        probeSpec: { path: '/ready', period: '3s', port: '4191' },
        selector: { matchLabels: { 'mirror.linkerd.io/exported': 'true' } },
        remoteDiscoverySelector: { matchLabels: { 'mirror.linkerd.io/exported': 'remote-discovery' } },
        targetClusterDomain: 'cluster.local',
        targetClusterLinkerdNamespace: 'linkerd',
        targetClusterName: name,
      },
    },
    sa,
    ...(linkGen
      ? []
      : [
          { ...mirror, spec: { replicas: 1, selector: { matchLabels: mirrorLabels }, template: { metadata: { labels: mirrorLabels }, spec: { containers: [{ name: 'service-mirror', image: `cr.l5d.io/linkerd/controller:${version()}`, args: ['service-mirror', `-link-name=${name}`] }] } } } },
          { ...probe, spec: { ports: [{ name: 'mc-probe', port: 4191 }] } },
        ]),
  ];
}

function smi() {
  const ns = 'linkerd-smi';
  const labels = { 'linkerd.io/extension': 'smi', component: 'smi-adaptor' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'linkerd.io/extension': 'smi' } } },
    crd('split.smi-spec.io', 'TrafficSplit', 'trafficsplits', ['v1alpha1', 'v1alpha2']),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'smi-adaptor', namespace: ns } },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'smi-adaptor', namespace: ns, labels }, spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'smi-adaptor', image: `cr.l5d.io/linkerd/smi-adaptor:${smiVersion()}` }] } } } },
  ];
}
