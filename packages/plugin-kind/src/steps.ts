// The kind plugin's steps: one global docker network step, then one cluster step per cluster (in parallel).
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StepError, stepId, type RunResult, type Step, type StepContext, type Topology } from '@meshspec/core/plugin';
import { networkCreateArgs, networkInspectArgs, parseIpamConfig } from './docker-network.js';
import {
  CONTAINERD_CONFIG_PATCH,
  certsDCopyArgs,
  certsDFiles,
  kindNodeNames,
  mirrorsFor,
  registryInspectArgs,
  registryRunArgs,
  DEFAULT_REGISTRY_IMAGE,
  type Mirror,
} from './registry-mirror.js';
import { renderKindConfig, renderKindConfigYaml } from './render.js';
import { kindContext } from './resolve.js';
import { withDefaults, type KindClusterSpec, type KindSection } from './schema.js';

export const NETWORK_STEP = stepId('kind', 'network');
export const REGISTRY_STEP = stepId('kind', 'registry-mirror');
export const clusterStepId = (cluster: string) => stepId('kind', 'cluster', cluster);
/** kind waits this long for the control plane to be ready before `create cluster` returns. */
const KIND_WAIT = '120s';
const CREATE_TIMEOUT_MS = 10 * 60_000;
const QUICK_TIMEOUT_MS = 60_000;

/** Where the rendered config of a cluster lives: the file kind reads and the record compared on re-apply. */
export const configPath = (stateDir: string, cluster: string) => join(stateDir, 'kind', `${cluster}.yaml`);
/** The registry caches this topology's meshspec created (only those are removed by destroy). */
export const mirrorOwnershipPath = (stateDir: string) => join(stateDir, 'kind', 'registry-mirrors.json');
/** The containerd hosts.toml tree copied into a cluster's nodes. */
const certsDPath = (stateDir: string, cluster: string) => join(stateDir, 'kind', `${cluster}.certs.d`);

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
  const mirrors = mirrorsFor(section.registryMirror ?? {});
  const registry = mirrors.length > 0 ? [registryStep(mirrors, network, section.registryMirror?.image ?? DEFAULT_REGISTRY_IMAGE)] : [];
  return [
    networkStep(network),
    ...registry,
    ...Object.entries(clusters).map(([name, spec]) => clusterStep(name, spec, section, network, mirrors)),
  ];
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
      const inspect = () =>
        ctx.exec.run('docker', networkInspectArgs(network), { reject: false, signal: ctx.signal, timeout: QUICK_TIMEOUT_MS });
      let found = await inspect();
      if (found.exitCode !== 0) {
        if (!/no such network|not found/i.test(found.stderr))
          throw failure(ctx, `docker network inspect ${network} failed`, found, ambiguousHint(found, network));
        ctx.progress(`creating docker network ${network}`);
        const created = await ctx.exec.run('docker', networkCreateArgs(network), {
          reject: false,
          signal: ctx.signal,
          timeout: QUICK_TIMEOUT_MS,
        });
        // Someone else (another meshspec, a manual kind) may have created it since the inspect: fine.
        if (created.exitCode !== 0 && !/already exists/i.test(created.stderr))
          throw failure(ctx, `could not create docker network ${network}`, created);
        found = await inspect();
        if (found.exitCode !== 0) throw failure(ctx, `docker network ${network} is still missing after creating it`, found);
      }
      const info = parseIpamConfig(found.stdout);
      if (!info) {
        throw new StepError(
          ctx.step.id,
          `docker network ${network} has no IPv4 subnet (IPAM config: ${found.stdout.trim() || 'empty'}); kind clusters here need one`,
          { command: found.command },
        );
      }
      return { subnet: info.subnet, gateway: info.gateway };
    },
  };
}

/**
 * Ensures one pull-through cache per upstream on the kind network, before any cluster: each image then
 * crosses the internet once, whatever the number of clusters. A cache that already exists (an earlier
 * apply, another topology) is reused and left to whoever created it; the ones created here are recorded
 * in the state dir so `destroy` removes exactly those.
 */
function registryStep(mirrors: Mirror[], network: string, image: string): Step {
  const owned = mirrors.filter((m): m is Mirror & { container: string } => m.container !== undefined);
  return {
    id: REGISTRY_STEP,
    title: `registry mirrors (pull-through caches) on docker network ${network}`,
    needs: [NETWORK_STEP],
    resource: 'docker',
    estimateSeconds: 5,
    plan: [
      ...owned.map(
        (m) =>
          `${shellLine('docker', registryRunArgs(m, network, image))} (only if missing; kept across applies; removed by destroy only if meshspec created it)`,
      ),
      ...mirrors
        .filter((m) => m.container === undefined)
        .map((m) => `reuse ${m.endpoint} as the mirror of ${m.upstream} (not created or removed by meshspec)`),
    ],
    inputs: { network, image, mirrors },
    async run(ctx) {
      const file = mirrorOwnershipPath(ctx.stateDir);
      const created = new Set(await readOwnership(file));
      const reused: string[] = [];
      for (const mirror of owned) {
        const found = await ctx.exec.run('docker', registryInspectArgs(mirror.container), {
          reject: false,
          signal: ctx.signal,
          timeout: QUICK_TIMEOUT_MS,
        });
        if (found.exitCode === 0) {
          if (!created.has(mirror.container)) reused.push(mirror.container);
          if (found.stdout.trim() !== 'true')
            await ctx.exec.run('docker', ['start', mirror.container], { signal: ctx.signal, timeout: QUICK_TIMEOUT_MS });
          // A cache made for another network must also be on this one, or the nodes cannot resolve it.
          const joined = await ctx.exec.run('docker', ['network', 'connect', network, mirror.container], {
            reject: false,
            signal: ctx.signal,
            timeout: QUICK_TIMEOUT_MS,
          });
          if (joined.exitCode !== 0 && !/already exists/i.test(joined.stderr))
            throw failure(ctx, `could not connect registry mirror ${mirror.container} to docker network ${network}`, joined);
          continue;
        }
        if (!/no such object|no such container/i.test(found.stderr)) throw failure(ctx, `docker inspect ${mirror.container} failed`, found);
        ctx.progress(`starting registry mirror ${mirror.container} for ${mirror.upstream}`);
        await ctx.exec.run('docker', registryRunArgs(mirror, network, image), { signal: ctx.signal, timeout: CREATE_TIMEOUT_MS });
        created.add(mirror.container);
        // Recorded at once: an interrupted step must not forget a cache it made.
        await writeOwnership(file, [...created]);
      }
      return { mirrors: Object.fromEntries(mirrors.map((m) => [m.upstream, m.endpoint])), created: [...created].sort(), reused };
    },
    async destroy(ctx) {
      const file = mirrorOwnershipPath(ctx.stateDir);
      const created = await readOwnership(file);
      for (const container of created) {
        const removed = await ctx.exec.run('docker', ['rm', '-f', container], {
          reject: false,
          signal: ctx.signal,
          timeout: QUICK_TIMEOUT_MS,
        });
        if (removed.exitCode !== 0 && !/no such container/i.test(removed.stderr))
          throw failure(ctx, `could not remove registry mirror ${container}`, removed);
        await writeOwnership(
          file,
          (await readOwnership(file)).filter((c) => c !== container),
        );
      }
      await rm(file, { force: true });
    },
  };
}

async function readOwnership(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  const parsed = JSON.parse(text) as { created?: unknown };
  return Array.isArray(parsed.created) ? parsed.created.filter((c): c is string => typeof c === 'string') : [];
}

async function writeOwnership(file: string, created: string[]): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, `${JSON.stringify({ created: [...new Set(created)].sort() }, null, 2)}\n`);
}

/** Tells every node of a cluster which cache serves which upstream (containerd rereads hosts.toml per pull). */
async function pointNodesAtMirrors(ctx: StepContext, cluster: string, workers: number, mirrors: Mirror[]): Promise<void> {
  const dir = certsDPath(ctx.stateDir, cluster);
  await rm(dir, { recursive: true, force: true });
  for (const [path, content] of Object.entries(certsDFiles(mirrors))) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  for (const node of kindNodeNames(cluster, workers)) {
    await ctx.exec.run('docker', certsDCopyArgs(dir, node), { signal: ctx.signal, timeout: QUICK_TIMEOUT_MS });
  }
}

function clusterStep(name: string, spec: KindClusterSpec, section: KindSection, network: string, mirrors: Mirror[]): Step {
  const config = renderKindConfig(name, spec, section);
  // The config's YAML text is only needed when the step runs: rendered then, not for every plan and validate.
  const configText = () => renderKindConfigYaml(config);
  const { containerdConfigPatches: _patches, ...withoutPatches } = config;
  const withoutPatchesText = () => renderKindConfigYaml(withoutPatches);
  // kind has no flag for the network; it reads this variable (and uses `kind` without it).
  const env = network === 'kind' ? undefined : { KIND_EXPERIMENTAL_DOCKER_NETWORK: network };
  const discover = controlPlaneIpArgs(name, network);
  const nodes = mirrors.length > 0 ? kindNodeNames(name, config.nodes.length - 1) : [];
  return {
    id: clusterStepId(name),
    title: `kind cluster ${name}`,
    resource: 'cluster-create',
    estimateSeconds: 35,
    cluster: name,
    needs: mirrors.length > 0 ? [NETWORK_STEP, REGISTRY_STEP] : [NETWORK_STEP],
    plan: [
      `${env ? `KIND_EXPERIMENTAL_DOCKER_NETWORK=${network} ` : ''}${shellLine('kind', kindCreateArgs(name, `<state>/kind/${name}.yaml`))} (skipped when cluster ${name} exists with this config)`,
      ...(nodes.length > 0
        ? [
            `${shellLine('docker', certsDCopyArgs(`<state>/kind/${name}.certs.d`, '<node>'))} for each node (${nodes.join(', ')}): containerd pulls ${mirrors.map((m) => m.upstream).join(', ')} through the registry mirrors`,
          ]
        : []),
      shellLine('docker', discover),
    ],
    inputs: { config, network, ...(mirrors.length > 0 ? { mirrors } : {}) },
    async run(ctx) {
      const file = configPath(ctx.stateDir, name);
      if (await clusterExists(ctx, name)) {
        // kind cannot read a cluster's config back, so the config meshspec created it with is the record.
        const recorded = await readFile(file, 'utf8').catch(() => undefined);
        if (recorded === undefined) {
          ctx.log.warn(`kind cluster ${name} already exists and meshspec has no record of its config; using it as it is`);
        } else if (recorded !== configText()) {
          if (
            recorded !== withoutPatchesText() &&
            recorded !== renderKindConfigYaml({ ...withoutPatches, containerdConfigPatches: [CONTAINERD_CONFIG_PATCH] })
          ) {
            throw new StepError(
              ctx.step.id,
              `cluster ${name} exists with a different config; meshspec will not touch it; run meshspec destroy or rename`,
              { cluster: name },
            );
          }
          // Only the registry mirror setting differs: containerd's config is fixed at creation, the rest still applies.
          ctx.log.warn(
            mirrors.length > 0
              ? `kind cluster ${name} was created without the registry mirror: its nodes keep pulling from the internet until it is recreated (meshspec destroy, then apply)`
              : `kind cluster ${name} was created with the registry mirror, now off: its nodes try the mirrors first and fall back to the internet until it is recreated`,
          );
        }
      } else {
        await mkdir(join(ctx.stateDir, 'kind'), { recursive: true });
        await writeFile(file, configText());
        ctx.progress(`kind create cluster ${name} (takes a minute or two)`);
        await ctx.exec.run('kind', kindCreateArgs(name, file), { signal: ctx.signal, timeout: CREATE_TIMEOUT_MS, ...(env ? { env } : {}) });
      }
      if (mirrors.length > 0) await pointNodesAtMirrors(ctx, name, config.nodes.length - 1, mirrors);
      const ip = (await ctx.exec.run('docker', discover, { signal: ctx.signal, timeout: QUICK_TIMEOUT_MS })).stdout.trim();
      if (!ip) {
        throw new StepError(ctx.step.id, `container ${name}-control-plane has no address on docker network ${network}`, {
          cluster: name,
          command: shellLine('docker', discover),
        });
      }
      return { context: kindContext(name), apiServerUrl: `https://${ip}:6443` };
    },
    async destroy(ctx) {
      await ctx.exec.run('kind', ['delete', 'cluster', '--name', name], {
        signal: ctx.signal,
        timeout: CREATE_TIMEOUT_MS,
        ...(env ? { env } : {}),
      });
      await rm(configPath(ctx.stateDir, name), { force: true });
      await rm(certsDPath(ctx.stateDir, name), { recursive: true, force: true });
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
  return new StepError(ctx.step.id, hint ? `${message}: ${hint}` : message, {
    command: result.command,
    stderrTail: result.stderr.slice(-2000),
  });
}
