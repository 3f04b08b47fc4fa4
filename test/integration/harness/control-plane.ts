// Real Kubernetes control planes for integration tests, without Docker: per cluster its own etcd and
// kube-apiserver on its own loopback address (127.0.N.1), plus (when built) kube-controller-manager,
// kube-scheduler and a kwok controller that runs a fake Node, so Deployments roll out and Services get
// endpoints. Binaries come from scripts/test-assets/provision.sh (see scripts/test-assets/README.md).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, writeFileSync, chmodSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { createClusterPki, type ClusterPki } from './pki.js';
import { logTail, startProcess, stopProcesses, type ManagedProcess } from './processes.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const PROVISION = 'scripts/test-assets/provision.sh';

export const REQUIRED_ASSETS = ['etcd', 'kube-apiserver'] as const;
/** Without these the clusters still serve the API, but nothing reconciles (no rollouts, no endpoints). */
export const CONTROLLER_ASSETS = ['kube-controller-manager', 'kube-scheduler', 'kwok'] as const;

export interface Assets {
  /** provision.sh's bin dir (symlinks; shared and relinked by other runs, so prefer `paths`). */
  binDir: string;
  /** Resolved (symlink-free) path of each available binary, pinned for the whole run. */
  paths: Partial<Record<AssetName, string>>;
  /** All of kube-controller-manager, kube-scheduler and kwok are present. */
  controllers: boolean;
  helm?: string;
  kwokStages?: string;
}

type AssetName = (typeof REQUIRED_ASSETS)[number] | (typeof CONTROLLER_ASSETS)[number] | 'helm' | 'kwok-stages.yaml';

/**
 * Finds the pinned binaries. Throws (never skips) with the exact command to build them when missing.
 * Lookup is provision.sh's: $TEST_ASSET_<NAME>, $KUBEBUILDER_ASSETS, then its cache. Paths are resolved
 * through the bin dir's symlinks right away, because that shared dir is relinked by every provision.sh call.
 */
export function resolveAssets(): Assets {
  const check = (names: readonly AssetName[]): (Partial<Record<AssetName, string>> & { dir: string }) | { error: string } => {
    try {
      const dir = execFileSync('bash', [PROVISION, '--check', '--print-dir', ...names], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      }).trim();
      return { ...Object.fromEntries(names.map((n) => [n, realpathSync(join(dir, n))])), dir };
    } catch (e) {
      return { error: String((e as { stderr?: string }).stderr ?? e).trim() };
    }
  };
  const required = check(REQUIRED_ASSETS);
  if ('error' in required) {
    throw new Error(
      `Integration tests need real control-plane binaries (${REQUIRED_ASSETS.join(', ')}), and they are missing:\n${required.error}\n\n` +
        `Build them once (cached under ~/.cache/meshspec/assets; a cold build takes ~30 min):\n  bash ${PROVISION}\n` +
        `or point KUBEBUILDER_ASSETS at a directory holding them.`,
    );
  }
  const controllers = check(CONTROLLER_ASSETS);
  const helm = check(['helm']);
  const stages = check(['kwok-stages.yaml']);
  const has = (r: typeof controllers): r is Partial<Record<AssetName, string>> & { dir: string } => !('error' in r);
  const { dir: binDir, ...requiredPaths } = required;
  const { dir: _d, ...controllerPaths } = has(controllers) ? controllers : { dir: '' };
  return {
    binDir,
    paths: { ...requiredPaths, ...controllerPaths },
    controllers: has(controllers),
    ...(has(helm) && helm.helm ? { helm: helm.helm } : {}),
    ...(has(stages) && stages['kwok-stages.yaml'] ? { kwokStages: stages['kwok-stages.yaml'] } : {}),
  };
}

export interface TestCluster {
  name: string;
  /** The kube context for this cluster in the shared kubeconfig. */
  context: string;
  /** Loopback address all of this cluster's components bind to. */
  host: string;
  /**
   * Address the API server advertises (and writes into the `kubernetes` Endpoints/EndpointSlice): from
   * TEST-NET-1 (192.0.2.0/24, RFC 5737), never bound and never dialled by anything in the tests.
   */
  advertiseAddress: string;
  server: string;
  pki: ClusterPki;
  /** Single-context kubeconfig used by this cluster's own components. */
  componentKubeconfig: string;
  processes: ManagedProcess[];
  /** kube-controller-manager, kube-scheduler and kwok (with a Ready fake Node) are running. */
  controllers: boolean;
}

export interface ControlPlanes {
  clusters: TestCluster[];
  /** One kubeconfig (mode 0600) with a context per cluster. */
  kubeconfig: string;
  workDir: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  count: number;
  workDir: string;
  assets: Assets;
  /** Start controllers (when built). Default true. */
  controllers?: boolean;
  /**
   * Advertise the loopback address the API server binds to, as the harness once did: the API server then
   * writes no `kubernetes` Endpoints/EndpointSlice. Only for tests showing what tools do in that case.
   */
  advertiseLoopback?: boolean;
  log?: (message: string) => void;
}

const SERVICE_CIDR = '10.0.0.0/24';
const SERVICE_IP = '10.0.0.1';
export const FAKE_NODE = 'kwok-node-0';
/**
 * How long kwok's node Lease lasts (it renews it well before). Without a Lease kube-controller-manager's
 * node lifecycle controller marks the fake Node NotReady after its grace period, and long tests see pods
 * evicted and Deployments stop being available.
 */
export const NODE_LEASE_SECONDS = 40;

/**
 * The API server must advertise an address it may write into the `kubernetes` Endpoints/EndpointSlice:
 * the API refuses loopback addresses there, so with 127.0.N.1 the slice is never written, and tools that
 * look for it refuse to run (the real `linkerd install` 2.13: "no EndpointSlice resources exist in the
 * cluster"). TEST-NET-1 (RFC 5737) is reserved for documentation: nobody owns it, and nothing here binds
 * or dials it (no pod runs, so no client ever uses the `kubernetes` Service).
 */
export const advertiseAddressOf = (index: number): string => {
  if (!Number.isInteger(index) || index < 1 || index > 254) throw new Error(`cluster index ${index} is outside 1..254`);
  return `192.0.2.${index}`;
};

/**
 * Where the API server sends traffic meant for the cluster network (admission webhooks and aggregated
 * APIs backed by Services, proxy/exec): an HTTP CONNECT proxy on a unix socket that nobody creates. Without
 * it the API server would dial Service cluster IPs (10.0.0.x) and kwok's fake pod IPs, which are not
 * this machine's, for every webhook Linkerd registers; with it, such calls fail at once, on this machine.
 */
export function egressSelectorConfig(socketPath: string): string {
  return [
    'apiVersion: apiserver.k8s.io/v1beta1',
    'kind: EgressSelectorConfiguration',
    'egressSelections:',
    '- name: cluster',
    '  connection:',
    '    proxyProtocol: HTTPConnect',
    '    transport:',
    '      uds:',
    `        udsName: ${socketPath}`,
    '',
  ].join('\n');
}

export async function startControlPlanes(options: StartOptions): Promise<ControlPlanes> {
  const { count, workDir, assets } = options;
  const log = options.log ?? (() => {});
  mkdirSync(workDir, { recursive: true, mode: 0o700 });
  const withControllers = (options.controllers ?? true) && assets.controllers;
  const started: TestCluster[] = [];
  const stop = async () => {
    await Promise.all(started.map((c) => stopProcesses([...c.processes].reverse())));
  };
  // Clusters start in parallel, each waiting on its own health checks. allSettled, not all: a cluster
  // still starting when another fails must finish spawning before everything is stopped.
  const results = await Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      startCluster(i + 1, workDir, assets, withControllers, options.advertiseLoopback ?? false, log, (c) => started.push(c)),
    ),
  );
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    await stop();
    throw failure.reason;
  }
  const clusters = results.map((r) => (r as PromiseFulfilledResult<TestCluster>).value);
  const kubeconfig = join(workDir, 'kubeconfig');
  writeKubeconfig(kubeconfig, clusters);
  return { clusters, kubeconfig, workDir, stop };
}

async function startCluster(
  index: number,
  workDir: string,
  assets: Assets,
  withControllers: boolean,
  advertiseLoopback: boolean,
  log: (m: string) => void,
  register: (c: TestCluster) => void,
): Promise<TestCluster> {
  const name = `it${index}`;
  const host = `127.0.${index}.1`;
  const dir = join(workDir, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const bin = (b: AssetName) => {
    const path = assets.paths[b];
    if (!path) throw new Error(`${b} is not provisioned: run \`bash ${PROVISION}\``);
    return path;
  };
  const pki = createClusterPki(join(dir, 'pki'), host, SERVICE_IP, name);
  const [etcdPort, etcdPeerPort, apiPort] = [await freePort(host), await freePort(host), await freePort(host)];
  const server = `https://${host}:${apiPort}`;
  const componentKubeconfig = join(dir, 'component.kubeconfig');
  const advertiseAddress = advertiseLoopback ? host : advertiseAddressOf(index);
  const cluster: TestCluster = {
    name,
    context: name,
    host,
    advertiseAddress,
    server,
    pki,
    componentKubeconfig,
    processes: [],
    controllers: false,
  };
  register(cluster);
  writeKubeconfig(componentKubeconfig, [cluster]);

  const start = (proc: string, file: string, args: string[]) => {
    const p = startProcess(`${name}/${proc}`, file, args, join(dir, `${proc}.log`));
    cluster.processes.push(p);
    return p;
  };

  log(`${name}: etcd on ${host}:${etcdPort}`);
  const etcd = start('etcd', bin('etcd'), [
    `--name=${name}`,
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=http://${host}:${etcdPort}`,
    `--advertise-client-urls=http://${host}:${etcdPort}`,
    `--listen-peer-urls=http://${host}:${etcdPeerPort}`,
    `--initial-advertise-peer-urls=http://${host}:${etcdPeerPort}`,
    `--initial-cluster=${name}=http://${host}:${etcdPeerPort}`,
    '--unsafe-no-fsync=true',
    '--log-level=warn',
  ]);
  await waitUntil(`${name} etcd /health`, 30_000, etcd, () => httpOk(`http://${host}:${etcdPort}/health`));

  const egressConfig = join(dir, 'egress-selector.yaml');
  writeFileSync(egressConfig, egressSelectorConfig(join(dir, 'no-cluster-network.sock')));
  log(`${name}: kube-apiserver on ${server} (advertising ${advertiseAddress})`);
  const apiserver = start('kube-apiserver', bin('kube-apiserver'), [
    `--etcd-servers=http://${host}:${etcdPort}`,
    `--cert-dir=${join(dir, 'apiserver-certs')}`,
    `--tls-cert-file=${pki.servingCert}`,
    `--tls-private-key-file=${pki.servingKey}`,
    `--secure-port=${apiPort}`,
    `--bind-address=${host}`,
    `--advertise-address=${advertiseAddress}`,
    `--egress-selector-config-file=${egressConfig}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--allow-privileged=true',
    '--authorization-mode=RBAC',
    '--disable-admission-plugins=ServiceAccount',
    `--service-account-issuer=${server}`,
    `--service-account-key-file=${pki.saPub}`,
    `--service-account-signing-key-file=${pki.saKey}`,
    `--client-ca-file=${pki.caCert}`,
  ]);
  await waitUntil(
    `${name} kube-apiserver /readyz`,
    90_000,
    apiserver,
    async () => (await adminRequest(cluster, 'GET', '/readyz')).status === 200,
  );

  if (withControllers) {
    const kcmPort = await freePort(host);
    const schedPort = await freePort(host);
    const kwokPort = await freePort(host);
    const authn = [
      `--kubeconfig=${componentKubeconfig}`,
      `--authentication-kubeconfig=${componentKubeconfig}`,
      `--authorization-kubeconfig=${componentKubeconfig}`,
    ];
    const kcm = start('kube-controller-manager', bin('kube-controller-manager'), [
      ...authn,
      `--bind-address=${host}`,
      `--secure-port=${kcmPort}`,
      `--cert-dir=${join(dir, 'kcm-certs')}`,
      '--leader-elect=false',
      '--controllers=*',
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      `--service-account-private-key-file=${pki.saKey}`,
      `--root-ca-file=${pki.caCert}`,
      '--use-service-account-credentials=false',
    ]);
    const scheduler = start('kube-scheduler', bin('kube-scheduler'), [
      ...authn,
      `--bind-address=${host}`,
      `--secure-port=${schedPort}`,
      `--cert-dir=${join(dir, 'scheduler-certs')}`,
      '--leader-elect=false',
    ]);
    const kwok = start('kwok', bin('kwok'), [
      `--kubeconfig=${componentKubeconfig}`,
      ...(assets.kwokStages ? [`--config=${assets.kwokStages}`] : []),
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      `--node-ip=${host}`,
      `--node-lease-duration-seconds=${NODE_LEASE_SECONDS}`,
      `--node-name=kwok-controller-${name}`,
      `--node-port=${kwokPort}`,
      `--server-address=${host}:${kwokPort}`,
    ]);
    await waitUntil(`${name} kube-controller-manager /healthz`, 60_000, kcm, () => httpOk(`https://${host}:${kcmPort}/healthz`));
    await waitUntil(`${name} kube-scheduler /healthz`, 60_000, scheduler, () => httpOk(`https://${host}:${schedPort}/healthz`));
    // No taint on the fake Node: every pod (charts included) schedules onto it without tolerations.
    const created = await adminRequest(cluster, 'POST', '/api/v1/nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: FAKE_NODE,
        annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
        labels: { 'kubernetes.io/hostname': FAKE_NODE, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' },
      },
    });
    if (created.status !== 201) throw new Error(`${name}: creating fake Node failed: HTTP ${created.status} ${created.body}`);
    await waitUntil(`${name} fake Node ${FAKE_NODE} Ready (kwok)`, 60_000, kwok, async () => {
      const res = await adminRequest(cluster, 'GET', `/api/v1/nodes/${FAKE_NODE}`);
      const node = JSON.parse(res.body) as { status?: { conditions?: { type: string; status: string }[] } };
      return res.status === 200 && !!node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    });
    cluster.controllers = true;
  }
  log(`${name}: ready${withControllers ? ' (with controllers and kwok node)' : ' (API only)'}`);
  return cluster;
}

/** Writes a kubeconfig (JSON, which is YAML) with embedded credentials, one context per cluster named after it. */
export function writeKubeconfig(path: string, clusters: TestCluster[]): void {
  const b64 = (f: string) => readFileSync(f).toString('base64');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: clusters.map((c) => ({ name: c.name, cluster: { server: c.server, 'certificate-authority-data': b64(c.pki.caCert) } })),
    users: clusters.map((c) => ({
      name: `${c.name}-admin`,
      user: { 'client-certificate-data': b64(c.pki.adminCert), 'client-key-data': b64(c.pki.adminKey) },
    })),
    contexts: clusters.map((c) => ({ name: c.context, context: { cluster: c.name, user: `${c.name}-admin` } })),
    'current-context': clusters[0]?.context ?? '',
  };
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** A request as the cluster admin, independent of the code under test. */
export function adminRequest(
  cluster: Pick<TestCluster, 'server' | 'pki'>,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ status: number; body: string }> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolvePromise, reject) => {
    const req = https.request(
      new URL(path, cluster.server),
      {
        method,
        ca: readFileSync(cluster.pki.caCert),
        cert: readFileSync(cluster.pki.adminCert),
        key: readFileSync(cluster.pki.adminKey),
        headers: { Accept: 'application/json', ...(payload ? { 'Content-Type': contentType, 'Content-Length': payload.length } : {}) },
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function httpOk(url: string): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const get = url.startsWith('https') ? https.get : http.get;
    const req = get(url, { rejectUnauthorized: false, timeout: 2_000 }, (res) => {
      res.resume();
      resolvePromise(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolvePromise(false));
  });
}

/** Polls `check` until true; fails early with the component's log if the process died. */
async function waitUntil(what: string, timeoutMs: number, proc: ManagedProcess, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (proc.hasExited())
      throw new Error(`${proc.name} exited while waiting for ${what}; last log lines (${proc.logFile}):\n${logTail(proc.logFile)}`);
    try {
      if (await check()) return;
    } catch (e) {
      lastError = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000}s waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}; last log lines of ${proc.name} (${proc.logFile}):\n${logTail(proc.logFile)}`,
  );
}

function freePort(host: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolvePromise(port));
    });
  });
}
