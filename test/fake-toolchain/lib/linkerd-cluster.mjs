// The fake `linkerd`'s commands that READ a real cluster (MESHSPEC_FAKE_CLUSTERS=kubeconfig, the
// integration harness): `multicluster link|link-gen`, `multicluster unlink` and the `uninstall` variants.
// They behave like the real CLI (linkerd2 stable-2.13.3 and version-2.20, read for messages and exit
// codes): the same lookups against the API server, the same refusals, `Error: ...` first and then the
// command's usage on stderr for errors cobra reports. The cluster is read with the machine's `kubectl`,
// given the same --kubeconfig/$KUBECONFIG and --context the CLI got, so a context the kubeconfig lacks
// fails the same way it would for client-go.
import { spawnSync } from 'node:child_process';
import { b64, fail, flag, readFileSync, YAML } from './common.mjs';
import { linkGenSpec, refuseGatewayFlagBefore214, refuseUnrecordedGatewayless } from './linkerd-link-recorded.mjs';

const MC_NS = 'linkerd-multicluster';
const CONTROL_PLANE_NS = 'linkerd';
const EXTENSION_LABEL = 'linkerd.io/extension';
const CONTROL_PLANE_LABEL = 'linkerd.io/control-plane-ns';
const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
const GATEWAY_IDENTITY = 'mirror.linkerd.io/gateway-identity';

/** What the real CLI's cobra prints after `Error: ...` (abridged to the flags meshspec uses). */
const USAGE = {
  'multicluster link': [
    'linkerd multicluster link [flags]',
    [
      '--api-server-address string   The api server address of the target cluster',
      '--cluster-name string         Cluster name',
      '--gateway                     If false, allows a link to be created against a cluster that does not have a gateway service (default true)',
      '--gateway-addresses string    If specified, overwrites gateway addresses when gateway service is not type LoadBalancer (comma separated list)',
      '--gateway-name string         The name of the gateway service (default "linkerd-gateway")',
      '--gateway-namespace string    The namespace of the gateway service (default "linkerd-multicluster")',
      '--namespace string            The namespace for the service account (default "linkerd-multicluster")',
      '--service-account-name string The name of the service account associated with the credentials (default "linkerd-service-mirror-remote-access-default")',
    ],
  ],
  'multicluster link-gen': [
    'linkerd multicluster link-gen [flags]',
    [
      '--api-server-address string   The api server address of the target cluster',
      '--cluster-name string         Cluster name',
      '--gateway                     If false, allows a link to be created against a cluster that does not have a gateway service (default true)',
      '--gateway-name string         The name of the gateway service (default "linkerd-gateway")',
      '--gateway-namespace string    The namespace of the gateway service (default "linkerd-multicluster")',
      '-o, --output string           Output format. One of: yaml|json (default "yaml")',
      '--service-account-name string The name of the service account associated with the credentials (default "linkerd-service-mirror-remote-access-default")',
    ],
  ],
  'multicluster unlink': [
    'linkerd multicluster unlink [flags]',
    [
      '--cluster-name string   Cluster name',
      '--namespace string      The namespace for the service account (default "linkerd-multicluster")',
    ],
  ],
  'multicluster uninstall': ['linkerd multicluster uninstall [flags]', []],
};
const GLOBAL_FLAGS = [
  '--api-addr string            Override kubeconfig and communicate directly with the control plane at host:port (mostly for testing)',
  '--as string                  Username to impersonate for Kubernetes operations',
  '--as-group stringArray       Group to impersonate for Kubernetes operations',
  '--cni-namespace string       Namespace in which the Linkerd CNI plugin is installed (default "linkerd-cni")',
  '--context string             Name of the kubeconfig context to use',
  '--kubeconfig string          Path to the kubeconfig file to use for CLI requests',
  '-L, --linkerd-namespace string   Namespace in which Linkerd is installed ($LINKERD_NAMESPACE) (default "linkerd")',
  '--verbose                    Turn on debug logging',
];

/** A cobra error: `Error: <message>`, then the usage of the command, exit 1. */
function cobraError(command, message) {
  const [use, local] = USAGE[command] ?? [`linkerd ${command} [flags]`, []];
  const lines = [
    `Error: ${message}`,
    'Usage:',
    `  ${use}`,
    '',
    'Flags:',
    ...local.map((l) => `      ${l}`),
    '  -h, --help   help for this command',
    '',
    'Global Flags:',
    ...GLOBAL_FLAGS.map((l) => `      ${l}`),
    '',
  ];
  fail(lines.join('\n'), 1);
}

/** A cluster as the CLI sees it through client-go: --kubeconfig (else $KUBECONFIG) and --context. */
function clusterOf(argv) {
  const kubeconfig = flag(argv, '--kubeconfig') ?? process.env.KUBECONFIG;
  const context = flag(argv, '--context');
  const base = [...(kubeconfig ? ['--kubeconfig', kubeconfig] : []), ...(context ? ['--context', context] : [])];
  /** `kubectl get ... -o json`; undefined for NotFound (or a kind the server does not serve). */
  const get = (args) => {
    const r = spawnSync('kubectl', [...base, 'get', ...args, '-o', 'json'], { encoding: 'utf8', timeout: 60_000 });
    if (r.error) fail(`fake linkerd: cannot run kubectl to read the cluster: ${r.error.message}`, 2);
    if (r.status !== 0) {
      if (/NotFound|not found|the server doesn't have a resource type/.test(r.stderr)) return undefined;
      // Unreachable server, missing context...: client-go's words, as the real CLI would print them.
      const said =
        r.stderr
          .split('\n')
          .filter((l) => l.trim() && !/^E\d{4} /.test(l))
          .pop() ?? r.stderr.trim();
      fail(`Error: ${said.replace(/^error: /, '')}`, 1);
    }
    return JSON.parse(r.stdout);
  };
  const list = (args) => get(args)?.items ?? [];
  return { kubeconfig, context, get, list };
}

/** The server of the context's cluster in the kubeconfig (what the CLI copies without --api-server-address). */
function kubeconfigServer({ kubeconfig, context }) {
  const config = YAML.parse(readFileSync(kubeconfig, 'utf8'));
  const name = context ?? config['current-context'];
  const ctx = (config.contexts ?? []).find((c) => c.name === name)?.context;
  const cluster = (config.clusters ?? []).find((c) => c.name === ctx?.cluster)?.cluster;
  return { contextName: name, clusterName: ctx?.cluster ?? name, cluster: { ...cluster } };
}

/** Minor release of a Linkerd version string (13 for stable-2.13.3); edge builds count as the newest line. */
function minorOf(version) {
  const m = /^(?:stable|enterprise)-2\.(\d+)\.|^version-2\.(\d+)/.exec(version ?? '');
  return m ? Number(m[1] ?? m[2]) : Number.MAX_SAFE_INTEGER;
}

/** `multicluster link` (2.13) and `link-gen` (2.18+), run against the SOURCE cluster. */
export function link(argv, { linkGen, version }) {
  const command = linkGen ? 'multicluster link-gen' : 'multicluster link';
  // cobra parses flags first: 2.13 refuses --gateway before looking at anything else.
  refuseGatewayFlagBefore214(argv, minorOf(version));
  const name = flag(argv, '--cluster-name');
  if (!name) cobraError(command, linkGen ? 'you need to specify cluster name' : 'You need to specify cluster name');
  const k = clusterOf(argv);
  if (!k.get(['configmap', 'linkerd-config', '-n', CONTROL_PLANE_NS]))
    cobraError(command, 'you need Linkerd to be installed on a cluster in order to get its credentials');
  const saName = flag(argv, '--service-account-name') ?? 'linkerd-service-mirror-remote-access-default';
  if (!k.get(['serviceaccount', saName, '-n', MC_NS])) cobraError(command, `serviceaccounts "${saName}" not found`);
  const tokenSecret = k
    .list(['secrets', '-n', MC_NS, '--field-selector', 'type=kubernetes.io/service-account-token'])
    .find((s) => s.metadata?.annotations?.[SA_NAME_ANNOTATION] === saName);
  if (!tokenSecret) cobraError(command, `could not find service account token secret for ${saName}`);
  const token = tokenSecret.data?.token;
  if (!token) cobraError(command, `could not find the token data in service account secret ${tokenSecret.metadata.name}`);

  const { contextName, clusterName, cluster } = kubeconfigServer(k);
  const server = flag(argv, '--api-server-address') ?? cluster.server;
  const credentialsKubeconfig = YAML.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: clusterName, cluster: { ...cluster, server } }],
    contexts: [{ name: contextName, context: { cluster: clusterName, user: saName } }],
    'current-context': contextName,
    users: [{ name: saName, user: { token: Buffer.from(token, 'base64').toString() } }],
  });

  const withGateway = flag(argv, '--gateway') !== 'false';
  if (!withGateway && !linkGen) refuseUnrecordedGatewayless(version);
  let gatewayAddress = '';
  let gatewayIdentity = '';
  let gatewayPort = '0';
  if (withGateway) {
    const gateway = k.get(['service', 'linkerd-gateway', '-n', MC_NS]);
    if (!gateway) cobraError(command, 'services "linkerd-gateway" not found');
    const addresses = (gateway.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname).filter(Boolean);
    if (addresses.length === 0) cobraError(command, `${linkGen ? 'gateway' : 'Gateway'} linkerd-gateway.${MC_NS} has no ingress addresses`);
    gatewayAddress = addresses.join(',');
    gatewayIdentity = gateway.metadata?.annotations?.[GATEWAY_IDENTITY] ?? '';
    if (!gatewayIdentity)
      cobraError(command, `${linkGen ? 'gateway' : 'Gateway'} linkerd-gateway.${MC_NS} has no ${GATEWAY_IDENTITY} annotation`);
    gatewayPort = String((gateway.spec?.ports ?? []).find((p) => p.name === 'mc-gateway')?.port ?? '');
    if (!gatewayPort) cobraError(command, `gateway service linkerd-gateway has no gateway port named mc-gateway`);
  }

  const credentials = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'mirror.linkerd.io/remote-kubeconfig',
    metadata: { name: `cluster-credentials-${name}`, namespace: MC_NS },
    data: { kubeconfig: b64(credentialsKubeconfig) },
  };
  const linkObject = {
    apiVersion: `multicluster.linkerd.io/${linkGen ? 'v1alpha3' : 'v1alpha1'}`,
    kind: 'Link',
    metadata: { name, namespace: MC_NS },
    spec: linkGen
      ? linkGenSpec(name, withGateway ? { address: gatewayAddress, identity: gatewayIdentity, port: gatewayPort } : undefined)
      : {
          clusterCredentialsSecret: `cluster-credentials-${name}`,
          gatewayAddress,
          gatewayIdentity,
          gatewayPort,
          probeSpec: { path: '/ready', period: '3s', port: '4191' },
          selector: { matchLabels: { 'mirror.linkerd.io/exported': 'true' } },
          // Linkerd 2.14 added remote discovery; 2.13's Link schema has no such field (the real CRD refuses it).
          ...(minorOf(version) >= 14
            ? { remoteDiscoverySelector: { matchLabels: { 'mirror.linkerd.io/exported': 'remote-discovery' } } }
            : {}),
          targetClusterDomain: 'cluster.local',
          targetClusterLinkerdNamespace: CONTROL_PLANE_NS,
          targetClusterName: name,
        },
  };
  if (linkGen) return [credentials, linkObject];
  // 2.13: `link` also renders the link's own service mirror for the target cluster.
  const labels = { component: 'linkerd-service-mirror', 'mirror.linkerd.io/cluster-name': name };
  return [
    credentials,
    linkObject,
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `linkerd-service-mirror-${name}`, namespace: MC_NS, labels } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `linkerd-service-mirror-${name}`, namespace: MC_NS, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: `linkerd-service-mirror-${name}`,
            containers: [
              { name: 'service-mirror', image: `cr.l5d.io/linkerd/controller:${version}`, args: ['service-mirror', `-link-name=${name}`] },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: `probe-gateway-${name}`,
        namespace: MC_NS,
        labels: { 'mirror.linkerd.io/mirrored-gateway': 'true', 'mirror.linkerd.io/cluster-name': name },
      },
      spec: { ports: [{ name: 'mc-probe', port: 4191, protocol: 'TCP' }] },
    },
  ];
}

/** `multicluster unlink` (2.13): fails unless the Link exists, else names what `link` created. */
export function unlink(argv) {
  const name = flag(argv, '--cluster-name');
  if (!name) cobraError('multicluster unlink', 'You need to specify cluster name');
  const k = clusterOf(argv);
  const ns = flag(argv, '--namespace') ?? MC_NS;
  if (!k.get(['links.multicluster.linkerd.io', name, '-n', ns]))
    cobraError('multicluster unlink', `links.multicluster.linkerd.io "${name}" not found`);
  const ref = (apiVersion, kind, n, namespace) => ({ apiVersion, kind, metadata: { name: n, ...(namespace ? { namespace } : {}) } });
  const mirrored = k.list(['services', '-A', '-l', `mirror.linkerd.io/mirrored-service=true,mirror.linkerd.io/cluster-name=${name}`]);
  return [
    ref('v1', 'Secret', `cluster-credentials-${name}`, ns),
    ref('v1', 'Service', `probe-gateway-${name}`, ns),
    ref('multicluster.linkerd.io/v1alpha1', 'Link', name, ns),
    ref('rbac.authorization.k8s.io/v1', 'ClusterRole', `linkerd-service-mirror-access-local-resources-${name}`),
    ref('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', `linkerd-service-mirror-access-local-resources-${name}`),
    ref('rbac.authorization.k8s.io/v1', 'Role', `linkerd-service-mirror-read-remote-creds-${name}`, ns),
    ref('rbac.authorization.k8s.io/v1', 'RoleBinding', `linkerd-service-mirror-read-remote-creds-${name}`, ns),
    ref('v1', 'ServiceAccount', `linkerd-service-mirror-${name}`, ns),
    ref('apps/v1', 'Deployment', `linkerd-service-mirror-${name}`, ns),
    ...mirrored.map((s) => ref('v1', 'Service', s.metadata.name, s.metadata.namespace)),
  ];
}

/** The kinds pkg/k8s/resource.FetchKubernetesResources lists, in its order. */
const UNINSTALLED_KINDS = [
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles.rbac.authorization.k8s.io', false],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'clusterrolebindings.rbac.authorization.k8s.io', false],
  ['rbac.authorization.k8s.io/v1', 'Role', 'roles.rbac.authorization.k8s.io', true],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings.rbac.authorization.k8s.io', true],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'customresourcedefinitions.apiextensions.k8s.io', false],
  ['apiregistration.k8s.io/v1', 'APIService', 'apiservices.apiregistration.k8s.io', false],
  ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations.admissionregistration.k8s.io', false],
  [
    'admissionregistration.k8s.io/v1',
    'ValidatingWebhookConfiguration',
    'validatingwebhookconfigurations.admissionregistration.k8s.io',
    false,
  ],
  ['v1', 'Namespace', 'namespaces', false],
];

/** What the cluster holds under `selector`, as the CLI renders it for `kubectl delete -f -`. */
function fetchResources(k, selector) {
  return UNINSTALLED_KINDS.flatMap(([apiVersion, kind, resource, namespaced]) =>
    k
      .list([resource, ...(namespaced ? ['-A'] : []), '-l', selector])
      .map((o) => ({ apiVersion, kind, metadata: { name: o.metadata.name, ...(namespaced ? { namespace: o.metadata.namespace } : {}) } })),
  );
}

/**
 * `linkerd uninstall`: refuses (exit 1, no `Error:` prefix: the CLI prints and exits itself) while an
 * extension's namespace exists, Terminating or not; with nothing left it prints "No resources found to
 * uninstall" on stderr and exits 0 (the control plane's uninstall only prints that error).
 */
export function uninstallControlPlane(argv) {
  const k = clusterOf(argv);
  const extensions = k.list(['namespaces', '-l', EXTENSION_LABEL]);
  if (extensions.length > 0 && !argv.includes('--force') && !argv.includes('-f')) {
    const names = extensions.map((ns) => `* ${ns.metadata.labels[EXTENSION_LABEL]}`);
    fail(`Please uninstall the following extensions before uninstalling the control-plane:\n\t${names.join('\n\t')}\n`, 1);
  }
  const resources = fetchResources(k, CONTROL_PLANE_LABEL);
  if (resources.length === 0) return { objects: [], stderr: 'No resources found to uninstall\n' };
  return { objects: resources };
}

/** `viz uninstall` / `multicluster uninstall`: exit 1 with "No resources found to uninstall" when nothing is left. */
export function uninstallExtension(argv, extension, legacy) {
  const k = clusterOf(argv);
  if (extension === 'multicluster') {
    const links = k.list(['links.multicluster.linkerd.io', '-A']);
    if (links.length > 0)
      cobraError(
        'multicluster uninstall',
        [
          'Please unlink the following clusters before uninstalling multicluster:',
          ...links.map((l) => `  * ${l.spec?.targetClusterName ?? l.metadata.name}`),
        ].join('\n'),
      );
  }
  const resources = fetchResources(k, `${EXTENSION_LABEL} in (${extension},${legacy})`);
  if (resources.length === 0) fail('No resources found to uninstall\n', 1);
  return resources;
}
