// Fake `docker`: networks under <state>/docker/networks/<name>.json, addresses claimed as directories
// (<state>/docker/ips/<network>/<ip>) so parallel kind creates never get the same one.
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { clusterDir, fail, flag, mkdirSync, readJson, remove, statePath, writeFileSync } from './common.mjs';
import {
  connectNetwork,
  copyIntoNode,
  inspectContainerState,
  removeContainer,
  runContainer,
  startContainer,
} from './docker-containers.mjs';

const networkFile = (name) => statePath('docker', 'networks', `${name}.json`);

export async function run(argv) {
  const [verb, sub] = argv;
  if (verb === 'version')
    return `${flag(argv, '--format') ? '24.0.7' : 'Client: Docker Engine - Community\n Version:           24.0.7\n\nServer: Docker Engine - Community\n Engine:\n  Version:          24.0.7'}\n`;
  if (verb === 'network' && sub === 'inspect') return inspectNetwork(argv);
  if (verb === 'network' && sub === 'create') return createNetwork(argv);
  if (verb === 'network' && sub === 'rm') return removeNetwork(argv);
  if (verb === 'inspect') return inspectContainerState(argv) ?? inspectContainer(argv);
  if (verb === 'run') return runContainer(argv.slice(1));
  if (verb === 'start') return startContainer(argv);
  if (verb === 'rm' && argv.includes('-f')) return removeContainer(argv);
  if (verb === 'network' && sub === 'connect') return connectNetwork(argv);
  if (verb === 'cp') return copyIntoNode(argv);
  fail(`docker: '${argv.join(' ')}' is not implemented by the fake toolchain.\nSee 'docker --help'`);
}

function networkInfo(name) {
  return readJson(networkFile(name));
}

/** Creates the network unless present (what kind does itself when it is missing). */
export function ensureNetwork(name) {
  const existing = networkInfo(name);
  if (existing) return existing;
  return create(name);
}

function create(name) {
  const subnet = process.env.MESHSPEC_FAKE_DOCKER_SUBNET ?? '172.18.0.0/16';
  const base = subnet.split('/')[0].split('.').map(Number);
  const info = {
    Name: name,
    Id: randomBytes(32).toString('hex'),
    Driver: 'bridge',
    IPAM: {
      Driver: 'default',
      Options: {},
      Config: [{ Subnet: subnet, Gateway: `${base[0]}.${base[1]}.${base[2]}.${base[3] + 1}` }, { Subnet: 'fc00:f853:ccd:e793::/64' }],
    },
  };
  mkdirSync(statePath('docker', 'networks'), { recursive: true });
  try {
    // Exclusive create: a second `docker network create` of the same name fails like docker's.
    writeJsonExclusive(networkFile(name), info);
  } catch {
    return undefined;
  }
  return info;
}

function writeJsonExclusive(file, value) {
  mkdirSync(dirname(file), { recursive: true });
  // 'wx' fails with EEXIST when the file exists.
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, { flag: 'wx' });
}

function inspectNetwork(argv) {
  const name = argv[2];
  const info = networkInfo(name);
  if (!info) fail(`Error: No such network: ${name}`);
  const format = flag(argv, '--format') ?? flag(argv, '-f');
  if (format === undefined) return `${JSON.stringify([info], null, 4)}\n`;
  if (format === '{{json .IPAM.Config}}') return `${JSON.stringify(info.IPAM.Config)}\n`;
  if (format === '{{.IPAM.Config}}') return `[${info.IPAM.Config.map((c) => `{${c.Subnet}  ${c.Gateway ?? ''} map[]}`).join(' ')}]\n`;
  fail(`fake docker: unsupported --format ${format}`);
}

function createNetwork(argv) {
  const name = argv[argv.length - 1];
  const info = create(name);
  if (!info) fail(`Error response from daemon: network with name ${name} already exists`);
  return `${info.Id}\n`;
}

function removeNetwork(argv) {
  const name = argv[2];
  if (!networkInfo(name)) fail(`Error response from daemon: network ${name} not found`);
  remove(networkFile(name));
  return `${name}\n`;
}

/** Claims the lowest free address after the gateway (docker allocates from the bottom of the subnet). */
export function allocateAddress(network, info) {
  const [a, b, c, d] = info.IPAM.Config[0].Subnet.split('/')[0].split('.').map(Number);
  const dir = statePath('docker', 'ips', network);
  mkdirSync(dir, { recursive: true });
  for (let n = 2; n < 250; n++) {
    const ip = `${a}.${b}.${c}.${d + n}`;
    try {
      mkdirSync(join(dir, ip));
      return ip;
    } catch {
      // taken
    }
  }
  fail(`Error response from daemon: no available IPv4 addresses on network ${network}`);
}

export function releaseAddress(network, ip) {
  if (network && ip) remove(statePath('docker', 'ips', network, ip));
}

/** Only what meshspec asks: `docker inspect -f '{{(index .NetworkSettings.Networks "<net>").IPAddress}}' <cluster>-control-plane`. */
function inspectContainer(argv) {
  const format = flag(argv, '-f') ?? flag(argv, '--format');
  const container = argv[argv.length - 1];
  const match = /^(.*)-control-plane$/.exec(container);
  const record = match ? readJson(join(clusterDir(match[1]), 'cluster.json')) : undefined;
  if (!record) fail(`Error: No such object: ${container}`);
  const wanted = /index \.NetworkSettings\.Networks "([^"]+)"\)\.IPAddress/.exec(format ?? '');
  if (!wanted) fail(`fake docker: unsupported inspect format ${format}`);
  if (wanted[1] !== record.network) {
    fail(
      `template parsing error: template: :1:3: executing "" at <index .NetworkSettings.Networks "${wanted[1]}">: map has no entry for key "${wanted[1]}"`,
    );
  }
  return `${record.controlPlaneIp}\n`;
}
