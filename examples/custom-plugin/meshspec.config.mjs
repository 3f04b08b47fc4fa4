// meshspec finds this file with cosmiconfig (meshspec.config.{js,mjs,json,yaml} or a "meshspec" key in
// package.json) by searching up from the topology's folder. defineConfig only types it.
import { defineConfig } from '@meshspec/core/plugin';

export default defineConfig({
  plugins: ['./banner-plugin.mjs'],
});
