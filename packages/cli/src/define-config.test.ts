// `import { defineConfig } from 'meshspec'` in a config file, loaded through cosmiconfig as the CLI does.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, loadConfiguredPlugins } from '@meshspec/core';
import { describe, expect, it } from 'vitest';
import { defineConfig } from './index.js';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__/define-config');

describe("defineConfig from 'meshspec'", () => {
  it('types a meshspec.config.mjs that cosmiconfig loads, with its plugin', async () => {
    const loaded = await loadConfig({ searchFrom: FIXTURE });
    expect(loaded.filepath).toBe(join(FIXTURE, 'meshspec.config.mjs'));
    expect(loaded.config.concurrency).toBe(3);
    expect((await loadConfiguredPlugins(loaded)).map((p) => p.name)).toEqual(['banner']);
  });

  it('is the same function as @meshspec/core/plugin exports', async () => {
    expect(defineConfig).toBe((await import('@meshspec/core/plugin')).defineConfig);
  });
});
