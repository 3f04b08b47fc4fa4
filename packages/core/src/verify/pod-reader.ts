// PodReader over the API server (no kubectl needed): pod logs and the pod proxy subresource.
import { MeshspecError } from '../errors.js';
import { createRestClient, type RestClient } from '../kube/rest.js';
import type { PodReader, PodReaderFactory } from './types.js';

export function createPodReaderFactory(options: { kubeconfigPath?: string } = {}): PodReaderFactory {
  const readers = new Map<string, PodReader>();
  return {
    forContext(context) {
      let reader = readers.get(context);
      if (!reader) readers.set(context, (reader = createPodReader(context, options)));
      return reader;
    },
  };
}

function createPodReader(context: string, options: { kubeconfigPath?: string }): PodReader {
  let rest: Promise<RestClient> | undefined;
  const connect = () =>
    (rest ??= (async () => {
      const { KubeConfig } = await import('@kubernetes/client-node');
      const kc = new KubeConfig();
      if (options.kubeconfigPath) kc.loadFromFile(options.kubeconfigPath);
      else kc.loadFromDefault();
      kc.setCurrentContext(context);
      return createRestClient(kc);
    })());
  async function getText(path: string, what: string, query?: Record<string, string>): Promise<string> {
    const res = await (await connect()).request({ method: 'GET', path, ...(query ? { query } : {}) });
    // Logs and metrics are plain text; the client returns text when the body is not JSON.
    const text = typeof res.body === 'string' ? res.body : res.body === undefined ? '' : JSON.stringify(res.body);
    if (res.status >= 300) throw new MeshspecError(`${what} (${context}): HTTP ${res.status}: ${text.slice(0, 300)}`);
    return text;
  }
  return {
    logs: (namespace, pod, container) =>
      getText(`/api/v1/namespaces/${namespace}/pods/${pod}/log`, `logs of pod ${namespace}/${pod}`, container ? { container } : undefined),
    proxyGet: (namespace, pod, port, path) =>
      getText(`/api/v1/namespaces/${namespace}/pods/${pod}:${port}/proxy${path}`, `GET :${port}${path} on pod ${namespace}/${pod}`),
  };
}
