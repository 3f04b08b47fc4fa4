import {
  appliedObjectHooks,
  StepError,
  stepId,
  type ClusterDirectory,
  type KubeObject,
  type Step,
  type StepContext,
  type StepsContext,
  type Topology,
  applyPlanLine,
  contextOf,
} from '@meshspec/core/plugin';
import { linkerdPlugin, type LinkerdFacts } from '@meshspec/plugin-linkerd';
import { workloadsPlugin, type WorkloadsFacts } from '@meshspec/plugin-workloads';
import { backendsFor, renderHttpRoute, renderTrafficSplit } from './render.js';
import { resolveSmi, type ResolvedSplitSpec, type SmiSection } from './schema.js';
import { splitApiOf, type SplitApi } from './split-api.js';

export const SMI_NAMESPACE = 'linkerd-smi';
export const SMI_ADAPTOR = 'smi-adaptor';

/** The object `split` becomes in `cluster`, in the API the topology's Linkerd version reads. */
export function renderSplitFor(split: ResolvedSplitSpec, cluster: string, clusters: readonly string[], linkerd: LinkerdFacts): KubeObject {
  const backends = backendsFor(split, cluster, clusters, linkerd);
  return splitApiOf(linkerd) === 'httproute' ? renderHttpRoute(split, backends) : renderTrafficSplit(split, backends);
}

/** The step ids of other plugins the splits order themselves after, from those plugins' facts. */
export interface SplitNeighbours {
  linkerd: LinkerdFacts;
  clusters: Pick<ClusterDirectory, 'after'>;
  workloads: Pick<WorkloadsFacts, 'steps'>;
}

/** How long destroy waits for the extension's namespace to be gone (finalizers done). */
const NAMESPACE_GONE_TIMEOUT_MS = 5 * 60_000;

const sameVersion = (a: string, b: string) => a.trim().replace(/^v/, '') === b.trim().replace(/^v/, '');

export function installStep(
  cluster: string,
  extensionVersion: string,
  ctx: StepsContext,
  n: Pick<SplitNeighbours, 'linkerd' | 'clusters'>,
): Step {
  const linkerd = n.linkerd.cli;
  const id = stepId('smi', 'install', cluster);
  const context = ctx.contextOf(cluster);
  return {
    id,
    title: `linkerd-smi ${extensionVersion} in ${cluster}`,
    resource: 'linkerd',
    estimateSeconds: 20,
    cluster,
    after: [...n.clusters.after(cluster), n.linkerd.steps.controlPlane(cluster)],
    plan: [
      `linkerd-smi version   (must print ${extensionVersion})`,
      applyPlanLine(context, `${linkerd} smi install --context ${context}`),
      `kubectl rollout status deployment/${SMI_ADAPTOR} -n ${SMI_NAMESPACE} --context ${context}`,
    ],
    inputs: { cluster, context, extensionVersion, ...(linkerd !== 'linkerd' ? { linkerd } : {}) },
    async run(run: StepContext) {
      // The CLI renders the extension with its own version as image tag: the binary IS the pinned version.
      const { stdout } = await run.exec.run('linkerd-smi', ['version'], { signal: run.signal });
      const found = stdout.trim().split('\n')[0] ?? '';
      if (!sameVersion(found, extensionVersion)) {
        throw new StepError(
          id,
          `linkerd-smi on PATH is ${found || 'unknown'}, the topology pins ${extensionVersion}: install https://github.com/linkerd/linkerd-smi/releases/tag/${extensionVersion} as linkerd-smi, or change smi.extensionVersion`,
          { cluster, command: 'linkerd-smi version' },
        );
      }
      run.progress('rendering linkerd smi install');
      const rendered = await run.exec.run(linkerd, ['smi', 'install', '--context', context], { signal: run.signal, timeout: 6 * 60_000 });
      const kube = run.kube(cluster);
      await kube.apply(rendered.stdout, { signal: run.signal });
      run.progress(`waiting for ${SMI_ADAPTOR}`);
      await kube.waitForRollout('Deployment', SMI_ADAPTOR, SMI_NAMESPACE, { timeoutMs: 5 * 60_000, signal: run.signal });
      return { version: extensionVersion };
    },
    async status(run: StepContext) {
      return (await run.kube(cluster).get('apps/v1', 'Deployment', SMI_ADAPTOR, SMI_NAMESPACE)) !== undefined;
    },
    // The namespace carries linkerd.io/extension=smi: `linkerd uninstall` refuses while it exists, even
    // Terminating, so destroy returns only once it is gone.
    async destroy(run: StepContext) {
      const kube = run.kube(cluster);
      await kube.delete('v1', 'Namespace', SMI_NAMESPACE);
      await kube.waitFor('v1', 'Namespace', SMI_NAMESPACE, undefined, (o) => o === undefined, {
        timeoutMs: NAMESPACE_GONE_TIMEOUT_MS,
        signal: run.signal,
        description: `namespace ${SMI_NAMESPACE} to be deleted`,
      });
    },
  };
}

export function splitStep(split: ResolvedSplitSpec, cluster: string, topology: Topology, api: SplitApi, n: SplitNeighbours): Step {
  const clusters = Object.keys(topology.clusters);
  const others = clusters.filter((c) => c !== cluster);
  const object = renderSplitFor(split, cluster, clusters, n.linkerd);
  const key = `${split.namespace}/${split.service}`;
  const backends = backendsFor(split, cluster, clusters, n.linkerd);
  const context = contextOf(topology, cluster);
  return {
    id: stepId('smi', `split:${key}`, cluster),
    title: `${api === 'httproute' ? 'HTTPRoute' : 'TrafficSplit'} ${key} in ${cluster}`,
    resource: 'api',
    estimateSeconds: 2,
    cluster,
    ...(api === 'trafficsplit' ? { needs: [stepId('smi', 'install', cluster)] } : {}),
    after: [
      ...n.clusters.after(cluster),
      n.linkerd.steps.crds(cluster),
      n.linkerd.steps.controlPlane(cluster),
      n.workloads.steps.demo(cluster),
      // Mirrors appear once this cluster links to the other and the other exports the service.
      ...others.map((o) => n.linkerd.steps.link(o, cluster)),
      ...others.map((o) => n.linkerd.steps.export(split.namespace, split.service, o)),
    ],
    plan: [applyPlanLine(context, `${object.kind} ${key}: ${backends.map((b) => `${b.service}=${b.weight}`).join(', ')}`)],
    inputs: { cluster, object },
    async run(run: StepContext) {
      await run.kube(cluster).apply([object], { signal: run.signal });
      return { kind: object.kind, backends };
    },
    ...appliedObjectHooks(cluster, [object]),
  };
}

export function smiSteps(topology: Topology, section: SmiSection | undefined, ctx: StepsContext): Step[] {
  if (!section) return [];
  const { extensionVersion, splits } = resolveSmi(section);
  const neighbours: SplitNeighbours = { linkerd: ctx.facts(linkerdPlugin), clusters: ctx.clusters, workloads: ctx.facts(workloadsPlugin) };
  const api = splitApiOf(neighbours.linkerd);
  const clusters = Object.keys(topology.clusters);
  const steps: Step[] = [];
  if (api === 'trafficsplit') for (const c of clusters) steps.push(installStep(c, extensionVersion, ctx, neighbours));
  for (const split of splits) {
    for (const c of split.clusters ?? clusters) steps.push(splitStep(split, c, topology, api, neighbours));
  }
  return steps;
}
