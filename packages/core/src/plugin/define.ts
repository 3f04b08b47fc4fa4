import type { Plugin, PluginDefinition } from './types.js';

const NAME = /^[a-z][a-z0-9-]*$/;

/** Declares a plugin. Returns a plain frozen object the engine can compose with others. */
export function definePlugin<Section = unknown, Facts = undefined>(definition: PluginDefinition<Section, Facts>): Plugin<Section, Facts> {
  if (!NAME.test(definition.name)) {
    throw new TypeError(`plugin name "${definition.name}" must match ${NAME} (lowercase, digits, dashes)`);
  }
  return Object.freeze({ ...definition, key: definition.key ?? definition.name, __meshspecPlugin: 1 as const });
}

export function isPlugin(value: unknown): value is Plugin {
  return typeof value === 'object' && value !== null && (value as { __meshspecPlugin?: unknown }).__meshspecPlugin === 1;
}

/** Step id helper: `stepId('linkerd', 'install', 'demo')` → `linkerd:install@demo`. */
export function stepId(plugin: string, action: string, cluster?: string): string {
  // join, not a template literal: V8 builds a template of this length as a rope (cons string) that every
  // Map lookup and comparison must flatten first, and a 120-cluster plan looks ids up ~100,000 times.
  return cluster ? [plugin, ':', action, '@', cluster].join('') : [plugin, ':', action].join('');
}
