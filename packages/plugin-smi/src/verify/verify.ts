// `meshspec verify` for splits: from inside every cluster that has the split, N requests through a meshed
// client pod; the answers' serving clusters are compared with the weights (core's exact-binomial check),
// mirrors are checked for endpoints first, and the client proxy's metrics show whether the requests were
// mTLS and which identities answered.
import { linkerdPlugin } from '@meshspec/plugin-linkerd';
import { judgeSplit, withClientPod, type KubeObject, type Topology, type VerifyCheck, type VerifyContext } from '@meshspec/core/plugin';
import { resolveSmi, type ResolvedSplitSpec, type SmiSection } from '../schema.js';
import { attributeAnswer, expectedBackends, type ExpectedBackend } from './expected.js';
import { describeIdentity, tlsEvidence } from './proxy-metrics.js';

/**
 * Meshed, and curl starts only once the proxy is ready (proxy-await), else the first requests would bypass
 * a proxy that is still starting and fail.
 */
const MESHED_CLIENT = { 'linkerd.io/inject': 'enabled', 'config.linkerd.io/proxy-await': 'enabled' };

/** The proxy's admin port (metrics). */
const PROXY_ADMIN_PORT = 4191;

export async function verifySplits(topology: Topology, section: SmiSection | undefined, ctx: VerifyContext): Promise<VerifyCheck[]> {
  const clusters = Object.keys(topology.clusters);
  const checks: VerifyCheck[] = [];
  for (const split of resolveSmi(section).splits) {
    // Clusters in parallel: each has its own client pod; results keep the topology's cluster order.
    const perCluster = await Promise.all((split.clusters ?? clusters).map((from) => verifySplitFrom(split, from, topology, ctx)));
    checks.push(...perCluster.flat());
  }
  return checks;
}

async function verifySplitFrom(split: ResolvedSplitSpec, from: string, topology: Topology, ctx: VerifyContext): Promise<VerifyCheck[]> {
  const expected = expectedBackends(split, from, topology, ctx.facts(linkerdPlugin));
  const checks: VerifyCheck[] = [];
  const kube = ctx.kube(from);
  for (const backend of expected.filter((b) => b.mirror && b.weight > 0)) checks.push(await mirrorCheck(backend, split, from, ctx));

  const fqdn = `${split.service}.${split.namespace}.svc.cluster.local`;
  const url = `http://${fqdn}:${split.port}/`;
  const title = `split ${split.namespace}/${split.service} from ${from}`;
  const n = ctx.options.requests;
  ctx.progress(`${title}: ${n} requests through a meshed client pod`);
  await withClientPod(
    { kube, pods: ctx.pods(from), timeoutMs: ctx.options.timeoutMs, signal: ctx.signal },
    { namespace: split.namespace, url, count: n, annotations: MESHED_CLIENT },
    async (result) => {
      if (result.answers.length + result.errors.length === 0) {
        checks.push({
          cluster: from,
          name: title,
          ok: false,
          level: 'error',
          detail: `the client pod sent ${n} requests to ${url} but reported no result within ${Math.round(ctx.options.timeoutMs / 1000)} s`,
        });
        return;
      }
      const podsByCluster = await podNamesByCluster(split.namespace, expected, ctx);
      const observed: Record<string, number> = {};
      for (const body of result.answers) {
        const who = attributeAnswer(body, Object.keys(topology.clusters), podsByCluster);
        observed[who] = (observed[who] ?? 0) + 1;
      }
      // Requests the pod never got to (timeout) count as unanswered, like errors.
      const failed = n - result.answers.length;
      const verdict = judgeSplit(expected, observed, failed);
      const shares = verdict.backends.map((b) => `${b.name} ${b.observed} (accepted ${b.low}–${b.high})`).join(', ');
      const extra = [
        ...(verdict.failed > 0
          ? [`${verdict.failed} without answer${result.errors[0] ? ` (e.g. ${result.errors[0].slice(0, 120)})` : ''}`]
          : []),
        ...Object.entries(verdict.unexpected).map(([who, c]) => `${c} from ${who}`),
      ];
      checks.push({
        cluster: from,
        name: title,
        ok: verdict.ok,
        level: verdict.ok ? 'ok' : 'error',
        detail: [`${verdict.answered}/${verdict.requests} answered: ${shares}`, ...extra].join('; '),
        split: verdict,
      });
      checks.push(await mtlsCheck(result.pod, split, from, fqdn, expected, ctx));
    },
  );
  return checks;
}

async function mirrorCheck(backend: ExpectedBackend, split: ResolvedSplitSpec, from: string, ctx: VerifyContext): Promise<VerifyCheck> {
  const name = `mirror ${split.namespace}/${backend.service} (${backend.name}) in ${from}`;
  const endpoints = await ctx.kube(from).get('v1', 'Endpoints', backend.service, split.namespace);
  if (!endpoints) {
    return {
      cluster: from,
      name,
      ok: false,
      level: 'error',
      detail: `does not exist: is ${from} linked to ${backend.name} and does ${backend.name} export ${split.namespace}/${split.service}? (meshspec status shows links and exports)`,
    };
  }
  const addresses = ((endpoints['subsets'] as { addresses?: unknown[] }[] | undefined) ?? []).reduce(
    (sum, s) => sum + (s.addresses?.length ?? 0),
    0,
  );
  return addresses > 0
    ? {
        cluster: from,
        name,
        ok: true,
        level: 'ok',
        detail: `${addresses} endpoint${addresses === 1 ? '' : 's'} (${backend.name}'s gateway)`,
      }
    : {
        cluster: from,
        name,
        ok: false,
        level: 'error',
        detail: `has no endpoints: ${backend.name}'s gateway has no address or the service mirror lost the link; requests to this share fail`,
      };
}

/** Pod names of the split's namespace in each backend cluster (to attribute answers by podinfo's `hostname`). */
async function podNamesByCluster(namespace: string, expected: ExpectedBackend[], ctx: VerifyContext): Promise<Map<string, Set<string>>> {
  const result = new Map<string, Set<string>>();
  for (const cluster of new Set(expected.map((b) => b.name))) {
    const pods: KubeObject[] = await ctx
      .kube(cluster)
      .list('v1', 'Pod', namespace)
      .catch(() => []);
    result.set(cluster, new Set(pods.map((p) => p.metadata.name)));
  }
  return result;
}

async function mtlsCheck(
  pod: string,
  split: ResolvedSplitSpec,
  from: string,
  fqdn: string,
  expected: ExpectedBackend[],
  ctx: VerifyContext,
): Promise<VerifyCheck> {
  const name = `mTLS ${split.namespace}/${split.service} from ${from}`;
  let metrics: string;
  try {
    metrics = await ctx.pods(from).proxyGet(split.namespace, pod, PROXY_ADMIN_PORT, '/metrics');
  } catch (error) {
    return {
      cluster: from,
      name,
      ok: false,
      level: 'error',
      detail: `cannot read the client proxy's metrics (is the pod meshed?): ${(error as Error).message}`,
    };
  }
  const evidence = tlsEvidence(metrics, fqdn);
  const ids = Object.keys(evidence.identities).sort();
  const linkerd = ctx.facts(linkerdPlugin);
  const gatewaySeen = ids.some((id) => linkerd.isGatewayIdentity(id));
  const remoteExpected = expected.some((b) => b.mirror && b.weight > 0);
  const problems = [
    ...(evidence.tlsRequests === 0 ? [`no mTLS requests to ${fqdn} in the client proxy's metrics`] : []),
    ...(evidence.plainRequests > 0 ? [`${evidence.plainRequests} requests without TLS`] : []),
    ...(remoteExpected && !gatewaySeen ? ['no remote gateway identity seen although the split has remote backends'] : []),
  ];
  return {
    cluster: from,
    name,
    ok: problems.length === 0,
    level: problems.length === 0 ? 'ok' : 'error',
    detail: problems.length > 0 ? problems.join('; ') : `${evidence.tlsRequests} requests over mTLS, identities: ${ids.join(', ')}`,
    notes: ids.map((id) => `${describeIdentity(id, linkerd)}: ${evidence.identities[id]} requests`),
  };
}
