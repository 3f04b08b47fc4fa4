import type { ClusterProviderPlugin } from '../plugin/clusters.js';
import { factsAccess, type FactsConsumer } from '../plugin/facts.js';
import type { StepsContext, Topology } from '../plugin/types.js';

/**
 * The StepsContext the engine gives `plugin.steps()`, for unit tests: kind-style contexts
 * (`kind-<cluster>`) unless the cluster names one, and `facts` checked against `plugin`'s declared
 * dependencies like the engine does. `providers`: the cluster providers loaded beside it (`ctx.clusters`;
 * none: every cluster is given by context).
 */
export function testStepsContext(
  topology: Topology,
  plugin?: FactsConsumer,
  options: Partial<Omit<StepsContext, 'facts' | 'clusters'>> = {},
  providers: readonly ClusterProviderPlugin[] = [],
): StepsContext {
  const access = factsAccess(topology, plugin, providers);
  return {
    stateDir: '/nonexistent-state',
    topologyDir: '/nonexistent-topology-dir',
    contextOf: (cluster) => topology.clusters[cluster]?.context ?? `kind-${cluster}`,
    ...options,
    facts: access.facts,
    clusters: access.clusters,
  };
}

/**
 * Wraps a plugin's steps function so tests can pass a StepsContext without `facts`: the wrapper adds the
 * engine's `facts` for the topology of each call, checked against `plugin`'s declared dependencies.
 */
export function withEngineFacts<S, R>(
  plugin: FactsConsumer,
  steps: (topology: Topology, section: S, ctx: StepsContext) => R,
  providers: readonly ClusterProviderPlugin[] = [],
): (topology: Topology, section: S, ctx: Omit<StepsContext, 'facts' | 'clusters'>) => R {
  return (topology, section, ctx) => {
    const access = factsAccess(topology, plugin, providers);
    return steps(topology, section, { ...ctx, facts: access.facts, clusters: access.clusters });
  };
}
