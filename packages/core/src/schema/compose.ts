// The topology schema is composed: core keys here, one section per plugin, extra cluster keys from plugins.
import { PluginError } from '../errors.js';
import type { JsonSchema, Plugin } from '../plugin/types.js';

export const TOPOLOGY_API_VERSION = 'meshspec.dev/v1alpha1';
export const TOPOLOGY_SCHEMA_ID = 'https://meshspec.dev/schema/v1alpha1/topology.json';

/** Top-level keys owned by core; a plugin cannot claim them. */
export const CORE_TOPOLOGY_KEYS = ['apiVersion', 'kind', 'metadata', 'clusters'] as const;
/** Cluster keys owned by core; a plugin's `clusterSchema` cannot claim them. */
export const CORE_CLUSTER_KEYS = ['context', 'podSubnet', 'serviceSubnet'] as const;

/** DNS-1123 label: lowercase alphanumerics and '-', starting with a letter and ending alphanumeric. */
const DNS_LABEL = '^[a-z]([-a-z0-9]*[a-z0-9])?$';
/**
 * Cluster names become kind cluster names, docker container names and kube context suffixes
 * (`kind-<name>`), so they are kept short. The length limit lives in the pattern so a bad name yields
 * one message, not two.
 */
const CLUSTER_NAME = '^[a-z]([-a-z0-9]{0,30}[a-z0-9])?$';

/** The keys core defines on every cluster entry; `ClusterSpec` (plugin/types.ts) is derived from them. */
export const CORE_CLUSTER_PROPERTIES = {
  context: {
    description: 'Kube context used to reach this cluster. Defaults to what the cluster-creating plugin decides (kind: `kind-<name>`).',
    type: 'string',
    format: 'kube-context',
  },
  // Every cluster provider (kind, kwok) creates clusters with these; Linkerd counts them as in-cluster networks.
  podSubnet: {
    type: 'string',
    format: 'cidr',
    description:
      'Pod CIDR (IPv4), e.g. 10.244.0.0/16. Default for clusters a provider creates (kind, kwok): a free /16 from 10.244.0.0 upwards, distinct per cluster.',
  },
  serviceSubnet: {
    type: 'string',
    format: 'cidr',
    description:
      'Service CIDR (IPv4), e.g. 10.96.0.0/16. Default for clusters a provider creates (kind, kwok): a free /16 from 10.96.0.0 upwards, distinct per cluster.',
  },
} as const satisfies Record<string, JsonSchema>;

function coreClusterProperties(): Record<string, JsonSchema> {
  return structuredClone(CORE_CLUSTER_PROPERTIES);
}

/**
 * Composes the JSON Schema (draft-07, which editors' yaml-language-server understands) of topology
 * files from core and the given plugins. Throws PluginError when plugins claim the same key.
 */
export function composeSchema(plugins: readonly Plugin[]): JsonSchema {
  const sections = pluginSections(plugins);
  const clusterProperties = { ...coreClusterProperties(), ...pluginClusterProperties(plugins) };

  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: TOPOLOGY_SCHEMA_ID,
    title: 'meshspec topology',
    description: 'One declarative description of a multi-cluster service mesh: the clusters and, per plugin, what runs on them.',
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'clusters'],
    additionalProperties: false,
    properties: {
      apiVersion: {
        description: `Version of the topology format. Always \`${TOPOLOGY_API_VERSION}\`.`,
        type: 'string',
        const: TOPOLOGY_API_VERSION,
      },
      kind: {
        description: 'Kind of document. Always `Topology`.',
        type: 'string',
        const: 'Topology',
      },
      metadata: {
        description: 'Identifies the topology.',
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: {
            description:
              'Name of the topology (a DNS-1123 label: lowercase letters, digits and "-", starting with a letter, at most 63 characters). Names the state directory.',
            type: 'string',
            pattern: DNS_LABEL,
            maxLength: 63,
          },
          description: {
            description: 'Free text describing what this topology is for.',
            type: 'string',
          },
          labels: {
            description: 'Free-form string labels, for your own bookkeeping.',
            type: 'object',
            additionalProperties: { description: 'Label value.', type: 'string' },
          },
        },
      },
      clusters: {
        description: 'The clusters of the mesh, by name. Each entry may be `{}` to take every default.',
        type: 'object',
        minProperties: 1,
        propertyNames: {
          description:
            'Cluster name: a DNS-1123 label (lowercase letters, digits and "-", starting with a letter, ending with a letter or digit), at most 32 characters.',
          pattern: CLUSTER_NAME,
        },
        additionalProperties: {
          description: 'One cluster: core keys plus the keys that loaded plugins add.',
          type: 'object',
          additionalProperties: false,
          properties: clusterProperties,
        },
      },
      ...sections,
    },
  };
}

function pluginSections(plugins: readonly Plugin[]): Record<string, JsonSchema> {
  const owners = new Map<string, Plugin>();
  const names = new Map<string, Plugin>();
  const sections: Record<string, JsonSchema> = {};
  for (const plugin of plugins) {
    if (names.has(plugin.name)) {
      throw new PluginError(`plugin '${plugin.name}' is loaded twice; remove one of them from plugins in meshspec.config`);
    }
    names.set(plugin.name, plugin);
    if ((CORE_TOPOLOGY_KEYS as readonly string[]).includes(plugin.key)) {
      throw new PluginError(
        `plugin '${plugin.name}' claims the topology key '${plugin.key}', which belongs to meshspec core; give the plugin another key`,
      );
    }
    const owner = owners.get(plugin.key);
    if (owner) {
      throw new PluginError(
        `plugins '${owner.name}' and '${plugin.name}' both claim the topology key '${plugin.key}'; each plugin needs its own key`,
      );
    }
    owners.set(plugin.key, plugin);
    sections[plugin.key] = sectionSchema(plugin);
  }
  return sections;
}

/**
 * A plugin's section schema. A root `default` is dropped: an absent section means "plugin unused", so
 * the validator must never invent one.
 */
function sectionSchema(plugin: Plugin): JsonSchema {
  const { default: _ignored, ...schema } = plugin.schema ?? { type: 'object' };
  return { description: `Settings of the ${plugin.name} plugin; leave the key out to not use it.`, ...schema };
}

function pluginClusterProperties(plugins: readonly Plugin[]): Record<string, JsonSchema> {
  const owners = new Map<string, string>(CORE_CLUSTER_KEYS.map((key) => [key, 'meshspec core']));
  const properties: Record<string, JsonSchema> = {};
  for (const plugin of plugins) {
    for (const [key, schema] of Object.entries(plugin.clusterSchema ?? {})) {
      const owner = owners.get(key);
      if (owner) {
        const who = owner === 'meshspec core' ? 'meshspec core' : `plugin '${owner}'`;
        throw new PluginError(`plugin '${plugin.name}' adds the cluster key '${key}', which ${who} already defines; rename one of them`);
      }
      owners.set(key, plugin.name);
      properties[key] = schema;
    }
  }
  return properties;
}

/**
 * Paths (dotted) of schema properties without a `description`, for tests of core and plugin schemas:
 * every key a person can write must explain itself in the editor.
 */
export function findMissingDescriptions(schema: unknown, path = ''): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  if (Array.isArray(schema)) return schema.flatMap((item, i) => findMissingDescriptions(item, `${path}[${i}]`));
  const node = schema as Record<string, unknown>;
  const missing: string[] = [];
  const properties = node.properties;
  if (typeof properties === 'object' && properties !== null) {
    for (const [key, property] of Object.entries(properties)) {
      const at = path ? `${path}.${key}` : key;
      if (typeof property === 'object' && property !== null && typeof (property as JsonSchema).description !== 'string') {
        missing.push(at);
      }
      missing.push(...findMissingDescriptions(property, at));
    }
  }
  for (const [keyword, child] of Object.entries(node)) {
    if (keyword === 'properties' || keyword === 'default' || keyword === 'examples' || keyword === 'const' || keyword === 'enum') continue;
    const at =
      keyword === 'additionalProperties' || keyword === 'patternProperties' ? `${path}.*` : keyword === 'items' ? `${path}[]` : path;
    if (
      keyword === 'additionalProperties' &&
      typeof child === 'object' &&
      child !== null &&
      typeof (child as JsonSchema).description !== 'string'
    ) {
      missing.push(at);
    }
    missing.push(...findMissingDescriptions(child, at));
  }
  return missing;
}
