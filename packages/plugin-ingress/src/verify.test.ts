import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Topology, VerifyContext } from '@meshspec/core/plugin';
import { createTestStepContext, factsAccess } from '@meshspec/core/testing';
import { ingressPlugin } from './index.js';
import { CONTROLLER_NAME, CONTROLLER_NAMESPACE } from './schema.js';
import { httpGet, verifyIngress } from './verify.js';

const topology = {
  apiVersion: 'meshspec.dev/v1alpha1',
  kind: 'Topology',
  metadata: { name: 't' },
  clusters: { demo: {}, demo3: {} },
} as Topology;
const section = { expose: [{ namespace: 'test', service: 'frontend', port: 8080 }] };

function contextWith(addresses: Record<string, string | undefined>): VerifyContext {
  const ctx = createTestStepContext(topology);
  for (const [cluster, ip] of Object.entries(addresses)) {
    void ctx.kube(cluster).apply([
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: CONTROLLER_NAME, namespace: CONTROLLER_NAMESPACE },
        ...(ip ? { status: { loadBalancer: { ingress: [{ ip }] } } } : {}),
      },
    ]);
  }
  return {
    ...ctx,
    ...factsAccess(topology, ingressPlugin),
    options: { requests: 10, timeoutMs: 1000 },
    pods: () => ({ logs: async () => '', proxyGet: async () => '' }),
  };
}

describe('verifyIngress', () => {
  let server: Server;
  const hosts: string[] = [];
  beforeAll(async () => {
    // A real HTTP server stands in for ingress-nginx; port 80 needs root, so it listens on a free port
    // and the test's getter (same request shape as httpGet: address + Host header) targets that port.
    server = createServer((req, res) => {
      hosts.push(req.headers.host ?? '');
      res.statusCode = req.headers.host?.startsWith('frontend-demo3') ? 502 : 200;
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => server.close());

  it('requests each URL with its Host header: 2xx passes, 5xx fails; no LB address fails with the reason', async () => {
    const port = (server.address() as { port: number }).port;
    const viaPort = (address: string, host: string, path: string) =>
      new Promise<{ status: number }>((resolve, reject) => {
        import('node:http').then(({ request }) => {
          const req = request(
            { host: address, port, path, headers: { Host: host } },
            (res) => (res.resume(), resolve({ status: res.statusCode ?? 0 })),
          );
          req.on('error', reject);
          req.end();
        }, reject);
      });
    const checks = await verifyIngress(topology, section, contextWith({ demo: '127.0.0.1', demo3: '127.0.0.1' }), viaPort);
    expect(checks.map((c) => [c.cluster, c.name, c.ok, c.level])).toEqual([
      ['demo', 'ingress http://frontend-demo.127-0-0-1.sslip.io/', true, 'ok'],
      ['demo3', 'ingress http://frontend-demo3.127-0-0-1.sslip.io/', false, 'error'],
    ]);
    expect(hosts).toEqual(['frontend-demo.127-0-0-1.sslip.io', 'frontend-demo3.127-0-0-1.sslip.io']);
    const pending = await verifyIngress(topology, section, contextWith({ demo: undefined }), viaPort);
    expect(pending[0]).toMatchObject({
      cluster: 'demo',
      ok: false,
      detail: `Service ${CONTROLLER_NAMESPACE}/${CONTROLLER_NAME} has no LoadBalancer address (MetalLB pool?)`,
    });
  });

  it('an unreachable address (real httpGet, nothing listening) is skipped with the reason, not failed', async () => {
    // 127.0.0.1:80 has no listener here (unprivileged test machines): connection refused.
    const checks = await verifyIngress(
      topology,
      { expose: [{ namespace: 'test', service: 'frontend', port: 8080, clusters: ['demo'] }] },
      contextWith({ demo: '127.0.0.1' }),
      httpGet,
    );
    expect(checks[0]).toMatchObject({ cluster: 'demo', ok: false, level: 'skip' });
    expect(checks[0]!.detail).toMatch(
      /^not reachable from this host via 127\.0\.0\.1 \(connect ECONNREFUSED 127\.0\.0\.1:80\): the kind docker network is routable only from a Linux host/,
    );
  });
});
