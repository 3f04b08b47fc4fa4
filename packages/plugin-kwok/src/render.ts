// Pure renderings for kwok clusters: the kwokctl configuration, the `kwokctl create cluster` argv and the
// simulated Node objects. Golden-tested; steps.ts only runs them.
import { join } from 'node:path';
import { cidrToRange, formatIpv4, parseIpv4Cidr, type KubeObject } from '@meshspec/core/plugin';
import { stringify } from 'yaml';
import type { KwokClusterSpec, ResolvedKwokSection } from './schema.js';

/** Every kwok API server binds here: the clusters are reachable from this host only. */
export const BIND_ADDRESS = '127.0.0.1';
/** Label (and annotation) on everything meshspec simulates: Nodes, and Services given a simulated address. */
export const SIMULATED_LABEL = 'meshspec.dev/simulated';
/** How long kwokctl waits for a new cluster to be ready. */
export const KWOK_WAIT = '120s';

/** The program that assigns simulated LoadBalancer addresses, run by kwokctl as a component of the cluster. */
export interface LoadBalancerController {
  /** The Node.js executable. */
  node: string;
  /** lb-controller.js of this package. */
  script: string;
}

/** Where kwokctl keeps a cluster (KWOK_WORKDIR/clusters/<name>): its kubeconfig.yaml, pki, logs, pids. */
export const clusterDir = (workdir: string, cluster: string) => join(workdir, 'clusters', cluster);

/**
 * The KwokctlConfiguration of one cluster: control planes on loopback at the topology's Kubernetes
 * version, plus the load-balancer controller as a kwokctl component (started, stopped and deleted with
 * the cluster, so it lives exactly as long as the cluster does).
 */
export function renderKwokctlConfig(
  cluster: string,
  section: ResolvedKwokSection,
  pool: string,
  workdir: string,
  controller: LoadBalancerController,
): Record<string, unknown> {
  return {
    apiVersion: 'config.kwok.x-k8s.io/v1alpha1',
    kind: 'KwokctlConfiguration',
    options: { bindAddress: BIND_ADDRESS, kubeVersion: section.kubernetesVersion },
    components: [
      {
        name: 'meshspec-load-balancer',
        binary: controller.node,
        args: [controller.script, '--range', pool],
        // kwokctl starts custom components in no particular directory: the controller reads ./kubeconfig.yaml.
        workDir: clusterDir(workdir, cluster),
      },
    ],
  };
}

export const renderKwokctlConfigYaml = (config: Record<string, unknown>) => stringify(config);

/**
 * The `--advertise-address` of cluster number `index` (0-based): 192.0.2.<index+1> (TEST-NET-1). The
 * API server refuses loopback addresses in Endpoints, so a loopback advertise address leaves the
 * `kubernetes` EndpointSlice empty and `linkerd install` refuses the cluster. Nothing dials this address
 * (no pod runs), it only has to be a valid, non-loopback one.
 */
export const advertiseAddress = (index: number) => `192.0.2.${index + 1}`;

export function kwokctlCreateArgs(cluster: string, spec: KwokClusterSpec, index: number, configFile: string): string[] {
  return [
    'create',
    'cluster',
    '--name',
    cluster,
    '--runtime',
    'binary',
    '--config',
    configFile,
    '--extra-args',
    `kube-apiserver=service-cluster-ip-range=${spec.serviceSubnet}`,
    '--extra-args',
    `kube-apiserver=advertise-address=${advertiseAddress(index)}`,
    '--wait',
    KWOK_WAIT,
  ];
}

/**
 * The simulated Nodes of a cluster: kwok (managing all nodes) makes them Ready and runs their pods as
 * simulations. Each gets a /24 of the cluster's pod subnet, so simulated pod IPs come from the topology's
 * range (kwokctl's own `scale node` would give 10.0.N.0/24 whatever the topology says).
 */
export function renderSimulatedNodes(spec: KwokClusterSpec, count: number): KubeObject[] {
  const pods = spec.podSubnet ? parseIpv4Cidr(spec.podSubnet) : undefined;
  return Array.from({ length: count }, (_, i) => {
    const name = `kwok-node-${i}`;
    const podCIDR = pods && pods.prefix <= 24 ? `${formatIpv4(cidrToRange(pods).start + i * 256)}/24` : undefined;
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
        labels: {
          type: 'kwok',
          'kubernetes.io/hostname': name,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          [SIMULATED_LABEL]: 'true',
        },
      },
      spec: podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {},
    };
  });
}
