// A minimal JSON-over-HTTPS client for the Kubernetes API. Connection, TLS and credentials come from
// @kubernetes/client-node's KubeConfig (client certs, tokens, exec plugins, proxies); requests and
// responses are plain JSON so objects reach the server exactly as written (the library's typed
// ObjectSerializer drops fields its models do not know, which server-side apply must never do).
import type http from 'node:http';
import type https from 'node:https';
import { createRequire } from 'node:module';
import type { KubeConfig } from '@kubernetes/client-node';

export interface RestResponse<T = unknown> {
  status: number;
  body: T;
}

export interface RestRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path below the server URL, e.g. `/api/v1/namespaces`. */
  path: string;
  query?: Record<string, string | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface RestClient {
  readonly server: string;
  request<T = unknown>(req: RestRequest): Promise<RestResponse<T>>;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

// require(), not `import http from 'node:http'`: an ESM import of node:http evaluates every export,
// including its lazy fetch/WebSocket (undici) getters, ~25 ms on every CLI start, even for `validate`.
const require = createRequire(import.meta.url);

export function createRestClient(kc: KubeConfig): RestClient {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`kube context ${kc.getCurrentContext()} names no cluster`);
  const server = cluster.server.replace(/\/+$/, '');
  const base = new URL(server);
  const transport = base.protocol === 'http:' ? (require('node:http') as typeof http) : (require('node:https') as typeof https);

  async function request<T>(req: RestRequest): Promise<RestResponse<T>> {
    const options: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(options);
    const url = new URL(base.pathname.replace(/\/$/, '') + req.path, base);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const payload = req.body === undefined ? undefined : Buffer.from(typeof req.body === 'string' ? req.body : JSON.stringify(req.body));
    const headers: http.OutgoingHttpHeaders = { ...(options.headers as http.OutgoingHttpHeaders | undefined), Accept: 'application/json' };
    if (payload) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = payload.length;
    }
    return new Promise<RestResponse<T>>((resolve, reject) => {
      const r = transport.request(
        url,
        {
          ...options,
          method: req.method,
          headers,
          ...(req.signal ? { signal: req.signal } : {}),
          timeout: req.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              // Non-JSON error bodies (proxies, plain-text 5xx) are returned as text.
            }
            resolve({ status: res.statusCode ?? 0, body: body as T });
          });
        },
      );
      r.on('timeout', () =>
        r.destroy(new Error(`request ${req.method} ${req.path} timed out after ${req.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS} ms`)),
      );
      r.on('error', reject);
      if (payload) r.write(payload);
      r.end();
    });
  }

  return { server, request };
}

/** The `Status` object the API server returns for failures. */
export interface KubeStatus {
  kind?: 'Status';
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; causes?: { type?: string; message?: string; field?: string }[] };
}

export function statusMessage(res: RestResponse): string {
  const body = res.body as KubeStatus | string | undefined;
  if (body && typeof body === 'object' && body.message) return body.message;
  if (typeof body === 'string' && body.trim()) return body.trim().slice(0, 500);
  return `HTTP ${res.status}`;
}
