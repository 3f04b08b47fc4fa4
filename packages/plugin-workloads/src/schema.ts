// The `workloads` section: its JSON Schema is the one definition; the TypeScript types and defaults come from it.
import { applySchemaDefaults, K8S_NAMESPACE, type FromSchema, type JsonSchema, type ResolvedFromSchema } from '@meshspec/core/plugin';
import { podinfoImage, PODINFO_SEED_PIN } from './pins.js';

export const DEFAULT_PODINFO_IMAGE = podinfoImage(PODINFO_SEED_PIN);

const NAME_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' as const;

/** The demo application (podinfo + nginx frontend + load generators) in every cluster. */
export const demoSchema = {
  type: 'object',
  description:
    'Deploys the demo app in every cluster: podinfo, and an nginx frontend that proxies / to the local podinfo and /<cluster> to each remote mirror, with slow_cooker load generators.',
  additionalProperties: false,
  properties: {
    namespace: {
      ...K8S_NAMESPACE,
      default: 'test',
      description: 'Namespace of the demo workloads (created, annotated for proxy injection).',
    },
    podinfoImage: { type: 'string', default: DEFAULT_PODINFO_IMAGE, description: 'podinfo image, pinned.' },
    nginxImage: { type: 'string', default: 'nginx:1.27.3-alpine', description: 'nginx image of the frontend, pinned.' },
    loadGenerators: {
      type: 'boolean',
      default: true,
      description: 'Run slow_cooker containers in the frontend pod, 1 qps to podinfo and to every remote mirror.',
    },
    slowCookerImage: {
      type: 'string',
      default: 'buoyantio/slow_cooker:1.3.0',
      description: 'slow_cooker image of the load generators, pinned.',
    },
    clusterDns: {
      type: 'string',
      default: 'kube-dns.kube-system.svc.cluster.local',
      description:
        'DNS service the frontend nginx resolves through (kind: kube-dns.kube-system.svc.cluster.local; other distributions name it differently).',
    },
    inject: {
      type: 'boolean',
      default: true,
      description: 'Annotate the namespace with linkerd.io/inject: enabled so the pods are meshed.',
    },
  },
} as const satisfies JsonSchema;

export const workloadsSchema = {
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
          name: {
            type: 'string',
            pattern: NAME_PATTERN,
            description: 'Name of this set; the step id is workloads:manifests:<name>@<cluster>.',
          },
          path: { type: 'string', description: 'A YAML file or a directory of .yaml/.yml files, relative to the topology file.' },
          kustomize: {
            type: 'string',
            description: 'A kustomization directory rendered with `kubectl kustomize`, relative to the topology file.',
          },
          clusters: {
            type: 'array',
            items: { type: 'string', description: 'Cluster name.' },
            description: 'Clusters to apply to; default all.',
          },
          namespace: { ...K8S_NAMESPACE, description: 'Namespace for namespaced objects that carry none.' },
        },
      },
    },
  },
} as const satisfies JsonSchema;

/** The section as written: `demo` is the demo's settings, or false (or absent) for no demo. */
export type WorkloadsSection = FromSchema<typeof workloadsSchema>;
/** The demo's settings as written. */
export type DemoSection = FromSchema<typeof demoSchema>;
/** The demo's settings with the schema's defaults filled in. */
export type DemoOptions = ResolvedFromSchema<typeof demoSchema>;
/** One set of your own manifests: exactly one of `path` (file or folder) and `kustomize`, relative to the topology file. */
export type ManifestEntry = NonNullable<WorkloadsSection['manifests']>[number];

/**
 * Demo options with every default filled in. `demo` sits in an anyOf (settings or false), where ajv's
 * useDefaults fills nothing, so its defaults are applied here, from demoSchema.
 */
export function demoOptions(demo: DemoSection = {}): DemoOptions {
  return applySchemaDefaults(demoSchema, demo);
}
