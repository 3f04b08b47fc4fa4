// Pure renderers for the demo app. No I/O: the same inputs give the same objects (golden-tested).
import { createHash } from 'node:crypto';
import type { KubeObject } from '@meshspec/core/plugin';
import type { LinkerdFacts } from '@meshspec/plugin-linkerd';
import { demoOptions, type DemoOptions, type DemoSection } from './schema.js';

export const PODINFO_PORT = 9898;
export const FRONTEND_PORT = 8080;

/**
 * Name of the mirror Linkerd creates in a cluster for `service` exported by `remote`: Linkerd's own rule,
 * passed in from the linkerd plugin's facts (`mirrorName`), so there is one source of it.
 */
export type MirrorNaming = LinkerdFacts['mirrorName'];

/** nginx variable names allow only [A-Za-z0-9_]; cluster names may hold dashes. */
function nginxVar(cluster: string): string {
  return `podinfo_${cluster.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/**
 * nginx.conf of the frontend. Upstreams are variables so nginx resolves them per request through the
 * cluster DNS instead of at start-up: nginx starts (and keeps serving `/`) even when a remote mirror
 * does not exist yet, which is normal until the link and the export are in place.
 */
export function renderNginxConf(
  cluster: string,
  allClusters: readonly string[],
  options: Pick<DemoOptions, 'namespace' | 'clusterDns'>,
  mirrorName: MirrorNaming,
): string {
  const ns = options.namespace;
  const remotes = allClusters.filter((c) => c !== cluster);
  const lines = [
    'events {}',
    'http {',
    `  resolver ${options.clusterDns} valid=10s;`,
    '  server {',
    `    listen ${FRONTEND_PORT};`,
    '    location / {',
    `      set $${nginxVar(cluster)} podinfo.${ns}.svc.cluster.local;`,
    `      proxy_pass http://$${nginxVar(cluster)}:${PODINFO_PORT};`,
    '    }',
  ];
  for (const remote of remotes) {
    lines.push(
      // Regex, not prefix: `/west` must not also catch `/western`.
      `    location ~ ^/${remote}(/|$) {`,
      `      set $${nginxVar(remote)} ${mirrorName('podinfo', remote)}.${ns}.svc.cluster.local;`,
      // With a variable upstream nginx forwards the URI unchanged; strip the cluster prefix first.
      `      rewrite ^/${remote}/?(.*)$ /$1 break;`,
      `      proxy_pass http://$${nginxVar(remote)}:${PODINFO_PORT};`,
      '    }',
    );
  }
  lines.push('  }', '}', '');
  return lines.join('\n');
}

function labels(app: string) {
  return { app, 'app.kubernetes.io/managed-by': 'meshspec' };
}

function slowCooker(name: string, image: string, url: string, metricPort: number) {
  return {
    name,
    image,
    command: ['/bin/sh', '-c'],
    // Restart on exit so a target that is not reachable yet (mirror not created) is retried; each
    // generator gets its own metrics port because they share the pod's network namespace.
    args: [
      `sleep 5; while true; do /slow_cooker/slow_cooker -qps 1 -concurrency 1 -metric-addr 0.0.0.0:${metricPort} ${url}; sleep 5; done`,
    ],
  };
}

/**
 * The demo objects for `cluster`: namespace, podinfo Deployment + Service, and a frontend (nginx with
 * one route per remote cluster, plus slow_cooker load generators). Works for any number of clusters.
 */
export function renderDemo(cluster: string, allClusters: readonly string[], section: DemoSection, mirrorName: MirrorNaming): KubeObject[] {
  const o = demoOptions(section);
  const ns = o.namespace;
  const remotes = allClusters.filter((c) => c !== cluster);
  const namespace: KubeObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: ns,
      labels: { 'app.kubernetes.io/managed-by': 'meshspec' },
      ...(o.inject ? { annotations: { 'linkerd.io/inject': 'enabled' } } : {}),
    },
  };
  const podinfoDeployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'podinfo', namespace: ns, labels: labels('podinfo') },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'podinfo' } },
      template: {
        metadata: { labels: labels('podinfo') },
        spec: {
          containers: [
            {
              name: 'podinfo',
              image: o.podinfoImage,
              command: ['./podinfo', `--port=${PODINFO_PORT}`, '--level=info'],
              // The UI message names the serving cluster, so a split is visible in responses.
              env: [{ name: 'PODINFO_UI_MESSAGE', value: cluster }],
              ports: [{ name: 'http', containerPort: PODINFO_PORT, protocol: 'TCP' }],
              readinessProbe: { httpGet: { path: '/readyz', port: PODINFO_PORT }, initialDelaySeconds: 1, periodSeconds: 5 },
              livenessProbe: { httpGet: { path: '/healthz', port: PODINFO_PORT }, initialDelaySeconds: 1, periodSeconds: 10 },
            },
          ],
        },
      },
    },
  };
  const podinfoService: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'podinfo', namespace: ns, labels: labels('podinfo') },
    spec: { selector: { app: 'podinfo' }, ports: [{ name: 'http', port: PODINFO_PORT, targetPort: PODINFO_PORT, protocol: 'TCP' }] },
  };
  const nginxConf = renderNginxConf(cluster, allClusters, o, mirrorName);
  const configMap: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'frontend', namespace: ns, labels: labels('frontend') },
    data: { 'nginx.conf': nginxConf },
  };
  const generators = o.loadGenerators
    ? [
        slowCooker('load-local', o.slowCookerImage, `http://podinfo.${ns}.svc.cluster.local:${PODINFO_PORT}`, 9990),
        ...remotes.map((r, i) =>
          slowCooker(
            `load-${r}`,
            o.slowCookerImage,
            `http://${mirrorName('podinfo', r)}.${ns}.svc.cluster.local:${PODINFO_PORT}`,
            9991 + i,
          ),
        ),
      ]
    : [];
  const frontendDeployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'frontend', namespace: ns, labels: labels('frontend') },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'frontend' } },
      template: {
        // nginx reads its config only at start: a new config (e.g. a cluster added) must roll the pod.
        metadata: {
          labels: labels('frontend'),
          annotations: { 'meshspec.dev/config-sha256': createHash('sha256').update(nginxConf).digest('hex').slice(0, 16) },
        },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: o.nginxImage,
              ports: [{ name: 'http', containerPort: FRONTEND_PORT, protocol: 'TCP' }],
              volumeMounts: [{ name: 'config', mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf', readOnly: true }],
            },
            ...generators,
          ],
          volumes: [{ name: 'config', configMap: { name: 'frontend' } }],
        },
      },
    },
  };
  const frontendService: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'frontend', namespace: ns, labels: labels('frontend') },
    spec: { selector: { app: 'frontend' }, ports: [{ name: 'http', port: FRONTEND_PORT, targetPort: FRONTEND_PORT, protocol: 'TCP' }] },
  };
  return [namespace, podinfoDeployment, podinfoService, configMap, frontendDeployment, frontendService];
}
