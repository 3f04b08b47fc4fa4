// One source per section: every built-in plugin's defaults come out of its schema. The resolvers code calls
// (withDefaults, resolveSmi, ingressOptions, demoOptions) give exactly the schema's `default`s, and on real
// topologies they fill exactly what ajv's useDefaults fills when `meshspec validate` checks the file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applySchemaDefaults, validateTopology, type JsonSchema } from '@meshspec/core';
import { parseManifests } from '@meshspec/core/testing';
import { ingressOptions, ingressSchema } from '@meshspec/plugin-ingress';
import { kindSectionSchema, withDefaults as kindDefaults } from '@meshspec/plugin-kind';
import { linkerdSectionSchema, withDefaults as linkerdDefaults } from '@meshspec/plugin-linkerd';
import { metallbSectionSchema, withDefaults as metallbDefaults } from '@meshspec/plugin-metallb';
import { resolveSmi, smiSchema } from '@meshspec/plugin-smi';
import { demoOptions, demoSchema } from '@meshspec/plugin-workloads';
import { describe, expect, it } from 'vitest';
import { builtinPlugins } from './builtin-plugins.js';
import { EXAMPLES } from './__fixtures__/run-cli.js';

const resolvers: [string, JsonSchema, (section: Record<string, never>) => Record<string, unknown>][] = [
  ['kind', kindSectionSchema, kindDefaults],
  ['metallb', metallbSectionSchema, metallbDefaults],
  ['linkerd', linkerdSectionSchema, linkerdDefaults],
  ['smi', smiSchema, resolveSmi],
  ['ingress', ingressSchema, ingressOptions],
  ['workloads demo', demoSchema, demoOptions],
];

describe('section defaults come from the schema', () => {
  it.each(resolvers)('%s: resolving an empty section gives exactly the schema defaults', (_name, schema, resolve) => {
    const properties = schema['properties'] as Record<string, { default?: unknown }>;
    const defaults = Object.fromEntries(Object.entries(properties).flatMap(([key, p]) => ('default' in p ? [[key, p.default]] : [])));
    expect(Object.keys(defaults).length).toBeGreaterThan(0);
    expect(resolve({})).toEqual(defaults);
  });

  it('a changed schema default is what the resolver gives (no second copy in code)', () => {
    const schema = structuredClone(metallbSectionSchema) as unknown as { properties: { poolSize: { default: number } } };
    schema.properties.poolSize.default = 42;
    expect(applySchemaDefaults(schema as JsonSchema, {})).toMatchObject({ poolSize: 42 });
    expect(metallbDefaults({}).poolSize).toBe(metallbSectionSchema.properties.poolSize.default);
  });

  it.each(['linkerd-multicluster', 'three-clusters', 'modern-linkerd'])(
    'examples/%s: every section resolves to what validate (ajv useDefaults) fills',
    async (example) => {
      const file = join(EXAMPLES, example, 'topology.yaml');
      const text = readFileSync(file, 'utf8');
      const raw = parseManifests(text)[0] as Record<string, unknown>;
      const byAjv = (await validateTopology({ text, file, plugins: builtinPlugins })).topology;
      const sections = builtinPlugins.filter((p) => raw[p.key] !== undefined);
      expect(sections.length).toBeGreaterThan(3);
      for (const plugin of sections) {
        expect(applySchemaDefaults(plugin.schema!, raw[plugin.key] as never), plugin.name).toEqual(byAjv[plugin.key]);
      }
    },
  );
});
