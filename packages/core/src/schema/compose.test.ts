import { describe, expect, it } from 'vitest';
import { PluginError } from '../errors.js';
import { definePlugin } from '../plugin/define.js';
import { composeSchema, findMissingDescriptions, TOPOLOGY_SCHEMA_ID } from './compose.js';

const steps = () => [];
const mesh = definePlugin({
  name: 'mesh',
  schema: {
    description: 'A mesh.',
    type: 'object',
    additionalProperties: false,
    default: { version: 'x' },
    properties: { version: { description: 'Version.', type: 'string' } },
  },
  clusterSchema: { meshPort: { description: 'Mesh port.', type: 'string' } },
  steps,
});

describe('composeSchema', () => {
  it('has the core keys, one optional section per plugin and the plugins’ cluster keys', () => {
    const schema = composeSchema([mesh]) as any;
    expect(schema.$id).toBe(TOPOLOGY_SCHEMA_ID);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['apiVersion', 'kind', 'metadata', 'clusters']);
    expect(Object.keys(schema.properties)).toEqual(['apiVersion', 'kind', 'metadata', 'clusters', 'mesh']);
    expect(schema.properties.apiVersion.const).toBe('meshspec.dev/v1alpha1');
    expect(schema.properties.kind.const).toBe('Topology');
    expect(Object.keys(schema.properties.metadata.properties)).toEqual(['name', 'description', 'labels']);
    expect(Object.keys(schema.properties.clusters.additionalProperties.properties)).toEqual([
      'context',
      'podSubnet',
      'serviceSubnet',
      'meshPort',
    ]);
    expect(schema.properties.clusters.additionalProperties.additionalProperties).toBe(false);
  });

  it('drops a section-level default: an absent section must stay absent (plugin unused)', () => {
    const schema = composeSchema([mesh]) as any;
    expect(schema.properties.mesh).not.toHaveProperty('default');
    expect(schema.properties.mesh.properties.version.type).toBe('string');
  });

  it.each([
    ['a', true],
    ['demo-3', true],
    ['a'.repeat(32), true],
    ['a'.repeat(33), false],
    ['Demo', false],
    ['3demo', false],
    ['demo-', false],
    ['de_mo', false],
  ])('cluster name %s valid: %s', (name, valid) => {
    const schema = composeSchema([]) as any;
    expect(new RegExp(schema.properties.clusters.propertyNames.pattern).test(name)).toBe(valid);
  });

  it('gives every property a description (core and plugins)', () => {
    expect(findMissingDescriptions(composeSchema([mesh]))).toEqual([]);
  });

  it('finds properties without a description, nested anywhere', () => {
    const sloppy = definePlugin({
      name: 'sloppy',
      schema: {
        type: 'object',
        properties: {
          ok: { description: 'Fine.', type: 'string' },
          bare: { type: 'string' },
          list: { description: 'A list.', type: 'array', items: { type: 'object', properties: { inner: { type: 'string' } } } },
        },
      },
      clusterSchema: { naked: { type: 'string' } },
      steps,
    });
    expect(findMissingDescriptions(composeSchema([sloppy])).sort()).toEqual(['clusters.*.naked', 'sloppy.bare', 'sloppy.list[].inner']);
  });

  it.each([
    {
      name: 'two plugins with the same name',
      plugins: [mesh, definePlugin({ name: 'mesh', key: 'other', steps })],
      error: "plugin 'mesh' is loaded twice",
    },
    {
      name: 'two plugins claiming the same key',
      plugins: [mesh, definePlugin({ name: 'mesh2', key: 'mesh', steps })],
      error: "plugins 'mesh' and 'mesh2' both claim the topology key 'mesh'",
    },
    {
      name: 'a plugin claiming a core key',
      plugins: [definePlugin({ name: 'kind', steps })],
      error: "plugin 'kind' claims the topology key 'kind', which belongs to meshspec core",
    },
    {
      name: 'two plugins adding the same cluster key',
      plugins: [mesh, definePlugin({ name: 'other', clusterSchema: { meshPort: { description: 'x' } }, steps })],
      error: "plugin 'other' adds the cluster key 'meshPort', which plugin 'mesh' already defines",
    },
    {
      name: 'a plugin adding the core cluster key',
      plugins: [definePlugin({ name: 'other', clusterSchema: { context: { description: 'x' } }, steps })],
      error: "plugin 'other' adds the cluster key 'context', which meshspec core already defines",
    },
  ])('rejects $name', ({ plugins, error }) => {
    expect(() => composeSchema(plugins)).toThrow(PluginError);
    expect(() => composeSchema(plugins)).toThrow(error);
  });
});
