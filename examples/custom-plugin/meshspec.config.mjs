// meshspec finds this file with cosmiconfig (meshspec.config.{js,mjs,json,yaml} or a "meshspec" key in
// package.json) by searching up from the topology's folder.
export default {
  plugins: ['./banner-plugin.mjs'],
};
