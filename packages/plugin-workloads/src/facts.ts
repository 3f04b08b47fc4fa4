// What the workloads plugin publishes (read with `ctx.facts(workloadsPlugin)`): what it deploys and where.
import type { Topology } from '@meshspec/core/plugin';
import { demoOptions, type WorkloadsSection } from './schema.js';
import { demoStepId, manifestsStepId } from './steps.js';

/** The services of the demo app, in its namespace. */
export const DEMO_SERVICES: readonly string[] = ['podinfo', 'frontend'];

export interface WorkloadsFacts {
  /** The demo app, when deployed: its namespace and services (in every cluster). */
  demo: { namespace: string; services: readonly string[] } | undefined;
  /** Names of the `manifests` entries (what they hold is known only when they are applied). */
  manifests: string[];
  /**
   * Does anything deployed create `namespace/service` in `cluster`? true/false when knowable; undefined
   * when manifests entries apply to `cluster` (they may create anything).
   */
  deploysService(namespace: string, service: string, cluster: string): boolean | undefined;
  /** Ids of the workloads steps, to order around. */
  steps: {
    /** The demo app in `cluster`. */
    demo(cluster: string): string;
    /** The `manifests` entry `name` in `cluster`. */
    manifests(name: string, cluster: string): string;
  };
}

export function workloadsFacts(topology: Topology, section: WorkloadsSection | undefined): WorkloadsFacts {
  const demo = section?.demo ? { namespace: demoOptions(section.demo).namespace, services: DEMO_SERVICES } : undefined;
  const entries = section?.manifests ?? [];
  const clusters = Object.keys(topology.clusters);
  return {
    demo,
    manifests: entries.map((e) => e.name),
    deploysService(namespace, service, cluster) {
      if (demo && demo.namespace === namespace && demo.services.includes(service)) return true;
      if (entries.some((e) => (e.clusters ?? clusters).includes(cluster))) return undefined;
      return false;
    },
    steps: { demo: demoStepId, manifests: manifestsStepId },
  };
}
