// MetalLB steps per cluster: install the chart (and wait until its webhook answers), then apply the pool.
import {
  formatRange,
  StepError,
  stepId,
  type ClusterDirectory,
  type HelmRelease,
  type KubeObject,
  type Step,
  type StepContext,
  type Topology,
  applyPlanLine,
} from '@meshspec/core/plugin';
import type { KindFacts } from '@meshspec/plugin-kind';
import { poolsStepId } from './facts.js';
import { planPools } from './pools.js';
import { renderPoolObjects } from './render.js';
import { applyWithWebhookRetry, WEBHOOK_RETRY } from './retry.js';
import { CHART, POOL_NAME, withDefaults, type MetallbSection, type ResolvedMetallbSection } from './schema.js';

export const installStepId = (cluster: string) => stepId('metallb', 'install', cluster);

const WAIT_MS = 5 * 60_000;
/** Names the chart gives its objects for release `metallb`. */
const CONTROLLER = 'metallb-controller';
const WEBHOOK_SERVICE = 'metallb-webhook-service';

export { poolsStepId };

export function metallbSteps(
  topology: Topology,
  rawSection: MetallbSection | undefined,
  contextOf: (cluster: string) => string,
  kind: Pick<KindFacts, 'networkStep'>,
  directory: Pick<ClusterDirectory, 'after'>,
): Step[] {
  if (rawSection === undefined) return [];
  const section = withDefaults(rawSection);
  const clusters = Object.keys(topology.clusters);
  // Explicit pools (or a given dockerSubnet) make the plugin usable without the kind plugin.
  const needsKindNetwork = section.dockerSubnet === undefined && clusters.some((c) => section.pools[c] === undefined);
  // Without kind there is no network step: validate() rejects automatic pools then.
  const networkStep = needsKindNetwork ? kind.networkStep : undefined;
  return clusters.flatMap((cluster) => [
    installStep(cluster, section, contextOf(cluster), directory.after(cluster)),
    poolsStep(cluster, contextOf(cluster), clusters, section, networkStep),
  ]);
}

function release(section: ResolvedMetallbSection, kubeContext: string): HelmRelease {
  return { ...CHART, version: section.chartVersion, namespace: section.namespace, kubeContext, wait: true, timeout: '5m' };
}

function installStep(cluster: string, section: ResolvedMetallbSection, kubeContext: string, clusterSteps: string[]): Step {
  const chart = release(section, kubeContext);
  const ns = section.namespace;
  return {
    id: installStepId(cluster),
    title: `MetalLB ${section.chartVersion} in ${cluster}`,
    resource: 'helm',
    estimateSeconds: 45,
    cluster,
    after: clusterSteps,
    plan: [
      `helm upgrade --install ${chart.release} ${chart.chart} --repo ${chart.repo} --version ${chart.version} --namespace ${ns} --kube-context ${kubeContext} --wait`,
      `wait until deployment ${ns}/${CONTROLLER} has rolled out`,
      `wait until endpoints ${ns}/${WEBHOOK_SERVICE} has a ready address`,
    ],
    inputs: chart,
    async run(ctx) {
      await ctx.helm.upgradeInstall(chart, { signal: ctx.signal });
      const kube = ctx.kube(cluster);
      ctx.progress('waiting for the MetalLB controller and its webhook');
      await kube.waitForRollout('Deployment', CONTROLLER, ns, { timeoutMs: WAIT_MS, signal: ctx.signal });
      // The controller serves the validating webhook for IPAddressPool/L2Advertisement. Until the webhook
      // Service has a ready endpoint, applying pools fails with "failed calling webhook ... connection
      // refused" (the classic error of applying pools right after the chart), so wait for it here.
      await kube.waitFor('v1', 'Endpoints', WEBHOOK_SERVICE, ns, hasReadyAddress, {
        timeoutMs: WAIT_MS,
        signal: ctx.signal,
        description: `ready endpoints of service ${ns}/${WEBHOOK_SERVICE}`,
      });
    },
    async status(ctx) {
      const deployed = await ctx.helm.status({ release: chart.release, namespace: ns, kubeContext });
      return deployed?.status === 'deployed' && deployed.chartVersion === section.chartVersion;
    },
    async destroy(ctx) {
      await ctx.helm.uninstall({ release: chart.release, namespace: ns, kubeContext }, { signal: ctx.signal });
    },
  };
}

export function hasReadyAddress(endpoints: KubeObject | undefined): boolean {
  const subsets = (endpoints as { subsets?: { addresses?: unknown[] }[] } | undefined)?.subsets ?? [];
  return subsets.some((s) => (s.addresses?.length ?? 0) > 0);
}

function poolsStep(
  cluster: string,
  context: string,
  clusters: string[],
  section: ResolvedMetallbSection,
  networkStep: string | undefined,
): Step {
  const explicit = section.pools[cluster];
  const ns = section.namespace;
  const shown = explicit ?? `<${section.poolSize} addresses carved from the top of the kind network>`;
  return {
    id: poolsStepId(cluster),
    title: `MetalLB address pool in ${cluster}`,
    resource: 'api',
    estimateSeconds: 3,
    cluster,
    needs: [installStepId(cluster), ...(networkStep ? [networkStep] : [])],
    plan: [applyPlanLine(context, `IPAddressPool ${ns}/${POOL_NAME} (${shown}), L2Advertisement ${ns}/${POOL_NAME}`)],
    // Automatic ranges depend on every cluster's position and on the explicit pools, so all of it is input.
    inputs: { namespace: ns, poolSize: section.poolSize, clusters, pools: section.pools, dockerSubnet: section.dockerSubnet ?? null },
    async run(ctx) {
      const network =
        section.dockerSubnet !== undefined
          ? { subnet: section.dockerSubnet }
          : networkStep
            ? ctx.outputOf<{ subnet: string; gateway?: string }>(networkStep)
            : undefined;
      const pool = poolFor(ctx, cluster, clusters, section, network);
      await applyWithWebhookRetry(ctx.kube(cluster), renderPoolObjects(pool, ns), {
        ...WEBHOOK_RETRY,
        signal: ctx.signal,
        onRetry: (attempt, error) => ctx.log.warn(`MetalLB webhook not ready yet (attempt ${attempt}): ${error.message}`),
      });
      return { range: formatRange(pool) };
    },
    async destroy(ctx) {
      const kube = ctx.kube(cluster);
      await kube.delete('metallb.io/v1beta1', 'L2Advertisement', POOL_NAME, ns);
      await kube.delete('metallb.io/v1beta1', 'IPAddressPool', POOL_NAME, ns);
    },
  };
}

function poolFor(
  ctx: StepContext,
  cluster: string,
  clusters: string[],
  section: ResolvedMetallbSection,
  network: { subnet: string; gateway?: string } | undefined,
) {
  try {
    return planPools(clusters, section, network).find((p) => p.cluster === cluster)!.range;
  } catch (error) {
    throw new StepError(ctx.step.id, (error as Error).message, { cluster, cause: error });
  }
}
