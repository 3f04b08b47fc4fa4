// Programmatic entry: the same commands the binary runs, for scripts and tests.
export { main, type CliIo } from './main.js';
export { builtinPlugins } from './builtin-plugins.js';
export { parseCli, UsageError, type CliOptions } from './args.js';
// For meshspec.config.mjs files: `import { defineConfig } from 'meshspec'`.
export { defineConfig, type MeshspecConfig } from '@meshspec/core';
