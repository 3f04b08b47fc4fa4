// Images pulled once for all clusters: one pull-through cache (`registry:2` in proxy mode) per upstream
// registry, on the kind docker network, and every kind node's containerd told to try it first.
// Pure: names, commands and file contents; steps.ts runs them. Why caches and not `kind load`: see README.md.

/**
 * The upstream registries the images of a mesh come from: Linkerd (cr.l5d.io; its 2.13 multicluster
 * gateway's pause container is on gcr.io), MetalLB (quay.io), the ingress (registry.k8s.io, docker.io for
 * Envoy), podinfo (ghcr.io), Prometheus (docker.io).
 */
export const MIRRORED_UPSTREAMS = ['docker.io', 'ghcr.io', 'cr.l5d.io', 'quay.io', 'registry.k8s.io', 'gcr.io'] as const;
export type Upstream = (typeof MIRRORED_UPSTREAMS)[number];

/** Where each upstream's registry API really is (docker.io's images are served from registry-1). */
const UPSTREAM_URL: Record<Upstream, string> = {
  'docker.io': 'https://registry-1.docker.io',
  'ghcr.io': 'https://ghcr.io',
  'cr.l5d.io': 'https://cr.l5d.io',
  'quay.io': 'https://quay.io',
  'registry.k8s.io': 'https://registry.k8s.io',
  'gcr.io': 'https://gcr.io',
};

export const DEFAULT_REGISTRY_IMAGE = 'registry:2';
/** The port `registry:2` listens on inside the docker network. */
const REGISTRY_PORT = 5000;
/** Where containerd looks for per-registry `hosts.toml` files once `config_path` points there. */
export const CERTS_D = '/etc/containerd/certs.d';

/**
 * containerd's registry host directory, set at cluster creation (containerd reads its config once).
 * `config_path` + hosts.toml works from containerd 1.5 (kind's 1.24 nodes) through 2.x, where the older
 * inline `registry.mirrors` tables were removed.
 */
export const CONTAINERD_CONFIG_PATCH = `[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "${CERTS_D}"\n`;

export interface RegistryMirrorOptions {
  /** Default true: create (or reuse) the caches and point every kind node at them. */
  enabled?: boolean;
  /** Registry image run as the caches. */
  image?: string;
  /** Upstream → endpoint of an existing registry that already mirrors it; meshspec neither creates nor removes those. */
  reuse?: Partial<Record<Upstream, string>>;
}

/** One upstream's mirror: the endpoint nodes use and, unless reused, the container meshspec runs for it. */
export interface Mirror {
  upstream: Upstream;
  upstreamUrl: string;
  /** `http://<container>:5000`, or the reused registry's endpoint. */
  endpoint: string;
  /** The container meshspec ensures; absent when the endpoint is an existing registry the user named. */
  container?: string;
}

/** `meshspec-registry-docker-io`: container names cannot hold every registry-host character, dashes can. */
export const mirrorContainerName = (upstream: Upstream) => `meshspec-registry-${upstream.replace(/\./g, '-')}`;

export function mirrorsFor(options: RegistryMirrorOptions): Mirror[] {
  if (options.enabled === false) return [];
  return MIRRORED_UPSTREAMS.map((upstream) => {
    const reused = options.reuse?.[upstream];
    if (reused) return { upstream, upstreamUrl: UPSTREAM_URL[upstream], endpoint: reused.replace(/\/+$/, '') };
    const container = mirrorContainerName(upstream);
    return { upstream, upstreamUrl: UPSTREAM_URL[upstream], endpoint: `http://${container}:${REGISTRY_PORT}`, container };
  });
}

/** `docker run` of one cache: proxy mode needs exactly one remote per registry process. */
export function registryRunArgs(mirror: Mirror & { container: string }, network: string, image: string): string[] {
  return [
    'run',
    '-d',
    '--restart=always',
    '--name',
    mirror.container,
    '--network',
    network,
    '-e',
    `REGISTRY_PROXY_REMOTEURL=${mirror.upstreamUrl}`,
    image,
  ];
}

export const registryInspectArgs = (container: string) => ['inspect', '--format', '{{.State.Running}}', container];

/**
 * containerd's hosts.toml for one upstream: the cache first; `server` stays the upstream, so a pull still
 * works (straight from the internet) when the cache is down.
 */
export function hostsToml(mirror: Mirror): string {
  return `server = "${mirror.upstreamUrl}"\n\n[host."${mirror.endpoint}"]\n  capabilities = ["pull", "resolve"]\n`;
}

/** Relative path → content of the certs.d tree copied into every node. */
export function certsDFiles(mirrors: Mirror[]): Record<string, string> {
  return Object.fromEntries(mirrors.map((m) => [`${m.upstream}/hosts.toml`, hostsToml(m)]));
}

/** kind's node container names: `<cluster>-control-plane`, `<cluster>-worker`, `<cluster>-worker2`, ... */
export function kindNodeNames(cluster: string, workers: number): string[] {
  return [`${cluster}-control-plane`, ...Array.from({ length: workers }, (_, i) => `${cluster}-worker${i === 0 ? '' : i + 1}`)];
}

/** `docker cp <dir>/. <node>:/etc/containerd/certs.d`: the whole tree in one call per node. */
export const certsDCopyArgs = (sourceDir: string, node: string) => ['cp', `${sourceDir}/.`, `${node}:${CERTS_D}`];
