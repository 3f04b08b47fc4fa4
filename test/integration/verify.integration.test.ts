// `meshspec verify` against the harness's real kube-apiservers (client pods really created, scheduled and
// made Running by kwok, then deleted; mirrors' Endpoints really read), with a FAKE in-cluster HTTP path:
// kwok runs no container, so what curl and the Linkerd proxy would have printed is supplied by a fake
// PodReader (the pod log and the proxy's :4191/metrics), in the formats podinfo and the proxy print.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createKubeClientFactory,
  createLogger,
  Session,
  type KubeClient,
  type KubeObject,
  type PodReaderFactory,
  type VerifyCheck,
} from '@meshspec/core';
import { linkerdPlugin } from '@meshspec/plugin-linkerd';
import { smiPlugin } from '@meshspec/plugin-smi';
import { formatVerifyChecks, verifyPassed } from '../../packages/cli/src/commands/verify.js';

const kubeconfig = inject('kubeconfig');
const contexts = inject('contexts');
const NS = 'it-verify';
const FQDN = `podinfo.${NS}.svc.cluster.local`;
const LOCAL_ID = `default.${NS}.serviceaccount.identity.linkerd.cluster.local`;
const GATEWAY_ID = 'linkerd-gateway.linkerd-multicluster.serviceaccount.identity.linkerd.cluster.local';

const topologyYaml = `apiVersion: meshspec.dev/v1alpha1
kind: Topology
metadata: { name: it-verify }
clusters:
  east: { context: ${contexts[0]} }
  west: { context: ${contexts[1]} }
linkerd:
  version: stable-2.13.3
  export: [{ namespace: ${NS}, service: podinfo }]
smi:
  splits: [{ namespace: ${NS}, service: podinfo }]
`;

/** podinfo's `/` JSON (podinfo 6.x fields), pretty-printed like podinfo does; `message` = PODINFO_UI_MESSAGE = cluster. */
const podinfoBody = (cluster: string, i: number) =>
  JSON.stringify(
    {
      hostname: `podinfo-7f9c-${cluster}${i % 2}`,
      version: '6.7.1',
      revision: '',
      color: '#34577c',
      logo: 'https://raw.githubusercontent.com/stefanprodan/podinfo/gh-pages/cuddle_clap.gif',
      message: cluster,
      goos: 'linux',
      goarch: 'amd64',
      runtime: 'go1.23.2',
      num_goroutine: '8',
      num_cpu: '2',
    },
    null,
    2,
  ).replace(/\n/g, '');

/** The client pod's log: what the loop prints for each answer/error, then the end marker. */
function clientLog(answers: Record<string, number>, errors = 0, finished = true): string {
  const lines: string[] = [];
  for (const [cluster, n] of Object.entries(answers)) for (let i = 0; i < n; i++) lines.push(`meshspec-answer ${podinfoBody(cluster, i)}`);
  for (let i = 0; i < errors; i++)
    lines.push('meshspec-error curl: (28) Operation timed out after 5002 milliseconds with 0 bytes received');
  if (finished) lines.push('meshspec-verify-done');
  return `${lines.join('\n')}\n`;
}

/** The client proxy's metrics: outbound request_total by server identity (Linkerd proxy format). */
function proxyMetrics(local: number, viaGateway: number, tls = 'true'): string {
  const series = (n: number, dst: string, id: string) =>
    `request_total{authority="${FQDN}:9898",direction="outbound",dst_control_plane_ns="linkerd",dst_namespace="${NS}",dst_service="${dst}",tls="${tls}"${tls === 'true' ? `,server_id="${id}"` : ''}} ${n}`;
  return [
    '# HELP request_total Total count of HTTP requests.',
    '# TYPE request_total counter',
    series(local, 'podinfo', LOCAL_ID),
    series(viaGateway, 'podinfo-remote', GATEWAY_ID),
    '',
  ].join('\n');
}

interface Scenario {
  log: string;
  metrics: string;
}

/**
 * FAKE PodReader: answers per kube context with the scenario's log/metrics, but only for a pod that
 * really exists in that cluster with the Linkerd inject annotation (so the request path is checked).
 */
function fakePods(scenarios: Record<string, Scenario>, kubes: (context: string) => KubeClient, seen: string[]): PodReaderFactory {
  return {
    forContext: (context) => {
      const checkPod = async (ns: string, name: string) => {
        const pod = await kubes(context).get('v1', 'Pod', name, ns);
        if (!pod) throw new Error(`pod ${ns}/${name} does not exist in ${context}`);
        expect(pod.metadata.annotations).toMatchObject({ 'linkerd.io/inject': 'enabled', 'config.linkerd.io/proxy-await': 'enabled' });
        seen.push(`${context}/${name}`);
      };
      return {
        logs: async (ns, name) => (await checkPod(ns, name), scenarios[context]!.log),
        proxyGet: async (ns, name, port, path) => {
          await checkPod(ns, name);
          expect([port, path]).toEqual([4191, '/metrics']);
          return scenarios[context]!.metrics;
        },
      };
    },
  };
}

const factory = createKubeClientFactory({ kubeconfigPath: kubeconfig });
const kubeFor = (context: string) => factory.forContext(context);

async function verifyWith(scenarios: Record<string, Scenario>, timeoutMs = 60_000): Promise<{ checks: VerifyCheck[]; seen: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'meshspec-it-verify-'));
  writeFileSync(join(dir, 'topology.yaml'), topologyYaml);
  const seen: string[] = [];
  const session = await Session.open({
    file: join(dir, 'topology.yaml'),
    plugins: [linkerdPlugin, smiPlugin],
    log: createLogger({ stream: { write: () => true } }),
    stateDir: join(dir, 'state'),
    kube: factory,
    pods: fakePods(scenarios, kubeFor, seen),
  });
  await session.prepare();
  return { checks: await session.verify({ requests: 100, timeoutMs }), seen };
}

/** What Linkerd's service mirror makes: a selector-less Service + Endpoints pointing at the remote gateway. */
function mirror(name: string, addresses: string[]): KubeObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: NS, labels: { 'mirror.linkerd.io/mirrored-service': 'true' } },
      spec: { ports: [{ name: 'http', port: 9898 }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name, namespace: NS },
      subsets: addresses.length ? [{ addresses: addresses.map((ip) => ({ ip })), ports: [{ name: 'http', port: 4143 }] }] : [],
    },
  ];
}

const healthy = (): Record<string, Scenario> => ({
  [contexts[0]!]: { log: clientLog({ east: 52, west: 48 }), metrics: proxyMetrics(52, 48) },
  [contexts[1]!]: { log: clientLog({ east: 47, west: 53 }), metrics: proxyMetrics(53, 47) },
});

beforeAll(async () => {
  expect(contexts.length, 'these tests need two clusters (MESHSPEC_IT_CLUSTERS >= 2)').toBeGreaterThanOrEqual(2);
  expect(
    inject('controllers'),
    'client pods must get Running: kube-controller-manager, kube-scheduler and kwok are needed (bash scripts/test-assets/provision.sh)',
  ).toBe(true);
  for (const [context, remote] of [
    [contexts[0]!, 'west'],
    [contexts[1]!, 'east'],
  ] as const) {
    await kubeFor(context).apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }]);
    await kubeFor(context).apply(mirror(`podinfo-${remote}`, ['172.18.255.201']));
  }
});

describe('meshspec verify (real kube-apiservers and kwok pods, FAKE in-cluster HTTP: pod log and proxy metrics)', () => {
  it('FAKE: a healthy 50/50 split passes from both clusters, over mTLS, with local and gateway identities; client pods are deleted', async () => {
    const { checks, seen } = await verifyWith(healthy());
    expect(checks.map((c) => [c.cluster, c.name, c.ok])).toEqual([
      ['east', `mirror ${NS}/podinfo-west (west) in east`, true],
      ['east', `split ${NS}/podinfo from east`, true],
      ['east', `mTLS ${NS}/podinfo from east`, true],
      ['west', `mirror ${NS}/podinfo-east (east) in west`, true],
      ['west', `split ${NS}/podinfo from west`, true],
      ['west', `mTLS ${NS}/podinfo from west`, true],
    ]);
    expect(verifyPassed(checks)).toBe(true);
    const split = checks.find((c) => c.split)!.split!;
    expect(split.backends.map((b) => [b.name, b.weight, b.observed, b.low, b.high])).toEqual([
      ['east', 50, 52, 36, 64],
      ['west', 50, 48, 36, 64],
    ]);
    expect(checks[2]!.detail).toBe(`100 requests over mTLS, identities: ${LOCAL_ID}, ${GATEWAY_ID}`);
    // One real client pod per cluster, gone afterwards.
    expect(new Set(seen.map((s) => s.split('/')[0]))).toEqual(new Set([contexts[0], contexts[1]]));
    for (const context of [contexts[0]!, contexts[1]!]) {
      expect(
        await kubeFor(context)
          .list('v1', 'Pod', NS, 'app.kubernetes.io/component=verify-client')
          .then((pods) => pods.filter((p) => !(p.metadata as { deletionTimestamp?: string }).deletionTimestamp)),
      ).toEqual([]);
    }
    const text = formatVerifyChecks(checks);
    expect(text).toContain(`✓ [east] split ${NS}/podinfo from east (100 requests, 99% exact binomial interval per split)`);
    expect(text).toContain('6/6 verify checks passed');
  });

  it('FAKE: a skewed split fails with both rows outside the accepted range', async () => {
    const scenarios = healthy();
    scenarios[contexts[0]!] = { log: clientLog({ east: 90, west: 10 }), metrics: proxyMetrics(90, 10) };
    const { checks } = await verifyWith(scenarios);
    const split = checks.find((c) => c.cluster === 'east' && c.split)!;
    expect(split.ok).toBe(false);
    expect(split.split!.backends.map((b) => [b.name, b.observed, b.ok])).toEqual([
      ['east', 90, false],
      ['west', 10, false],
    ]);
    expect(formatVerifyChecks(checks)).toMatch(
      /✗ \[east\] split it-verify\/podinfo from east[^\n]*\n[^\n]*\n\s+✗\s+east\s+50\s+50\.0% \(50\.0\)\s+36–64\s+90/,
    );
    expect(verifyPassed(checks)).toBe(false);
  });

  it('FAKE: a cluster that never answers: its share shows 0 and the unanswered requests; a client pod that never reports times out', async () => {
    const scenarios = healthy();
    scenarios[contexts[0]!] = { log: clientLog({ east: 50 }, 50), metrics: proxyMetrics(50, 0) };
    scenarios[contexts[1]!] = { log: '', metrics: '' };
    const { checks } = await verifyWith(scenarios, 8_000);
    const east = checks.find((c) => c.cluster === 'east' && c.split)!;
    expect(east.ok).toBe(false);
    expect(east.split!.backends.map((b) => [b.name, b.observed, b.ok])).toEqual([
      ['east', 50, true],
      ['west', 0, false],
    ]);
    expect(east.split!.failed).toBe(50);
    expect(east.detail).toContain('50 without answer (e.g. curl: (28) Operation timed out');
    expect(checks.find((c) => c.cluster === 'east' && c.name.startsWith('mTLS'))).toMatchObject({
      ok: false,
      detail: 'no remote gateway identity seen although the split has remote backends',
    });
    expect(checks.find((c) => c.cluster === 'west' && c.name.startsWith('split'))).toMatchObject({
      ok: false,
      detail: `the client pod sent 100 requests to http://${FQDN}:9898/ but reported no result within 8 s`,
    });
  });

  it('FAKE: a mirror with no endpoints fails before the traffic check says why', async () => {
    await kubeFor(contexts[0]!).apply(mirror('podinfo-west', []));
    try {
      const { checks } = await verifyWith(healthy());
      expect(checks.find((c) => c.cluster === 'east' && c.name.startsWith('mirror'))).toMatchObject({
        ok: false,
        detail: "has no endpoints: west's gateway has no address or the service mirror lost the link; requests to this share fail",
      });
      expect(verifyPassed(checks)).toBe(false);
    } finally {
      await kubeFor(contexts[0]!).apply(mirror('podinfo-west', ['172.18.255.201']));
    }
  });
});
