// What MetalLB publishes to other plugins (read through ctx.facts(metallbPlugin)).
import { stepId, type Topology } from '@meshspec/core/plugin';
import type { MetallbSection } from './schema.js';

export const poolsStepId = (cluster: string) => stepId('metallb', 'pools', cluster);

/** What MetalLB publishes: the step after which a cluster's LoadBalancer services get addresses. */
export interface MetallbFacts {
  /** Clusters MetalLB gives addresses in (all of them when the section is present, else none). */
  clusters: string[];
  /** The pool step of `cluster`; order after it (softly: MetalLB may be absent) to wait for addresses. */
  poolsStep(cluster: string): string;
}

export function metallbFacts(topology: Topology, section: MetallbSection | undefined): MetallbFacts {
  return { clusters: section === undefined ? [] : Object.keys(topology.clusters), poolsStep: poolsStepId };
}
