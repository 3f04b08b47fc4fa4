import type { MeshspecConfig } from './load-config.js';

/**
 * Types a `meshspec.config.{js,mjs}` file: `export default defineConfig({ plugins: ['./my-plugin.mjs'] })`.
 * It returns its argument unchanged; the config is checked when meshspec loads it.
 */
export function defineConfig(config: MeshspecConfig): MeshspecConfig {
  return config;
}
