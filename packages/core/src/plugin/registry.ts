// Plugin load order: a plugin's resolve/validate may rely on the sections its dependencies already resolved.
import { PluginError } from '../errors.js';
import type { Plugin } from './types.js';

/**
 * Checks that plugin names are unique and every `dependsOn` is loaded, then returns the plugins in
 * dependency order (dependencies first; otherwise the given order is kept, so the result is stable).
 */
export function orderPlugins<P extends Plugin>(plugins: readonly P[]): P[] {
  const byName = new Map<string, P>();
  for (const plugin of plugins) {
    if (byName.has(plugin.name)) {
      throw new PluginError(
        `plugin '${plugin.name}' is loaded twice; remove one of them from plugins in meshspec.config ` +
          `(a plugin with the same name may also be built in)`,
      );
    }
    byName.set(plugin.name, plugin);
  }
  for (const plugin of plugins) {
    for (const dependency of plugin.dependsOn ?? []) {
      if (!byName.has(dependency)) {
        throw new PluginError(`plugin ${plugin.name} depends on ${dependency}, which is not loaded; add it to plugins in meshspec.config`);
      }
    }
  }

  const ordered: P[] = [];
  const done = new Set<string>();
  const visiting: string[] = [];
  const visit = (plugin: P): void => {
    if (done.has(plugin.name)) return;
    const cycleStart = visiting.indexOf(plugin.name);
    if (cycleStart >= 0) {
      const cycle = [...visiting.slice(cycleStart), plugin.name].join(' → ');
      throw new PluginError(`plugins depend on each other in a cycle: ${cycle}; remove one of these dependsOn entries`);
    }
    visiting.push(plugin.name);
    for (const dependency of plugin.dependsOn ?? []) visit(byName.get(dependency)!);
    // An optional dependency orders like a required one when it is loaded; absent, it is simply skipped.
    for (const dependency of plugin.optionalDependsOn ?? []) {
      const loaded = byName.get(dependency);
      if (loaded) visit(loaded);
    }
    visiting.pop();
    done.add(plugin.name);
    ordered.push(plugin);
  };
  for (const plugin of plugins) visit(plugin);
  return ordered;
}
