// Where a linked cluster reaches the SOURCE cluster's API server: the address written into the link's
// credentials. It comes from whoever provides the cluster, through that plugin's facts:
// - `clusters.<name>.apiServerUrl` in the topology, when written (overrides everything);
// - the cluster's provider (core's cluster-provider contract), when it names a step output: kind's
//   control plane address on the docker network (the kubeconfig's 127.0.0.1 is useless from another
//   cluster), kwok's loopback URL (every kwok cluster is on this host);
// - otherwise (a cluster given by kube context) the server of that context in the kubeconfig, which
//   the linkerd CLI copies itself when `--api-server-address` is not given.
import type { ClusterInfo, Topology } from '@meshspec/core/plugin';

export type ApiServerAddress = { from: 'topology'; url: string } | { from: 'provider'; step: string } | { from: 'kubeconfig' };

export function apiServerAddressOf(topology: Topology, cluster: Pick<ClusterInfo, 'cluster' | 'reachableAt'>): ApiServerAddress {
  const written = topology.clusters[cluster.cluster]?.['apiServerUrl'];
  if (typeof written === 'string' && written) return { from: 'topology', url: written };
  if ('step' in cluster.reachableAt) return { from: 'provider', step: cluster.reachableAt.step };
  return { from: 'kubeconfig' };
}

/** What the plan shows for `--api-server-address` (undefined: the flag is left out). */
export function plannedAddress(address: ApiServerAddress): string | undefined {
  if (address.from === 'topology') return address.url;
  if (address.from === 'provider') return `<${address.step}.apiServerUrl>`;
  return undefined;
}

/** clusterSchema entry: lets a cluster given by context say where other clusters reach its API server. */
export const apiServerAddressSchema = {
  type: 'string',
  format: 'url',
  description:
    "URL other clusters reach this cluster's API server at (Linkerd multicluster links write it into their credentials; kind's apiServerAddress is only the host address it listens on), e.g. https://172.18.0.2:6443. Default: the kind control plane's docker address for kind clusters, else the server of the cluster's context in the kubeconfig.",
};
