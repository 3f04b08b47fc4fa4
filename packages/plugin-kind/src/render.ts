// Pure rendering of kind cluster configs (https://kind.sigs.k8s.io/docs/user/configuration/).
import { stringify } from 'yaml';
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
}

/** The kind `Cluster` config for one cluster: its networking and 1 control-plane + N workers on the pinned image. */
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
  };
}

/** The config as the YAML file handed to `kind create cluster --config`; also the record compared on re-apply. */
export function renderKindConfigYaml(config: KindClusterConfig): string {
  return stringify(config, { lineWidth: 0 });
}
