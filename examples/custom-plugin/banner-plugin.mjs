// @ts-check
// A meshspec plugin that puts a "banner" ConfigMap into every cluster (or the ones listed), after the
// cluster exists and, when Linkerd is used, after its control plane. It shows the whole plugin API in
// one file: a schema fragment for its own topology key, a semantic check, facts read from the plugins it
// orders around, steps as data, status and destroy. Load it with `plugins: ['./banner-plugin.mjs']` in
// meshspec.config.mjs.
import { definePlugin, stepId } from '@meshspec/core/plugin';
import { linkerdPlugin } from '@meshspec/plugin-linkerd';

/** @typedef {{ message: string, namespace?: string, clusters?: string[] }} BannerSection */

export default definePlugin(
  /** @type {import('@meshspec/core/plugin').PluginDefinition<BannerSection>} */ ({
    name: 'banner',
    // Linkerd's facts order the ConfigMaps after its control plane; it may be absent. Whoever creates the
    // clusters (kind, kwok, nobody) is asked through core's cluster contract, ctx.clusters.
    optionalDependsOn: ['linkerd'],
    schema: {
      type: 'object',
      description: 'A ConfigMap with a greeting in every cluster (example plugin).',
      additionalProperties: false,
      required: ['message'],
      properties: {
        message: { type: 'string', description: 'Text stored under data.message.' },
        namespace: { type: 'string', default: 'default', description: 'Namespace of the ConfigMap.' },
        clusters: { type: 'array', items: { type: 'string' }, description: 'Clusters to write it to (default: all).' },
      },
    },
    stepDocs: [{ id: 'banner:configmap@<c>', does: 'Applies the ConfigMap `<namespace>/meshspec-banner` holding the message.' }],

    validate(topology, section, ctx) {
      if (!section) return [];
      const problems = [];
      if (section.message.trim() === '') {
        problems.push(ctx.diagnostic(['banner', 'message'], 'message is empty', 'write the text the banner should carry'));
      }
      (section.clusters ?? []).forEach((name, i) => {
        if (!(name in topology.clusters)) {
          problems.push(
            ctx.diagnostic(
              ['banner', 'clusters', i],
              `unknown cluster '${name}'`,
              `use one of: ${Object.keys(topology.clusters).join(', ')}`,
            ),
          );
        }
      });
      return problems;
    },

    steps(topology, section, ctx) {
      if (!section) return [];
      const linkerd = ctx.facts(linkerdPlugin);
      const namespace = section.namespace ?? 'default';
      return (section.clusters ?? Object.keys(topology.clusters)).map((cluster) => {
        const configMap = {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'meshspec-banner', namespace },
          data: { message: section.message, cluster },
        };
        return {
          id: stepId('banner', 'configmap', cluster),
          title: `Banner ConfigMap in ${cluster}`,
          cluster,
          // Soft ordering: these steps exist only when those plugins are used.
          after: [...ctx.clusters.after(cluster), linkerd.steps.controlPlane(cluster)],
          plan: [`kubectl apply --server-side (meshspec) ConfigMap ${namespace}/meshspec-banner`],
          inputs: configMap,
          resource: 'api',
          async run(ctx) {
            await ctx.kube().apply([configMap]);
          },
          async status(ctx) {
            const live = await ctx.kube().get('v1', 'ConfigMap', 'meshspec-banner', namespace);
            const data = /** @type {{ message?: string } | undefined} */ (live?.data);
            return data?.message === section.message;
          },
          async destroy(ctx) {
            await ctx.kube().delete('v1', 'ConfigMap', 'meshspec-banner', namespace);
          },
        };
      });
    },
  }),
);
