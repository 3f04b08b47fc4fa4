import { describe, expect, it } from 'vitest';
import { PluginError } from '../errors.js';
import { definePlugin } from './define.js';
import { orderPlugins } from './registry.js';

const plugin = (name: string, dependsOn: string[] = []) => definePlugin({ name, dependsOn, steps: () => [] });

describe('orderPlugins', () => {
  it('puts dependencies first and otherwise keeps the given order', () => {
    const ordered = orderPlugins([
      plugin('smi', ['linkerd']),
      plugin('workloads'),
      plugin('linkerd', ['kind', 'metallb']),
      plugin('metallb', ['kind']),
      plugin('kind'),
    ]);
    expect(ordered.map((p) => p.name)).toEqual(['kind', 'metallb', 'linkerd', 'smi', 'workloads']);
  });

  it('returns an empty list for no plugins', () => {
    expect(orderPlugins([])).toEqual([]);
  });

  it.each([
    {
      name: 'a missing dependency',
      plugins: [plugin('smi', ['linkerd'])],
      error: 'plugin smi depends on linkerd, which is not loaded; add it to plugins in meshspec.config',
    },
    { name: 'a duplicate name', plugins: [plugin('kind'), plugin('kind')], error: "plugin 'kind' is loaded twice" },
    {
      name: 'a cycle, printed',
      plugins: [plugin('a', ['b']), plugin('b', ['c']), plugin('c', ['a'])],
      error: 'plugins depend on each other in a cycle: a → b → c → a',
    },
    { name: 'a plugin depending on itself', plugins: [plugin('a', ['a'])], error: 'cycle: a → a' },
  ])('rejects $name', ({ plugins, error }) => {
    expect(() => orderPlugins(plugins)).toThrow(PluginError);
    expect(() => orderPlugins(plugins)).toThrow(error);
  });
});

describe('orderPlugins with optional dependencies', () => {
  const optional = (name: string, optionalDependsOn: string[]) => definePlugin({ name, optionalDependsOn, steps: () => [] });
  it('puts a loaded optional dependency first and ignores an absent one', () => {
    expect(orderPlugins([optional('linkerd', ['metallb', 'workloads']), plugin('metallb')]).map((p) => p.name)).toEqual([
      'metallb',
      'linkerd',
    ]);
  });
});
