// The `kwokClusters` section: simulated clusters (real control planes, simulated nodes and pods) made by
// kwokctl's binary runtime. Its schema, its cluster keys, their types and defaults.
import type { ClusterSpec, JsonSchema } from '@meshspec/core/plugin';

/**
 * The topology key of this plugin's section. A section (not a `provider:` per cluster) because one
 * provider runs all clusters of a topology: kind and kwok clusters cannot reach each other's API
 * servers (docker network vs host loopback), and core rejects two providers claiming one cluster.
 */
export const KWOK_SECTION_KEY = 'kwokClusters';

/** The Kubernetes the test assets pin (scripts/test-assets): kwokctl downloads it when no binary is given. */
export const DEFAULT_KUBERNETES_VERSION = 'v1.32.13';
export const DEFAULT_NODES = 1;
/**
 * TEST-NET-2 (RFC 5737): documentation addresses no network routes, the honest choice for load-balancer
 * addresses that exist only in Service status.
 */
export const DEFAULT_LOAD_BALANCER_RANGE = '198.51.100.0/24';
export const DEFAULT_LOAD_BALANCER_POOL_SIZE = 4;

export interface KwokSection {
  kubernetesVersion?: string;
  nodes?: number;
  loadBalancerRange?: string;
  loadBalancerPoolSize?: number;
}

export type ResolvedKwokSection = Required<KwokSection>;

/** The cluster keys this plugin adds (podSubnet/serviceSubnet/context are core's and always set after resolve). */
export interface KwokClusterSpec extends ClusterSpec {
  simulatedNodes?: number;
}

export function withDefaults(section: KwokSection | undefined): ResolvedKwokSection {
  return {
    kubernetesVersion: section?.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION,
    nodes: section?.nodes ?? DEFAULT_NODES,
    loadBalancerRange: section?.loadBalancerRange ?? DEFAULT_LOAD_BALANCER_RANGE,
    loadBalancerPoolSize: section?.loadBalancerPoolSize ?? DEFAULT_LOAD_BALANCER_POOL_SIZE,
  };
}

const NODES_SCHEMA: JsonSchema = {
  type: 'integer',
  minimum: 1,
  maximum: 100,
  description: 'Simulated nodes per cluster (kwok makes them Ready; pods scheduled on them become Running without a container).',
};

export const kwokSectionSchema: JsonSchema = {
  type: 'object',
  description:
    'Simulated clusters made by kwokctl (binary runtime: real etcd, kube-apiserver, controller-manager and scheduler on 127.0.0.1; nodes and pods simulated by kwok), one per entry of `clusters`. No Docker needed; no container runs, so no real traffic.',
  additionalProperties: false,
  properties: {
    kubernetesVersion: {
      type: 'string',
      pattern: '^v\\d+\\.\\d+\\.\\d+$',
      default: DEFAULT_KUBERNETES_VERSION,
      description:
        'Kubernetes version of the control planes (KWOK_KUBE_VERSION: kwokctl downloads it unless KWOK_KUBE_APISERVER_BINARY and friends point at local binaries, which must be that version).',
    },
    nodes: { ...NODES_SCHEMA, default: DEFAULT_NODES },
    loadBalancerRange: {
      type: 'string',
      format: 'cidr',
      default: DEFAULT_LOAD_BALANCER_RANGE,
      description:
        'IPv4 range the simulated LoadBalancer addresses come from (no MetalLB on kwok): each cluster gets loadBalancerPoolSize addresses of it, written to Service status and marked simulated. Default TEST-NET-2, which nothing routes.',
    },
    loadBalancerPoolSize: {
      type: 'integer',
      minimum: 1,
      maximum: 256,
      default: DEFAULT_LOAD_BALANCER_POOL_SIZE,
      description: 'Simulated LoadBalancer addresses per cluster.',
    },
  },
};

export const kwokClusterSchema: Record<string, JsonSchema> = {
  simulatedNodes: { ...NODES_SCHEMA, description: 'Simulated nodes of this cluster (overrides kwokClusters.nodes).' },
};
