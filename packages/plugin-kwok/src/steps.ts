// One step per cluster: `kwokctl create cluster` (binary runtime), then its simulated Nodes. Creations
// run one at a time: kwokctl adds each cluster's context to the one kubeconfig file by read-modify-write,
// and two creates at once can lose a context.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyPlanLine, StepError, stepId, type RunResult, type Step, type StepContext, type Topology } from '@meshspec/core/plugin';
import {
  clusterDir,
  kwokctlCreateArgs,
  renderKwokctlConfig,
  renderKwokctlConfigYaml,
  renderSimulatedNodes,
  type LoadBalancerController,
} from './render.js';
import { kwokContext, loadBalancerPools } from './resolve.js';
import { withDefaults, type KwokClusterSpec, type KwokSection } from './schema.js';

export const clusterStepId = (cluster: string) => stepId('kwok', 'cluster', cluster);

const CREATE_TIMEOUT_MS = 5 * 60_000;
const QUICK_TIMEOUT_MS = 60_000;
const NODE_READY_TIMEOUT_MS = 2 * 60_000;

/** kwokctl's working directory for this topology's clusters (KWOK_WORKDIR): inside the state directory. */
export const kwokWorkdir = (stateDir: string) => join(stateDir, 'kwok');
/** The rendered configuration of a cluster: the file kwokctl reads and the record compared on re-apply. */
export const configPath = (stateDir: string, cluster: string) => join(kwokWorkdir(stateDir), `${cluster}.yaml`);

/** The controller that assigns simulated LoadBalancer addresses, as this installation has it. */
export const installedController = (): LoadBalancerController => ({
  node: process.execPath,
  script: fileURLToPath(new URL('./lb-controller.js', import.meta.url)),
});
/** The same, as plans show it (plans never depend on the machine). */
const PLANNED_CONTROLLER: LoadBalancerController = { node: '<node>', script: '<meshspec>/plugin-kwok/dist/lb-controller.js' };

// One kwokctl create/delete at a time in this process (see the file comment).
let queue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  const result = queue.then(work, work);
  queue = result.catch(() => undefined);
  return result;
}

export function kwokSteps(
  topology: Topology,
  raw: KwokSection | undefined,
  controller: () => LoadBalancerController = installedController,
): Step[] {
  if (raw === undefined) return [];
  const section = withDefaults(raw);
  const clusters = topology.clusters as Record<string, KwokClusterSpec>;
  const names = Object.keys(clusters);
  const pools = loadBalancerPools(names, section);
  return names.map((name, index) =>
    clusterStep(name, index, clusters[name]!, section, pools[name] ?? section.loadBalancerRange, controller),
  );
}

function clusterStep(
  name: string,
  index: number,
  spec: KwokClusterSpec,
  section: ReturnType<typeof withDefaults>,
  pool: string,
  controller: () => LoadBalancerController,
): Step {
  const context = spec.context ?? kwokContext(name);
  const nodes = renderSimulatedNodes(spec, spec.simulatedNodes ?? section.nodes);
  const planArgs = kwokctlCreateArgs(name, spec, index, `<state>/kwok/${name}.yaml`);
  const plannedConfig = renderKwokctlConfig(name, section, pool, '<state>/kwok', PLANNED_CONTROLLER);
  return {
    id: clusterStepId(name),
    title: `kwok cluster ${name}`,
    cluster: name,
    resource: 'cluster-create',
    estimateSeconds: 15,
    plan: [
      `write <state>/kwok/${name}.yaml (kwokctl config: control plane on 127.0.0.1, Kubernetes ${section.kubernetesVersion}, simulated LoadBalancer addresses ${pool})`,
      `KWOK_WORKDIR=<state>/kwok kwokctl ${planArgs.join(' ')} (skipped when cluster ${name} exists with this config)`,
      applyPlanLine(
        context,
        `${nodes.length} simulated Node${nodes.length === 1 ? '' : 's'} (${nodes.map((n) => n.metadata.name).join(', ')}), then wait until Ready`,
      ),
    ],
    inputs: { config: plannedConfig, args: planArgs, nodes },
    async run(ctx) {
      const workdir = kwokWorkdir(ctx.stateDir);
      const env = { KWOK_WORKDIR: workdir };
      const file = configPath(ctx.stateDir, name);
      const configText = renderKwokctlConfigYaml(renderKwokctlConfig(name, section, pool, workdir, controller()));
      await oneAtATime(async () => {
        if (await clusterExists(ctx, name, env)) {
          const recorded = await readFile(file, 'utf8').catch(() => undefined);
          if (recorded !== undefined && recorded !== configText) {
            throw new StepError(
              ctx.step.id,
              `kwok cluster ${name} exists with a different config; meshspec will not touch it; run meshspec destroy or rename`,
              { cluster: name },
            );
          }
          if (recorded === undefined)
            ctx.log.warn(`kwok cluster ${name} already exists and meshspec has no record of its config; using it as it is`);
          return;
        }
        await mkdir(workdir, { recursive: true });
        await writeFile(file, configText);
        ctx.progress(`kwokctl create cluster ${name}`);
        const created = await ctx.exec.run('kwokctl', kwokctlCreateArgs(name, spec, index, file), {
          env,
          reject: false,
          signal: ctx.signal,
          timeout: CREATE_TIMEOUT_MS,
        });
        if (created.exitCode !== 0)
          throw failure(
            ctx,
            `kwokctl could not create cluster ${name}`,
            created,
            `its component logs are in ${join(clusterDir(workdir, name), 'logs')}`,
          );
      });
      const apiServerUrl = await serverOf(ctx, name, env);
      const kube = ctx.kube(name);
      ctx.progress(`${nodes.length} simulated node(s)`);
      await kube.apply(nodes, { signal: ctx.signal });
      for (const node of nodes) {
        await kube.waitFor('v1', 'Node', node.metadata.name, undefined, isReady, {
          timeoutMs: NODE_READY_TIMEOUT_MS,
          signal: ctx.signal,
          description: `node ${node.metadata.name} in ${name} to be Ready (kwok marks it)`,
        });
      }
      return { context, apiServerUrl };
    },
    async destroy(ctx) {
      const env = { KWOK_WORKDIR: kwokWorkdir(ctx.stateDir) };
      await oneAtATime(async () => {
        if (!(await clusterExists(ctx, name, env))) return;
        await ctx.exec.run('kwokctl', ['delete', 'cluster', '--name', name], { env, signal: ctx.signal, timeout: CREATE_TIMEOUT_MS });
      });
      await rm(configPath(ctx.stateDir, name), { force: true });
    },
  };
}

const isReady = (node: unknown) =>
  ((node as { status?: { conditions?: { type: string; status: string }[] } } | undefined)?.status?.conditions ?? []).some(
    (c) => c.type === 'Ready' && c.status === 'True',
  );

async function clusterExists(ctx: StepContext, name: string, env: Record<string, string>): Promise<boolean> {
  const { stdout } = await ctx.exec.run('kwokctl', ['get', 'clusters'], { env, signal: ctx.signal, timeout: QUICK_TIMEOUT_MS });
  return stdout.split('\n').some((line) => line.trim() === name);
}

/** The API server URL kwokctl wrote for the cluster (https://127.0.0.1:<port>). */
async function serverOf(ctx: StepContext, name: string, env: Record<string, string>): Promise<string> {
  const result = await ctx.exec.run('kwokctl', ['get', 'kubeconfig', '--name', name], {
    env,
    signal: ctx.signal,
    timeout: QUICK_TIMEOUT_MS,
  });
  const server = /^\s*server:\s*(\S+)\s*$/m.exec(result.stdout)?.[1];
  if (!server)
    throw new StepError(ctx.step.id, `kwokctl get kubeconfig --name ${name} printed no server address`, {
      cluster: name,
      command: result.command,
    });
  return server;
}

function failure(ctx: StepContext, message: string, result: RunResult, hint: string): StepError {
  return new StepError(ctx.step.id, `${message}: ${hint}`, { command: result.command, stderrTail: result.stderr.slice(-2000) });
}
