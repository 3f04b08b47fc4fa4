// The kind plugin's steps: one global docker network step, then one cluster step per cluster (in parallel).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StepError, stepId, type RunResult, type Step, type StepContext, type Topology } from '@meshspec/core/plugin';
import { networkCreateArgs, networkInspectArgs, parseIpamConfig } from './docker-network.js';
import { renderKindConfig, renderKindConfigYaml } from './render.js';
import { kindContext } from './resolve.js';
import { withDefaults, type KindClusterSpec, type KindSection } from './schema.js';

export const NETWORK_STEP = stepId('kind', 'network');
export const clusterStepId = (cluster: string) => stepId('kind', 'cluster', cluster);
/** kind waits this long for the control plane to be ready before `create cluster` returns. */
const KIND_WAIT = '120s';
const CREATE_TIMEOUT_MS = 10 * 60_000;
const QUICK_TIMEOUT_MS = 60_000;

/** Where the rendered config of a cluster lives: the file kind reads and the record compared on re-apply. */
export const configPath = (stateDir: string, cluster: string) => join(stateDir, 'kind', `${cluster}.yaml`);

export function kindCreateArgs(cluster: string, configFile: string): string[] {
  return ['create', 'cluster', '--name', cluster, '--config', configFile, '--wait', KIND_WAIT];
}

export function controlPlaneIpArgs(cluster: string, network: string): string[] {
  return ['inspect', '-f', `{{(index .NetworkSettings.Networks ${JSON.stringify(network)}).IPAddress}}`, `${cluster}-control-plane`];
}

/**
 * A command as a person would type it (single-quoting what the shell would split), for plan lines.
 * `<` and `>` stay unquoted: in plan lines they mark `<placeholders>`, never redirections.
 */
export function shellLine(file: string, args: string[]): string {
  return [file, ...args.map((a) => (/^[\w@%+=:,./<>-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))].join(' ');
}

export function kindSteps(topology: Topology, section: KindSection | undefined): Step[] {
  if (section === undefined) return [];
  const { network } = withDefaults(section);
  const clusters = topology.clusters as Record<string, KindClusterSpec>;
  return [networkStep(network), ...Object.entries(clusters).map(([name, spec]) => clusterStep(name, spec, section, network))];
}

/**
 * Creates the docker network before any cluster: parallel `kind create cluster` runs race to create it
 * and can leave two networks named `kind` ("network kind is ambiguous").
 */
function networkStep(network: string): Step {
  return {
    id: NETWORK_STEP,
    title: `docker network ${network}`,
    resource: 'api',
    estimateSeconds: 1, // one docker call
    plan: [shellLine('docker', networkInspectArgs(network)), `${shellLine('docker', networkCreateArgs(network))} (only if missing)`],
    inputs: { network, create: networkCreateArgs(network) },
    async run(ctx) {
      const inspect = () => ctx.exec.run('docker', networkInspectArgs(network), { reject: false, signal: ctx.signal, timeout: QUICK_TIMEOUT_MS });
      let found = await inspect();
      if (found.exitCode !== 0) {
        if (!/no such network|not found/i.test(found.stderr)) throw failure(ctx, `docker network inspect ${network} failed`, found, ambiguousHint(found, network));
        ctx.progress(`creating docker network ${network}`);
        const created = await ctx.exec.run('docker', networkCreateArgs(network), { reject: false, signal: ctx.signal, timeout: QUICK_TIMEOUT_MS });
        // Someone else (another meshspec, a manual kind) may have created it since the inspect: fine.
        if (created.exitCode !== 0 && !/already exists/i.test(created.stderr)) throw failure(ctx, `could not create docker network ${network}`, created);
        found = await inspect();
        if (found.exitCode !== 0) throw failure(ctx, `docker network ${network} is still missing after creating it`, found);
      }
      const info = parseIpamConfig(found.stdout);
      if (!info) {
        throw new StepError(ctx.step.id, `docker network ${network} has no IPv4 subnet (IPAM config: ${found.stdout.trim() || 'empty'}); kind clusters here need one`, { command: found.command });
      }
      return { subnet: info.subnet, gateway: info.gateway };
    },
  };
}

function clusterStep(name: string, spec: KindClusterSpec, section: KindSection, network: string): Step {
  const config = renderKindConfig(name, spec, section);
  const configText = renderKindConfigYaml(config);
  // kind has no flag for the network; it reads this variable (and uses `kind` without it).
  const env = network === 'kind' ? undefined : { KIND_EXPERIMENTAL_DOCKER_NETWORK: network };
  const discover = controlPlaneIpArgs(name, network);
  return {
    id: clusterStepId(name),
    title: `kind cluster ${name}`,
    resource: 'cluster-create',
    estimateSeconds: 35,
    cluster: name,
    needs: [NETWORK_STEP],
    plan: [
      `${env ? `KIND_EXPERIMENTAL_DOCKER_NETWORK=${network} ` : ''}${shellLine('kind', kindCreateArgs(name, `<state>/kind/${name}.yaml`))} (skipped when cluster ${name} exists with this config)`,
      shellLine('docker', discover),
    ],
    inputs: { config, network },
    async run(ctx) {
      const file = configPath(ctx.stateDir, name);
      if (await clusterExists(ctx, name)) {
        // kind cannot read a cluster's config back, so the config meshspec created it with is the record.
        const recorded = await readFile(file, 'utf8').catch(() => undefined);
        if (recorded === undefined) {
          ctx.log.warn(`kind cluster ${name} already exists and meshspec has no record of its config; using it as it is`);
        } else if (recorded !== configText) {
          throw new StepError(ctx.step.id, `cluster ${name} exists with a different config; meshspec will not touch it; run meshspec destroy or rename`, { cluster: name });
        }
      } else {
        await mkdir(join(ctx.stateDir, 'kind'), { recursive: true });
        await writeFile(file, configText);
        ctx.progress(`kind create cluster ${name} (takes a minute or two)`);
        await ctx.exec.run('kind', kindCreateArgs(name, file), { signal: ctx.signal, timeout: CREATE_TIMEOUT_MS, ...(env ? { env } : {}) });
      }
      const ip = (await ctx.exec.run('docker', discover, { signal: ctx.signal, timeout: QUICK_TIMEOUT_MS })).stdout.trim();
      if (!ip) {
        throw new StepError(ctx.step.id, `container ${name}-control-plane has no address on docker network ${network}`, { cluster: name, command: shellLine('docker', discover) });
      }
      return { context: kindContext(name), apiServerUrl: `https://${ip}:6443` };
    },
    async destroy(ctx) {
      await ctx.exec.run('kind', ['delete', 'cluster', '--name', name], { signal: ctx.signal, timeout: CREATE_TIMEOUT_MS, ...(env ? { env } : {}) });
      await rm(configPath(ctx.stateDir, name), { force: true });
    },
  };
}

async function clusterExists(ctx: StepContext, name: string): Promise<boolean> {
  const { stdout } = await ctx.exec.run('kind', ['get', 'clusters'], { signal: ctx.signal, timeout: QUICK_TIMEOUT_MS });
  return stdout.split('\n').some((line) => line.trim() === name);
}

function ambiguousHint(result: RunResult, network: string): string | undefined {
  return /ambiguous/i.test(result.stderr)
    ? `two docker networks are named ${network}: list them with \`docker network ls --filter name=^${network}$\` and remove the unused one with \`docker network rm <id>\``
    : undefined;
}

function failure(ctx: StepContext, message: string, result: RunResult, hint?: string): StepError {
  return new StepError(ctx.step.id, hint ? `${message}: ${hint}` : message, { command: result.command, stderrTail: result.stderr.slice(-2000) });
}
