import { K8S_NAMESPACE, type JsonSchema } from '@meshspec/core/plugin';
import { podinfoImage, PODINFO_SEED_PIN } from './pins.js';

export const DEFAULT_PODINFO_IMAGE = podinfoImage(PODINFO_SEED_PIN);
export const DEFAULT_NGINX_IMAGE = 'nginx:1.27.3-alpine';
export const DEFAULT_SLOW_COOKER_IMAGE = 'buoyantio/slow_cooker:1.3.0';
export const DEFAULT_CLUSTER_DNS = 'kube-dns.kube-system.svc.cluster.local';

/** The demo application (podinfo + nginx frontend + load generators) in every cluster. */
export interface DemoSection {
  namespace?: string;
  podinfoImage?: string;
  nginxImage?: string;
  loadGenerators?: boolean;
  slowCookerImage?: string;
  clusterDns?: string;
  inject?: boolean;
}

export interface ManifestEntry {
  name: string;
  /** YAML file or directory of YAML files, relative to the topology file. */
  path?: string;
  /** Directory rendered with `kubectl kustomize`, relative to the topology file. */
  kustomize?: string;
  clusters?: string[];
  namespace?: string;
}

export interface WorkloadsSection {
  demo?: DemoSection | false;
  manifests?: ManifestEntry[];
}

export type DemoOptions = Required<DemoSection>;

/** Demo options with every default filled in. */
export function demoOptions(demo: DemoSection = {}): DemoOptions {
  return {
    namespace: demo.namespace ?? 'test',
    podinfoImage: demo.podinfoImage ?? DEFAULT_PODINFO_IMAGE,
    nginxImage: demo.nginxImage ?? DEFAULT_NGINX_IMAGE,
    loadGenerators: demo.loadGenerators ?? true,
    slowCookerImage: demo.slowCookerImage ?? DEFAULT_SLOW_COOKER_IMAGE,
    clusterDns: demo.clusterDns ?? DEFAULT_CLUSTER_DNS,
    inject: demo.inject ?? true,
  };
}

const NAME_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';

export const demoSchema: JsonSchema = {
  type: 'object',
  description: 'Deploys the demo app in every cluster: podinfo, and an nginx frontend that proxies / to the local podinfo and /<cluster> to each remote mirror, with slow_cooker load generators.',
  additionalProperties: false,
  properties: {
    namespace: { ...K8S_NAMESPACE, default: 'test', description: 'Namespace of the demo workloads (created, annotated for proxy injection).' },
    podinfoImage: { type: 'string', default: DEFAULT_PODINFO_IMAGE, description: 'podinfo image, pinned.' },
    nginxImage: { type: 'string', default: DEFAULT_NGINX_IMAGE, description: 'nginx image of the frontend, pinned.' },
    loadGenerators: { type: 'boolean', default: true, description: 'Run slow_cooker containers in the frontend pod, 1 qps to podinfo and to every remote mirror.' },
    slowCookerImage: { type: 'string', default: DEFAULT_SLOW_COOKER_IMAGE, description: 'slow_cooker image of the load generators, pinned.' },
    clusterDns: { type: 'string', default: DEFAULT_CLUSTER_DNS, description: 'DNS service the frontend nginx resolves through (kind: kube-dns.kube-system.svc.cluster.local; other distributions name it differently).' },
    inject: { type: 'boolean', default: true, description: 'Annotate the namespace with linkerd.io/inject: enabled so the pods are meshed.' },
  },
};

export const workloadsSchema: JsonSchema = {
  type: 'object',
  description: 'Workloads deployed into the clusters: the built-in demo and/or your own manifests.',
  additionalProperties: false,
  properties: {
    demo: {
      description: 'The built-in demo app; false (or absent) to skip it.',
      anyOf: [demoSchema, { const: false, description: 'No demo app.' }],
    },
    manifests: {
      type: 'array',
      default: [],
      description: 'Your own manifests, applied server-side to the listed clusters.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        description: 'One set of manifests: exactly one of path or kustomize.',
        properties: {
          name: { type: 'string', pattern: NAME_PATTERN, description: 'Name of this set; the step id is workloads:manifests:<name>@<cluster>.' },
          path: { type: 'string', description: 'A YAML file or a directory of .yaml/.yml files, relative to the topology file.' },
          kustomize: { type: 'string', description: 'A kustomization directory rendered with `kubectl kustomize`, relative to the topology file.' },
          clusters: { type: 'array', items: { type: 'string', description: 'Cluster name.' }, description: 'Clusters to apply to; default all.' },
          namespace: { ...K8S_NAMESPACE, description: 'Namespace for namespaced objects that carry none.' },
        },
      },
    },
  },
};
