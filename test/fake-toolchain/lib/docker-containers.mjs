// Fake `docker` containers besides kind's nodes: the registry caches meshspec runs (`run`, `inspect`,
// `start`, `network connect`, `rm -f`) and `cp` into kind nodes. Containers are JSON records under
// <state>/docker/containers/<name>.json; a node's files under <state>/kind/clusters/<c>/nodes/<node>/.
// Messages and exit codes are docker 24's.
import { randomBytes } from 'node:crypto';
import { cpSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { clusterDir, existsSync, fail, flag, flags, mkdirSync, readJson, remove, statePath, writeJson } from './common.mjs';

export const containerFile = (name) => statePath('docker', 'containers', `${name}.json`);
export const readContainer = (name) => readJson(containerFile(name));

/** `docker run -d [--restart=…] --name N --network NET -e K=V… IMAGE`: what meshspec's registry step runs. */
export function runContainer(argv) {
  const name = flag(argv, '--name');
  const network = flag(argv, '--network') ?? 'bridge';
  const image = argv[argv.length - 1];
  if (!name || !argv.includes('-d'))
    fail(
      `docker: the fake toolchain only runs named, detached containers (docker run -d --name <n> ...), got: docker ${argv.join(' ')}`,
      125,
    );
  if (readContainer(name)) {
    fail(
      `docker: Error response from daemon: Conflict. The container name "/${name}" is already in use by container "${readContainer(name).Id}". You have to remove (or rename) that container to be able to reuse that name.\nSee 'docker run --help'.`,
      125,
    );
  }
  if (network !== 'bridge' && !readJson(statePath('docker', 'networks', `${network}.json`)))
    fail(`docker: Error response from daemon: network ${network} not found.\nSee 'docker run --help'.`, 125);
  const env = Object.fromEntries(flags(argv, '-e').map((kv) => [kv.split('=')[0], kv.slice(kv.indexOf('=') + 1)]));
  const record = { Name: name, Id: randomBytes(32).toString('hex'), Image: image, Env: env, Networks: [network], Running: true };
  writeJson(containerFile(name), record);
  return `${record.Id}\n`;
}

/** `docker inspect --format '{{.State.Running}}' <name>` of a non-node container; undefined when it is not one. */
export function inspectContainerState(argv) {
  const name = argv[argv.length - 1];
  const record = readContainer(name);
  if (!record) return undefined;
  const format = flag(argv, '--format') ?? flag(argv, '-f');
  if (format !== '{{.State.Running}}') fail(`fake docker: unsupported inspect format ${format} for container ${name}`);
  return `${record.Running}\n`;
}

export function startContainer(argv) {
  const name = argv[argv.length - 1];
  const record = readContainer(name);
  if (!record) fail(`Error response from daemon: No such container: ${name}\nError: failed to start containers: ${name}`);
  writeJson(containerFile(name), { ...record, Running: true });
  return `${name}\n`;
}

export function connectNetwork(argv) {
  const [, , network, name] = argv;
  const record = readContainer(name);
  if (!readJson(statePath('docker', 'networks', `${network}.json`))) fail(`Error response from daemon: network ${network} not found`);
  if (!record) fail(`Error response from daemon: No such container: ${name}`);
  if (record.Networks.includes(network))
    fail(`Error response from daemon: endpoint with name ${name} already exists in network ${network}`);
  writeJson(containerFile(name), { ...record, Networks: [...record.Networks, network] });
  return '';
}

export function removeContainer(argv) {
  const name = argv[argv.length - 1];
  if (!readContainer(name)) fail(`Error response from daemon: No such container: ${name}`);
  remove(containerFile(name));
  remove(statePath('docker', 'containers', `${name}.cache`));
  return `${name}\n`;
}

/** The directory standing for a kind node's root filesystem, or undefined when no such node runs. */
export function nodeRoot(node) {
  const match = /^(.*)-(control-plane|worker(\d*))$/.exec(node);
  if (!match) return undefined;
  const record = readJson(join(clusterDir(match[1]), 'cluster.json'));
  if (!record) return undefined;
  const index = match[2] === 'control-plane' ? 0 : match[3] === '' ? 1 : Number(match[3]);
  if (index > record.workers) return undefined;
  return join(clusterDir(match[1]), 'nodes', node);
}

/** `docker cp <dir>/. <node>:<path>`: the directory's contents into the node (created when missing). */
export function copyIntoNode(argv) {
  const [, source, target] = argv;
  const colon = target.indexOf(':');
  const [node, path] = [target.slice(0, colon), target.slice(colon + 1)];
  const root = nodeRoot(node);
  if (!root) fail(`Error response from daemon: No such container: ${node}`);
  const from = source.endsWith('/.') ? source.slice(0, -2) : source;
  if (!existsSync(from) || !statSync(from).isDirectory()) fail(`lstat ${from}: no such file or directory`);
  const to = join(root, path);
  mkdirSync(to, { recursive: true });
  cpSync(from, to, { recursive: true });
  process.stderr.write(`Successfully copied to ${target}\n`);
  return '';
}
