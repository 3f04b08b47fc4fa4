// Fake `kind`: clusters are directories under <state>/kind/clusters/<name>; each gets a control-plane
// container address on the docker network (allocated like docker does, from the bottom of the subnet).
import { join } from 'node:path';
import {
  clusterDir,
  existsSync,
  fail,
  flag,
  listDir,
  mkdirSync,
  readFileSync,
  readJson,
  remove,
  sleep,
  statePath,
  writeJson,
  YAML,
} from './common.mjs';
import { ensureNetwork, allocateAddress, releaseAddress } from './docker.mjs';

export async function run(argv) {
  const [verb, noun] = argv;
  if (verb === 'version') return 'kind v0.20.0 go1.20.4 linux/amd64\n';
  if (verb === 'get' && noun === 'clusters') return getClusters();
  if (verb === 'create' && noun === 'cluster') return createCluster(argv);
  if (verb === 'delete' && noun === 'cluster') return deleteCluster(argv);
  fail(
    `ERROR: unknown command "${argv.join(' ')}" for "kind" (the fake toolchain implements get clusters, create cluster, delete cluster, version)`,
  );
}

function getClusters() {
  const names = listDir(statePath('kind', 'clusters')).filter((n) => existsSync(join(clusterDir(n), 'cluster.json')));
  if (names.length === 0) {
    process.stderr.write('No kind clusters found.\n');
    return '';
  }
  return `${names.join('\n')}\n`;
}

async function createCluster(argv) {
  const name = flag(argv, '--name') ?? 'kind';
  const configFile = flag(argv, '--config');
  let config = {};
  if (configFile) {
    let text;
    try {
      text = readFileSync(configFile, 'utf8');
    } catch {
      fail(`ERROR: failed to create cluster: error reading file: open ${configFile}: no such file or directory`);
    }
    config = YAML.parse(text) ?? {};
    if (config.kind !== 'Cluster' || !String(config.apiVersion ?? '').startsWith('kind.x-k8s.io/')) {
      fail(`ERROR: failed to create cluster: unknown apiVersion/kind in ${configFile}: ${config.apiVersion}/${config.kind}`);
    }
  }
  const dir = clusterDir(name);
  mkdirSync(join(dir, '..'), { recursive: true });
  try {
    mkdirSync(dir); // atomic: two creates of one name cannot both win
  } catch {
    fail(`ERROR: failed to create cluster: node(s) already exist for a cluster with the name "${name}"`);
  }
  const network = process.env.KIND_EXPERIMENTAL_DOCKER_NETWORK || 'kind';
  const info = ensureNetwork(network);
  const ip = allocateAddress(network, info);
  const nodes = config.nodes ?? [{ role: 'control-plane' }];
  const image = nodes.find((n) => n.image)?.image ?? 'kindest/node:v1.27.3';
  const delay = Number(process.env.MESHSPEC_FAKE_KIND_CREATE_MS ?? 300);
  process.stderr.write(
    `Creating cluster "${name}" ...\n ✓ Ensuring node image (${image.split('@')[0]}) 🖼\n ✓ Preparing nodes ${nodes.map(() => '📦').join(' ')}\n ✓ Writing configuration 📜\n`,
  );
  await sleep(delay);
  writeJson(join(dir, 'cluster.json'), {
    name,
    context: `kind-${name}`,
    network,
    // containerd reads these once, at node start: the image-pull model (image-pulls.ts) honours config_path.
    containerdConfigPatches: config.containerdConfigPatches ?? [],
    controlPlaneIp: ip,
    image,
    workers: nodes.filter((n) => n.role === 'worker').length,
    networking: config.networking ?? {},
    configFile: configFile ?? null,
    mirrors: mirrorsOf(config),
    uid: `${Date.now().toString(36)}-${process.pid}`,
  });
  process.stderr.write(
    ` ✓ Starting control-plane 🕹️\n ✓ Installing CNI 🔌\n ✓ Installing StorageClass 💾\n${nodes.some((n) => n.role === 'worker') ? ' ✓ Joining worker nodes 🚜\n' : ''}` +
      ` ✓ Waiting ≤ ${flag(argv, '--wait') ?? '0s'} for control-plane = Ready ⏳\n • Ready after 0s 💚\nSet kubectl context to "kind-${name}"\nYou can now use your cluster with:\n\nkubectl cluster-info --context kind-${name}\n`,
  );
  return '';
}

/**
 * Registries the nodes' containerd pulls through a mirror for, as the timing model (images.mjs) sees it:
 * - `[plugins."io.containerd.grpc.v1.cri".registry.mirrors."<host>"]` patches (the older ctlptl/kind
 *   local-registry pattern) name their hosts;
 * - containerd's hosts directory (`config_path = "/etc/containerd/certs.d"`, what meshspec's
 *   registryMirror writes) names none at creation: the hosts.toml files arrive in the nodes afterwards
 *   (image-pulls.ts checks them one by one for its exact count). For timing the cluster pulls through
 *   mirrors, marked `certs.d`.
 */
export function mirrorsOf(config) {
  const patches = (config.containerdConfigPatches ?? []).join('\n');
  const hosts = [...patches.matchAll(/registry\.mirrors\."([^"]+)"/g)].map((m) => m[1]);
  if (/config_path\s*=\s*"\/etc\/containerd\/certs\.d"/.test(patches)) hosts.push('certs.d');
  return hosts;
}

function deleteCluster(argv) {
  const name = flag(argv, '--name') ?? 'kind';
  const record = readJson(join(clusterDir(name), 'cluster.json'));
  process.stderr.write(`Deleting cluster "${name}" ...\n`);
  if (record) {
    releaseAddress(record.network, record.controlPlaneIp);
    process.stderr.write(
      `Deleted nodes: ["${name}-control-plane"${Array.from({ length: record.workers }, (_, i) => `, "${name}-worker${i ? i + 1 : ''}"`).join('')}]\n`,
    );
  }
  remove(clusterDir(name));
  return '';
}
