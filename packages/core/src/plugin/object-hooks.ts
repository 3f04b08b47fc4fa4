import type { KubeObject } from '../kube/types.js';
import { stableStringify } from '../state/state-store.js';
import type { Step, StepContext } from './types.js';

/**
 * `status` and `destroy` for a step that server-side applies fixed objects to one cluster: it is done
 * when every object exists with the same `spec`, and undoing it deletes them (in reverse order).
 */
export function appliedObjectHooks(cluster: string, objects: readonly KubeObject[]): Required<Pick<Step, 'status' | 'destroy'>> {
  return {
    async status(ctx: StepContext) {
      for (const object of objects) {
        const live = await ctx.kube(cluster).get(object.apiVersion, object.kind, object.metadata.name, object.metadata.namespace);
        // Key order is not preserved by the API server (custom resources come back sorted).
        if (stableStringify(live?.['spec']) !== stableStringify(object['spec'])) return false;
      }
      return true;
    },
    async destroy(ctx: StepContext) {
      for (const object of [...objects].reverse()) {
        await ctx.kube(cluster).delete(object.apiVersion, object.kind, object.metadata.name, object.metadata.namespace);
      }
    },
  };
}
