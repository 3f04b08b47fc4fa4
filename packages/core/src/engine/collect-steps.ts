// Every plugin's steps for one topology, each built with the StepsContext the engine gives it (facts
// checked against its declared dependencies). Shared by the session and the plugin tester, so a plugin
// under test gets its steps exactly as `meshspec plan` builds them.
import { PluginError } from '../errors.js';
import { contextOf } from '../plugin/context-of.js';
import { factsAccess } from '../plugin/facts.js';
import type { Plugin, Step, StepsContext, Topology } from '../plugin/types.js';

export interface CollectedSteps {
  steps: Step[];
  /** The plugin that declared each step (for error messages). */
  owner: Map<Step, string>;
}

/** `plugins` in load order (see orderPlugins). */
export function collectSteps(
  plugins: readonly Plugin[],
  topology: Topology,
  dirs: { stateDir: string; topologyDir: string },
): CollectedSteps {
  const steps: Step[] = [];
  const owner = new Map<Step, string>();
  for (const plugin of plugins) {
    const { facts, clusters } = factsAccess(topology, plugin, plugins);
    const stepsContext: StepsContext = { ...dirs, contextOf: (cluster) => contextOf(topology, cluster), facts, clusters };
    let pluginSteps: Step[];
    try {
      pluginSteps = plugin.steps(topology, topology[plugin.key], stepsContext);
    } catch (error) {
      // A bug in one plugin is reported as that plugin's, not as a crash of meshspec.
      throw new PluginError(`plugin '${plugin.name}' failed to build its steps: ${(error as Error).message}`);
    }
    for (const step of pluginSteps) {
      steps.push(step);
      owner.set(step, plugin.name);
    }
  }
  return { steps, owner };
}
