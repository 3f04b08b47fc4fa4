// The simulated load-balancer controller of a kwok cluster (what MetalLB does on kind, without a
// network): kwokctl runs this file as a component of the cluster, in the cluster's directory, with
// `--range a.b.c.d-a.b.c.e`. Every second it gives each LoadBalancer Service without an address the
// lowest free address of the range, written to the Service's status, and labels the Service simulated.
// Deliberately small and dependency-light (node:https and yaml): one runs per cluster.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';

import { SIMULATED_LB_LABEL, addressesOf, assignAddresses } from './lb-addresses.js';

interface Connection {
  server: URL;
  agent: https.Agent;
}

/** The cluster's own kubeconfig.yaml (kwokctl writes it in the cluster directory, with file references). */
function connect(kubeconfigFile: string): Connection {
  const config = parse(readFileSync(kubeconfigFile, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority'?: string } }[];
    users: { user: { 'client-certificate'?: string; 'client-key'?: string } }[];
  };
  const cluster = config.clusters[0]!.cluster;
  const user = config.users[0]!.user;
  const read = (file: string | undefined) => (file ? readFileSync(resolve(file)) : undefined);
  const ca = read(cluster['certificate-authority']);
  const cert = read(user['client-certificate']);
  const key = read(user['client-key']);
  return {
    server: new URL(cluster.server),
    agent: new https.Agent({ keepAlive: true, ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) }),
  };
}

function request(conn: Connection, method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((done, fail) => {
    const req = https.request(
      new URL(path, conn.server),
      { method, agent: conn.agent, headers: body ? { 'content-type': 'application/merge-patch+json' } : {} },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', fail);
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

async function reconcile(conn: Connection, pool: string[]): Promise<void> {
  const listed = await request(conn, 'GET', '/api/v1/services');
  if (listed.status !== 200) throw new Error(`listing services: HTTP ${listed.status}`);
  const items = (
    JSON.parse(listed.text) as {
      items: {
        metadata: { namespace: string; name: string };
        spec?: { type?: string };
        status?: { loadBalancer?: { ingress?: { ip?: string }[] } };
      }[];
    }
  ).items;
  const services = items.map((s) => ({
    namespace: s.metadata.namespace,
    name: s.metadata.name,
    type: s.spec?.type,
    addresses: (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).filter((ip): ip is string => !!ip),
  }));
  for (const { namespace, name, ip } of assignAddresses(services, pool)) {
    const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(name)}`;
    await request(conn, 'PATCH', base, { metadata: { labels: { [SIMULATED_LB_LABEL]: 'true' } } });
    const patched = await request(conn, 'PATCH', `${base}/status`, { status: { loadBalancer: { ingress: [{ ip }] } } });
    process.stdout.write(`${new Date().toISOString()} ${namespace}/${name} -> ${ip} (HTTP ${patched.status})\n`);
  }
}

async function main(argv: string[]): Promise<void> {
  const at = argv.indexOf('--range');
  const range = at >= 0 ? argv[at + 1] : undefined;
  if (!range) throw new Error('usage: lb-controller --range a.b.c.d-a.b.c.e (run in the kwok cluster directory)');
  const pool = addressesOf(range);
  process.stdout.write(`simulated load balancer: addresses ${range}\n`);
  let conn: Connection | undefined;
  for (;;) {
    try {
      conn ??= connect('kubeconfig.yaml');
      await reconcile(conn, pool);
    } catch (error) {
      // The API server starts with the cluster and restarts with it: keep trying.
      process.stderr.write(`${new Date().toISOString()} ${(error as Error).message}\n`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  });
}
