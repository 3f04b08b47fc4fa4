// defineConfig in a real config file, found and imported by cosmiconfig the way the CLI loads it (the file
// imports @meshspec/core/plugin through node_modules: the built package).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defineConfig } from './define-config.js';
import { loadConfig, loadConfiguredPlugins } from './load-config.js';

const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), '../../../../examples/custom-plugin');

describe('defineConfig', () => {
  it('examples/custom-plugin/meshspec.config.mjs uses it and loads through cosmiconfig, plugin included', async () => {
    const loaded = await loadConfig({ searchFrom: EXAMPLE });
    expect(loaded.filepath).toBe(join(EXAMPLE, 'meshspec.config.mjs'));
    expect(loaded.config).toEqual({ plugins: ['./banner-plugin.mjs'] });
    const plugins = await loadConfiguredPlugins(loaded);
    expect(plugins.map((p) => [p.name, p.key, p.optionalDependsOn])).toEqual([['banner', 'banner', ['linkerd']]]);
  });

  it('is the identity: the loader checks the shape, not defineConfig', () => {
    const config = { plugins: [], stateDir: '.state' };
    expect(defineConfig(config)).toBe(config);
  });
});
