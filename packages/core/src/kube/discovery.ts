// Maps (apiVersion, kind) to the REST resource and its scope, from the API server's discovery documents.
// Cached per group/version; a miss refetches (a CRD may have just been established) before giving up.
import { KubeError } from '../errors.js';
import type { RestClient } from './rest.js';
import { statusMessage } from './rest.js';

export interface ResourceInfo {
  /** Plural resource name used in URLs, e.g. `deployments`. */
  name: string;
  namespaced: boolean;
  kind: string;
}

interface ApiResourceList {
  resources?: { name: string; namespaced: boolean; kind: string }[];
}

export interface Discovery {
  resolve(apiVersion: string, kind: string, options?: { signal?: AbortSignal; retryForMs?: number }): Promise<ResourceInfo>;
  /** Forget one group/version (or everything), e.g. after a CRD for it became Established. */
  invalidate(apiVersion?: string): void;
}

export function createDiscovery(rest: RestClient, context: string): Discovery {
  const cache = new Map<string, Promise<ResourceInfo[] | undefined>>();

  const fetchList = (apiVersion: string) => {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    return rest.request<ApiResourceList>({ method: 'GET', path }).then((res) => {
      if (res.status === 404) return undefined;
      if (res.status !== 200)
        throw new KubeError(`discovery of ${apiVersion} failed on context ${context}: ${statusMessage(res)}`, {
          context,
          reason: 'discovery',
        });
      // Subresources (`deployments/status`) are not kinds one applies.
      return (res.body.resources ?? [])
        .filter((r) => !r.name.includes('/'))
        .map(({ name, namespaced, kind }) => ({ name, namespaced, kind }));
    });
  };

  const lookup = async (apiVersion: string, kind: string, fresh: boolean) => {
    let entry = cache.get(apiVersion);
    if (!entry || fresh) {
      entry = fetchList(apiVersion);
      cache.set(apiVersion, entry);
      entry.catch(() => cache.delete(apiVersion));
    }
    return (await entry)?.find((r) => r.kind === kind);
  };

  return {
    async resolve(apiVersion, kind, options = {}) {
      const found = await lookup(apiVersion, kind, false);
      if (found) return found;
      // Refetch until the deadline: discovery can trail a CRD's Established condition briefly.
      const deadline = Date.now() + (options.retryForMs ?? 0);
      for (;;) {
        const again = await lookup(apiVersion, kind, true);
        if (again) return again;
        if (Date.now() >= deadline || options.signal?.aborted) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new KubeError(
        `the API server of context ${context} has no kind ${kind} in ${apiVersion}. If it is a custom resource, apply its CustomResourceDefinition first (in the same apply it is ordered first automatically); otherwise check the apiVersion.`,
        { context, object: `${apiVersion}/${kind}`, reason: 'unknown-kind' },
      );
    },
    invalidate(apiVersion) {
      if (apiVersion) cache.delete(apiVersion);
      else cache.clear();
    },
  };
}
