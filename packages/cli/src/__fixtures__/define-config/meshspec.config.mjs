// A project config typed through the meshspec package itself (resolves to packages/cli/dist/index.js).
import { defineConfig } from 'meshspec';

export default defineConfig({ plugins: ['../../../../../examples/custom-plugin/banner-plugin.mjs'], concurrency: 3 });
