// Admin requests to a test cluster straight from the harness kubeconfig, without the code under test:
// used by tests to play "another actor" (a load-balancer controller setting Service status, ...).
import { readFileSync } from 'node:fs';
import https from 'node:https';

interface Kubeconfig {
  clusters: { name: string; cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { name: string; user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  contexts: { name: string; context: { cluster: string; user: string } }[];
}

export async function rawRequest(
  kubeconfig: string,
  context: string,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; body: unknown }> {
  // The harness writes its kubeconfig as JSON.
  const config = JSON.parse(readFileSync(kubeconfig, 'utf8')) as Kubeconfig;
  const ctx = config.contexts.find((c) => c.name === context)?.context;
  const cluster = config.clusters.find((c) => c.name === ctx?.cluster)?.cluster;
  const user = config.users.find((u) => u.name === ctx?.user)?.user;
  if (!ctx || !cluster || !user) throw new Error(`context ${context} not in ${kubeconfig}`);
  const b64 = (s: string) => Buffer.from(s, 'base64');
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(path, cluster.server),
      {
        method,
        ca: b64(cluster['certificate-authority-data']),
        cert: b64(user['client-certificate-data']),
        key: b64(user['client-key-data']),
        headers: { Accept: 'application/json', ...(payload ? { 'Content-Type': contentType, 'Content-Length': payload.length } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // keep text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}
