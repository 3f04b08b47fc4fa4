import {
  parseManifestText,
  StepError,
  stepId,
  type ClusterDirectory,
  type KubeObject,
  type Step,
  type StepContext,
  type StepsContext,
  type Topology,
  applyPlanLine,
} from '@meshspec/core/plugin';
import { linkerdPlugin, type LinkerdFacts } from '@meshspec/plugin-linkerd';
import { digestEntry, loadManifestText, resolveFrom } from './manifests.js';
import { renderDemo } from './render-demo.js';
import { demoOptions, type ManifestEntry, type WorkloadsSection } from './schema.js';

const ROLLOUT_TIMEOUT_MS = 5 * 60_000;

function refOf(o: KubeObject): string {
  return `${o.kind} ${o.metadata.namespace ? o.metadata.namespace + '/' : ''}${o.metadata.name}`;
}

/** The plugins this one orders itself around, through their facts (both optional). */
export interface WorkloadsNeighbours {
  clusters: Pick<ClusterDirectory, 'after'>;
  linkerd: Pick<LinkerdFacts, 'exports' | 'steps' | 'mirrorName'>;
}

/**
 * Steps run after the cluster exists and, when Linkerd is used, after its proxy injector is up (meshed
 * pods need it at creation), and before Linkerd labels exported services (they must exist by then).
 */
function ordering(cluster: string, n: WorkloadsNeighbours): Pick<Step, 'after' | 'before'> {
  return {
    after: [...n.clusters.after(cluster), n.linkerd.steps.controlPlane(cluster)],
    before: n.linkerd.exports.map((e) => n.linkerd.steps.export(e.namespace, e.service, cluster)),
  };
}

export const demoStepId = (cluster: string) => stepId('workloads', 'demo', cluster);
export const manifestsStepId = (name: string, cluster: string) => stepId('workloads', `manifests:${name}`, cluster);

export function demoStep(
  cluster: string,
  topology: Topology,
  section: WorkloadsSection,
  ctx: StepsContext,
  neighbours: WorkloadsNeighbours,
): Step {
  const demo = section.demo || {};
  const options = demoOptions(demo);
  const objects = renderDemo(cluster, Object.keys(topology.clusters), demo, neighbours.linkerd.mirrorName);
  const deployments = objects.filter((o) => o.kind === 'Deployment');
  return {
    id: demoStepId(cluster),
    title: `Demo app (podinfo + frontend) in ${cluster}`,
    resource: 'api',
    estimateSeconds: 20, // applies, then waits for pods (image pulls)
    cluster,
    ...ordering(cluster, neighbours),
    plan: [
      applyPlanLine(ctx.contextOf(cluster), objects.map(refOf).join(', ')),
      ...deployments.map(
        (d) => `kubectl rollout status deployment/${d.metadata.name} -n ${options.namespace} --context ${ctx.contextOf(cluster)}`,
      ),
    ],
    inputs: { cluster, context: ctx.contextOf(cluster), objects },
    async run(run: StepContext) {
      const kube = run.kube(cluster);
      run.progress(`applying ${objects.length} objects`);
      await kube.apply(objects, { signal: run.signal });
      for (const d of deployments) {
        run.progress(`waiting for deployment/${d.metadata.name}`);
        await kube.waitForRollout('Deployment', d.metadata.name, options.namespace, { timeoutMs: ROLLOUT_TIMEOUT_MS, signal: run.signal });
      }
      return { namespace: options.namespace, services: ['podinfo', 'frontend'] };
    },
    async status(run: StepContext) {
      const kube = run.kube(cluster);
      const found = await Promise.all(deployments.map((d) => kube.get('apps/v1', 'Deployment', d.metadata.name, options.namespace)));
      return found.every((d) => d !== undefined);
    },
    async destroy(run: StepContext) {
      const kube = run.kube(cluster);
      // Only what we created, newest first; the namespace last (it may hold user manifests too, which go with it).
      for (const o of [...objects].reverse()) await kube.delete(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
    },
  };
}

export function manifestsStep(entry: ManifestEntry, cluster: string, ctx: StepsContext, neighbours: WorkloadsNeighbours): Step {
  const source =
    entry.kustomize !== undefined
      ? `kubectl kustomize ${resolveFrom(ctx.topologyDir, entry.kustomize)}`
      : resolveFrom(ctx.topologyDir, entry.path ?? '.');
  const id = manifestsStepId(entry.name, cluster);
  return {
    id,
    title: `Manifests ${entry.name} in ${cluster}`,
    resource: 'api',
    estimateSeconds: 10,
    cluster,
    ...ordering(cluster, neighbours),
    plan: [applyPlanLine(ctx.contextOf(cluster), `${source}${entry.namespace ? ` (default namespace ${entry.namespace})` : ''}`)],
    inputs: { entry, cluster, context: ctx.contextOf(cluster), digest: digestEntry(entry, ctx.topologyDir) },
    async run(run: StepContext) {
      const text = await loadManifestText(entry, run.topologyDir, run.exec, run.signal);
      if (!text.trim()) throw new StepError(id, `manifests ${entry.name}: ${source} holds no objects`, { cluster });
      const result = await run
        .kube(cluster)
        .apply(text, { signal: run.signal, ...(entry.namespace ? { defaultNamespace: entry.namespace } : {}) });
      return { objects: result.objects.map((o) => o.ref) };
    },
    async destroy(run: StepContext) {
      const text = await loadManifestText(entry, run.topologyDir, run.exec, run.signal);
      const kube = run.kube(cluster);
      // Namespaces and CRDs are shared ground: deleting one deletes everything in it or of its kind,
      // including what other tools put there. Only those meshspec itself labelled as its own go.
      const removable = parseManifestText(text, source).filter((o) => !isSharedGround(o) || o.metadata.labels?.[MANAGED_BY] === 'meshspec');
      // Reverse apply order; the client ignores the namespace for cluster-scoped kinds.
      for (const o of removable.reverse())
        await kube.delete(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace ?? entry.namespace);
    },
  };
}

const MANAGED_BY = 'app.kubernetes.io/managed-by';
const isSharedGround = (o: KubeObject) => o.kind === 'Namespace' || o.kind === 'CustomResourceDefinition';

export function workloadsSteps(topology: Topology, section: WorkloadsSection | undefined, ctx: StepsContext): Step[] {
  if (!section) return [];
  const clusters = Object.keys(topology.clusters);
  const steps: Step[] = [];
  const neighbours: WorkloadsNeighbours = { clusters: ctx.clusters, linkerd: ctx.facts(linkerdPlugin) };
  if (section.demo) for (const c of clusters) steps.push(demoStep(c, topology, section, ctx, neighbours));
  for (const entry of section.manifests ?? []) {
    for (const c of entry.clusters ?? clusters) steps.push(manifestsStep(entry, c, ctx, neighbours));
  }
  return steps;
}
