// Type-level tests (vitest typecheck): FromSchema / ResolvedFromSchema over the JSON Schema subset the
// plugins use. A wrong derivation fails `scripts/pnpm test:unit` (typecheck) and never reaches a plugin.
import { describe, expectTypeOf, it } from 'vitest';
import { applySchemaDefaults, defineSchema, type FromSchema, type ResolvedFromSchema } from './from-schema.js';

const schema = defineSchema({
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string' },
    version: { type: 'string', default: 'v1' },
    workers: { type: 'integer', default: 2 },
    ratio: { type: 'number' },
    viz: { type: 'boolean', default: true },
    controller: { type: 'string', enum: ['nginx', 'envoy'], default: 'nginx' },
    fixed: { const: 'always' },
    links: {
      default: 'full-mesh',
      oneOf: [
        { type: 'string', enum: ['full-mesh', 'none'] },
        {
          type: 'array',
          items: {
            type: 'object',
            required: ['from', 'to'],
            additionalProperties: false,
            properties: { from: { type: 'string' }, to: { type: 'string' } },
          },
        },
      ],
    },
    multicluster: {
      type: 'object',
      default: {},
      properties: { enabled: { type: 'boolean', default: true }, gateway: { type: 'boolean' } },
    },
    tags: { type: 'array', items: { type: 'string' } },
    pools: { type: 'object', additionalProperties: { type: 'string' } },
    labels: { type: 'object', patternProperties: { '^[a-z]+$': { type: 'integer' } } },
    demo: { anyOf: [{ type: 'object', properties: { namespace: { type: 'string', default: 'test' } } }, { const: false }] },
    anything: {},
  },
});

type Written = FromSchema<typeof schema>;
type Resolved = ResolvedFromSchema<typeof schema>;
interface Link {
  from: string;
  to: string;
}

describe('FromSchema (as written)', () => {
  it('maps types, and only required keys are certain', () => {
    expectTypeOf<Written['name']>().toEqualTypeOf<string>();
    expectTypeOf<Written>().toHaveProperty('name');
    expectTypeOf<Written['version']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Written['workers']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Written['ratio']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Written['viz']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<{}>().toMatchTypeOf<Omit<Written, 'name'>>();
  });

  it('turns enum and const into literal unions', () => {
    expectTypeOf<Written['controller']>().toEqualTypeOf<'nginx' | 'envoy' | undefined>();
    expectTypeOf<Written['fixed']>().toEqualTypeOf<'always' | undefined>();
  });

  it('turns oneOf/anyOf into unions and arrays into arrays of their items', () => {
    expectTypeOf<Written['links']>().toEqualTypeOf<'full-mesh' | 'none' | Link[] | undefined>();
    expectTypeOf<Written['tags']>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<Written['demo']>().toEqualTypeOf<{ namespace?: string } | false | undefined>();
  });

  it('turns additionalProperties and patternProperties into records', () => {
    expectTypeOf<Written['pools']>().toEqualTypeOf<Record<string, string> | undefined>();
    expectTypeOf<Written['labels']>().toEqualTypeOf<Record<string, number> | undefined>();
  });

  it('knows nothing of a schema without a type', () => {
    expectTypeOf<Written['anything']>().toEqualTypeOf<unknown>();
  });

  it('closes objects with additionalProperties: false', () => {
    expectTypeOf<Written>().not.toHaveProperty('workerz');
  });
});

describe('ResolvedFromSchema (after the defaults)', () => {
  it('makes defaulted keys certain, at every depth, and leaves the others optional', () => {
    expectTypeOf<Resolved['version']>().toEqualTypeOf<string>();
    expectTypeOf<Resolved['workers']>().toEqualTypeOf<number>();
    expectTypeOf<Resolved['controller']>().toEqualTypeOf<'nginx' | 'envoy'>();
    expectTypeOf<Resolved['links']>().toEqualTypeOf<'full-mesh' | 'none' | Link[]>();
    expectTypeOf<Resolved['multicluster']['enabled']>().toEqualTypeOf<boolean>();
    expectTypeOf<Resolved['multicluster']['gateway']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<Resolved['ratio']>().toEqualTypeOf<number | undefined>();
  });

  it('leaves anyOf/oneOf branches unresolved, as ajv does', () => {
    expectTypeOf<Resolved['demo']>().toEqualTypeOf<{ namespace?: string } | false | undefined>();
  });

  it('is what applySchemaDefaults returns', () => {
    expectTypeOf(applySchemaDefaults(schema, { name: 'x' })).toEqualTypeOf<Resolved>();
    // @ts-expect-error: a value the schema rejects (name is required) is refused at compile time
    applySchemaDefaults(schema, { version: 'v2' });
  });
});
