// Pure rendering of kind cluster configs (https://kind.sigs.k8s.io/docs/user/configuration/).
import { stringify } from 'yaml';
import { CONTAINERD_CONFIG_PATCH, mirrorsFor } from './registry-mirror.js';
import { withDefaults, type KindClusterSpec, type KindSection } from './schema.js';

export interface KindNode {
  role: 'control-plane' | 'worker';
  image: string;
}

export interface KindClusterConfig {
  kind: 'Cluster';
  apiVersion: 'kind.x-k8s.io/v1alpha4';
  name: string;
  networking: { podSubnet?: string; serviceSubnet?: string; apiServerAddress?: string; apiServerPort?: number };
  nodes: KindNode[];
  /** containerd config merged into every node; set when the registry mirror is on. */
  containerdConfigPatches?: string[];
}

/**
 * The kind `Cluster` config for one cluster: its networking, 1 control-plane + N workers on the pinned
 * image, and (registry mirror on) containerd's registry host directory.
 */
export function renderKindConfig(name: string, cluster: KindClusterSpec, section: KindSection | undefined): KindClusterConfig {
  const defaults = withDefaults(section);
  const image = cluster.nodeImage ?? defaults.nodeImage;
  const workers = cluster.workers ?? defaults.workers;
  const apiServerPort = cluster.apiServerPort ?? defaults.apiServerPort;
  const networking: KindClusterConfig['networking'] = {};
  if (cluster.podSubnet !== undefined) networking.podSubnet = cluster.podSubnet;
  if (cluster.serviceSubnet !== undefined) networking.serviceSubnet = cluster.serviceSubnet;
  if (cluster.apiServerAddress !== undefined) networking.apiServerAddress = cluster.apiServerAddress;
  if (apiServerPort !== undefined) networking.apiServerPort = apiServerPort;
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name,
    networking,
    nodes: [{ role: 'control-plane', image }, ...Array.from({ length: workers }, (): KindNode => ({ role: 'worker', image }))],
    // Only containerd's host directory: which mirror serves which upstream is written there after creation,
    // so reusing another registry later needs no new cluster.
    ...(mirrorsFor(section?.registryMirror ?? {}).length > 0 ? { containerdConfigPatches: [CONTAINERD_CONFIG_PATCH] } : {}),
  };
}

/** The config as the YAML file handed to `kind create cluster --config`; also the record compared on re-apply. */
export function renderKindConfigYaml(config: KindClusterConfig): string {
  return stringify(config, { lineWidth: 0 });
}
