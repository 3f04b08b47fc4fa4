// How plugins read each other: through the typed facts a plugin publishes, only for declared dependencies.
import { PluginError } from '../errors.js';
import { clusterDirectory, type ClusterDirectory, type ClusterProviderPlugin } from './clusters.js';
import type { FactsAccess, Plugin, Topology } from './types.js';

/** The plugin asking for facts: its name and what it declared it relies on. */
export interface FactsConsumer {
  name: string;
  dependsOn?: readonly string[];
  optionalDependsOn?: readonly string[];
}

/**
 * Facts of `plugin` for `topology`, unchecked: for tests and the engine. Plugins use `ctx.facts(plugin)`,
 * which also checks the dependency is declared.
 */
export function factsOf<F>(plugin: Plugin<never, F>, topology: Topology): F {
  if (!plugin.facts) throw new PluginError(`plugin ${plugin.name} publishes no facts; it has no facts() in its definition`);
  return plugin.facts(topology, topology[plugin.key] as never);
}

/**
 * Facts and cluster directories already computed, per topology object. Both are pure functions of the
 * (resolved, never mutated) topology, so every consumer, validate and steps alike, shares one copy:
 * recomputing Linkerd's facts for each plugin that asks cost a 120-cluster plan (14,280 links) hundreds
 * of milliseconds (issue 11). Weak keys: a topology no longer used takes its facts with it.
 */
const factsByTopology = new WeakMap<Topology, Map<Plugin<never>, unknown>>();
const clustersByTopology = new WeakMap<Topology, WeakMap<readonly ClusterProviderPlugin[], ClusterDirectory>>();

/**
 * `ctx.facts` for `consumer`: the facts of a plugin it declares in `dependsOn` or `optionalDependsOn`,
 * computed once per topology. `consumer` undefined (tests of one plugin alone) skips the declaration check.
 * `providers`: the loaded plugins, asked which clusters they provide (`ctx.clusters`).
 */
export function factsAccess(
  topology: Topology,
  consumer: FactsConsumer | undefined,
  providers: readonly ClusterProviderPlugin[] = [],
): FactsAccess {
  return {
    get clusters() {
      let byProviders = clustersByTopology.get(topology);
      if (!byProviders) clustersByTopology.set(topology, (byProviders = new WeakMap()));
      let clusters = byProviders.get(providers);
      if (!clusters) byProviders.set(providers, (clusters = clusterDirectory(topology, providers)));
      return clusters;
    },
    facts<F>(plugin: Plugin<never, F>): F {
      if (consumer !== undefined && plugin.name !== consumer.name) {
        const declared = [...(consumer.dependsOn ?? []), ...(consumer.optionalDependsOn ?? [])];
        if (!declared.includes(plugin.name)) {
          throw new PluginError(
            `plugin ${consumer.name} reads the facts of plugin ${plugin.name} but does not declare it; ` +
              `add '${plugin.name}' to dependsOn (or optionalDependsOn, when ${consumer.name} works without it) in the definition of ${consumer.name}`,
          );
        }
      }
      let cache = factsByTopology.get(topology);
      if (!cache) factsByTopology.set(topology, (cache = new Map<Plugin<never>, unknown>()));
      const key = plugin as Plugin<never>;
      if (!cache.has(key)) cache.set(key, factsOf(plugin, topology));
      return cache.get(key) as F;
    },
  };
}
