// Fake `helm` (v3): releases are JSON records under <state>/helm/<kube context>/<namespace>/<release>.json,
// holding what `helm status -o json` prints, including the rendered `manifest` of the two charts meshspec
// installs (MetalLB, ingress-nginx). The test's cluster simulation applies that manifest, as helm would.
import { withRecordedImages } from './chart-images.mjs';
import {
  existsSync,
  fail,
  flag,
  hasFlag,
  positionals,
  readFileSync,
  readJson,
  remove,
  requireCluster,
  stateDir,
  statePath,
  toYamlStream,
  writeJson,
  YAML,
} from './common.mjs';
import { imagesOf, pullImages } from './images.mjs';

const VALUED = [
  '--namespace',
  '-n',
  '--kube-context',
  '--kubeconfig',
  '--repo',
  '--version',
  '--timeout',
  '-f',
  '--values',
  '-o',
  '--output',
  '--set',
];
const releaseFile = (context, namespace, release) => statePath('helm', context, namespace, `${release}.json`);

const CHARTS = {
  metallb: { repo: 'https://metallb.github.io/metallb', latest: '0.14.9', appVersion: (v) => `v${v}`, render: renderMetallb },
  'ingress-nginx': {
    repo: 'https://kubernetes.github.io/ingress-nginx',
    latest: '4.11.5',
    appVersion: () => '1.11.5',
    render: renderIngressNginx,
  },
};

export async function run(argv, call) {
  const [verb] = positionals(argv, VALUED);
  if (verb === 'version') return 'v3.16.3+gcfd0749\n';
  if (verb === 'upgrade') return upgrade(argv, call);
  if (verb === 'status') return status(argv);
  if (verb === 'get' && positionals(argv, VALUED)[1] === 'metadata') return getMetadata(argv);
  if (verb === 'uninstall') return uninstall(argv);
  fail(
    `Error: unknown command "${verb}" for "helm" (the fake toolchain implements upgrade --install, status, get metadata, uninstall, version)`,
  );
}

function target(argv) {
  return { namespace: flag(argv, '--namespace') ?? flag(argv, '-n') ?? 'default', context: flag(argv, '--kube-context') };
}

async function upgrade(argv, call) {
  const [, release, chartRef] = positionals(argv, VALUED);
  if (!hasFlag(argv, '--install'))
    fail(`Error: UPGRADE FAILED: "${release}" has no deployed releases (the fake only does upgrade --install)`);
  const { namespace, context } = target(argv);
  const cluster = requireCluster(context, 'helm');
  const chartName = chartRef?.split('/').pop();
  const chart = CHARTS[chartName];
  const repo = flag(argv, '--repo');
  if (!chart || (repo && repo.replace(/\/$/, '') !== chart.repo))
    fail(`Error: chart "${chartRef}" not found in ${repo ?? 'the configured'} repository`);
  const version = flag(argv, '--version') ?? chart.latest;
  const valuesFiles = [...argv.flatMap((a, i) => (a === '-f' || a === '--values' ? [argv[i + 1]] : []))];
  let values = {};
  const files = {};
  for (const file of valuesFiles) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      fail(`Error: open ${file}: no such file or directory`);
    }
    files[file] = text;
    values = { ...values, ...(YAML.parse(text) ?? {}) };
  }
  // Recorded in the log: the values file is removed by the caller right after the call.
  if (valuesFiles.length > 0) call.extra.values = values;
  const file = releaseFile(context, namespace, release);
  const previous = readJson(file);
  const revision = (previous?.version ?? 0) + 1;
  const now = new Date().toISOString();
  const record = {
    name: release,
    info: {
      first_deployed: previous?.info.first_deployed ?? now,
      last_deployed: now,
      deleted: '',
      description: previous ? 'Upgrade complete' : 'Install complete',
      status: 'deployed',
      notes: '',
    },
    chart: { metadata: { name: chartName, version, appVersion: chart.appVersion(version), apiVersion: 'v2' } },
    config: values,
    manifest: toYamlStream(withRecordedImages(chart.render({ release, namespace, values }), chartName, version)),
    version: revision,
    namespace,
    // Not part of helm's JSON: what the cluster simulation needs to act like --create-namespace.
    fake: { createNamespace: hasFlag(argv, '--create-namespace'), wait: hasFlag(argv, '--wait'), repo: repo ?? null },
  };
  writeJson(file, record);
  // --wait returns once the release's pods are ready, i.e. after their images are pulled.
  if (hasFlag(argv, '--wait'))
    await pullImages(stateDir(), context, imagesOf(YAML.parseAllDocuments(record.manifest).map((d) => d.toJS())), {
      mirrored: (cluster.mirrors ?? []).length > 0,
    });
  const head = previous
    ? `Release "${release}" has been upgraded. Happy Helming!\n`
    : `Release "${release}" does not exist. Installing it now.\n`;
  return `${head}NAME: ${release}\nLAST DEPLOYED: ${new Date(now).toUTCString()}\nNAMESPACE: ${namespace}\nSTATUS: deployed\nREVISION: ${revision}\nTEST SUITE: None\n`;
}

function status(argv) {
  const [, release] = positionals(argv, VALUED);
  const { namespace, context } = target(argv);
  requireCluster(context, 'helm');
  const record = readJson(releaseFile(context, namespace, release));
  if (!record) fail('Error: release: not found');
  const { fake: _hidden, ...shown } = record;
  const output = flag(argv, '-o') ?? flag(argv, '--output');
  if (output === 'json') return `${JSON.stringify(shown)}\n`;
  return `NAME: ${release}\nLAST DEPLOYED: ${new Date(record.info.last_deployed).toUTCString()}\nNAMESPACE: ${namespace}\nSTATUS: ${record.info.status}\nREVISION: ${record.version}\n`;
}

/** `helm get metadata` (helm >= 3.13): the release's chart name/version, revision and status. */
function getMetadata(argv) {
  const [, , release] = positionals(argv, VALUED);
  const { namespace, context } = target(argv);
  requireCluster(context, 'helm');
  const record = readJson(releaseFile(context, namespace, release));
  if (!record) fail('Error: release: not found');
  const meta = {
    name: release,
    chart: record.chart.metadata.name,
    version: record.chart.metadata.version,
    appVersion: record.chart.metadata.appVersion,
    namespace,
    revision: record.version,
    status: record.info.status,
    deployedAt: record.info.last_deployed,
  };
  const output = flag(argv, '-o') ?? flag(argv, '--output');
  if (output === 'json') return `${JSON.stringify(meta)}\n`;
  return (
    Object.entries(meta)
      .map(([k, v]) => `${k.toUpperCase()}: ${v}`)
      .join('\n') + '\n'
  );
}

function uninstall(argv) {
  const [, release] = positionals(argv, VALUED);
  const { namespace, context } = target(argv);
  requireCluster(context, 'helm');
  const file = releaseFile(context, namespace, release);
  if (!existsSync(file)) fail(`Error: uninstall: Release not loaded: ${release}: release: not found`);
  remove(file);
  return `release "${release}" uninstalled\n`;
}

const labels = (release, component, name) => ({
  'app.kubernetes.io/name': name,
  'app.kubernetes.io/instance': release,
  'app.kubernetes.io/component': component,
});

function deployment(name, namespace, selector, annotations = {}, kind = 'Deployment') {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace, labels: selector },
    spec: {
      ...(kind === 'Deployment' ? { replicas: 1 } : {}),
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: selector, ...(Object.keys(annotations).length ? { annotations } : {}) },
        spec: { containers: [{ name: 'main', image: `fake/${name}:latest` }] },
      },
    },
  };
}

function crd(group, kind, plural, versions, scope = 'Namespaced') {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      scope,
      versions: versions.map((name, i) => ({
        name,
        served: true,
        storage: i === versions.length - 1,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      })),
    },
  };
}

function renderMetallb({ release, namespace }) {
  const controller = labels(release, 'controller', 'metallb');
  const speaker = labels(release, 'speaker', 'metallb');
  return [
    crd('metallb.io', 'IPAddressPool', 'ipaddresspools', ['v1beta1']),
    crd('metallb.io', 'L2Advertisement', 'l2advertisements', ['v1beta1']),
    crd('metallb.io', 'BGPPeer', 'bgppeers', ['v1beta1', 'v1beta2']),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `${release}-controller`, namespace } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: `${release}-speaker`, namespace } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'metallb-webhook-cert', namespace } },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'metallb-webhook-service', namespace },
      spec: { ports: [{ port: 443, targetPort: 9443 }], selector: controller },
    },
    deployment(`${release}-controller`, namespace, controller),
    deployment(`${release}-speaker`, namespace, speaker, {}, 'DaemonSet'),
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'metallb-webhook-configuration' },
      webhooks: [
        {
          name: 'ipaddresspoolvalidationwebhook.metallb.io',
          clientConfig: { service: { name: 'metallb-webhook-service', namespace, path: '/validate-metallb-io-v1beta1-ipaddresspool' } },
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
        },
      ],
    },
  ];
}

function renderIngressNginx({ release, namespace, values }) {
  const c = values.controller ?? {};
  const className = c.ingressClassResource?.name ?? 'nginx';
  const controller = labels(release, 'controller', 'ingress-nginx');
  const name = `${release}-controller`;
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: release, namespace } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { 'allow-snippet-annotations': 'false' } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: className },
      spec: { controller: c.ingressClassResource?.controllerValue ?? 'k8s.io/ingress-nginx' },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: {
        type: c.service?.type ?? 'LoadBalancer',
        ports: [
          { name: 'http', port: 80, targetPort: 'http' },
          { name: 'https', port: 443, targetPort: 'https' },
        ],
        selector: controller,
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `${name}-admission`, namespace },
      spec: { ports: [{ name: 'https-webhook', port: 443, targetPort: 'webhook' }], selector: controller },
    },
    deployment(name, namespace, controller, c.podAnnotations ?? {}),
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: `${release}-admission` },
      webhooks: [
        {
          name: 'validate.nginx.ingress.kubernetes.io',
          clientConfig: { service: { name: `${name}-admission`, namespace, path: '/networking/v1/ingresses' } },
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
        },
      ],
    },
  ];
}
