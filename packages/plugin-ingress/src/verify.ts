// `meshspec verify` for ingress: request every exposed URL from this host through the controller's
// LoadBalancer address (with the Ingress host name in the Host header, so no /etc/hosts edit is needed).
// Kind's docker network is routable from a Linux host only; when the address cannot be reached the check
// is skipped with the reason (the in-cluster split checks still cover the mesh path).
import { KubeError, type Topology, type VerifyCheck, type VerifyContext } from '@meshspec/core/plugin';
import { CONTROLLER_NAME, CONTROLLER_NAMESPACE, ingressOptions, type IngressSection } from './schema.js';
import { hostOf } from './steps.js';

const REQUEST_TIMEOUT_MS = 3_000;

export type HttpGet = (address: string, host: string, path: string) => Promise<{ status: number }>;

/**
 * GET http://<address><path> with `Host: <host>`. node:http is imported here, not at the top: an ES import
 * of node:http evaluates all its exports, which loads Node's bundled undici (~20 ms) on every meshspec start.
 */
export const httpGet: HttpGet = async (address, host, path) => {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request({ host: address, port: 80, path, headers: { Host: host }, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
};

export async function verifyIngress(
  topology: Topology,
  section: IngressSection | undefined,
  ctx: VerifyContext,
  get: HttpGet = httpGet,
): Promise<VerifyCheck[]> {
  if (!section) return [];
  const clusters = Object.keys(topology.clusters);
  const checks: VerifyCheck[] = [];
  for (const cluster of clusters) {
    const exposes = ingressOptions(section).expose.filter((e) => (e.clusters ?? clusters).includes(cluster));
    if (exposes.length === 0) continue;
    let address: string | undefined;
    try {
      const svc = (await ctx.kube(cluster).get('v1', 'Service', CONTROLLER_NAME, CONTROLLER_NAMESPACE)) as
        { status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } } | undefined;
      const lb = svc?.status?.loadBalancer?.ingress?.[0];
      address = lb?.ip ?? lb?.hostname;
    } catch (error) {
      if (!(error instanceof KubeError)) throw error;
    }
    for (const expose of exposes) {
      const host = hostOf(expose, cluster, section, ctx.contextOf(cluster));
      const { path } = expose;
      const name = `ingress http://${host}${path}`;
      if (!address) {
        checks.push({
          cluster,
          name,
          ok: false,
          level: 'error',
          detail: `Service ${CONTROLLER_NAMESPACE}/${CONTROLLER_NAME} has no LoadBalancer address (MetalLB pool?)`,
        });
        continue;
      }
      try {
        const { status } = await get(address, host, path);
        const ok = status >= 200 && status < 400;
        checks.push({
          cluster,
          name,
          ok,
          level: ok ? 'ok' : 'error',
          detail: `HTTP ${status} from ${address}${ok ? '' : ` (the ingress reached the controller but ${expose.namespace}/${expose.service} did not answer well)`}`,
        });
      } catch (error) {
        checks.push({
          cluster,
          name,
          ok: false,
          level: 'skip',
          detail: `not reachable from this host via ${address} (${(error as Error).message}): the kind docker network is routable only from a Linux host; the in-cluster split checks cover the mesh`,
        });
      }
    }
  }
  return checks;
}
