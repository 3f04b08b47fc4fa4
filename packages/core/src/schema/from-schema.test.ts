// applySchemaDefaults is the one way code outside ajv gets a resolved section, so it must fill exactly what
// ajv's useDefaults fills (the validator every topology goes through): compared here on the same inputs.
import { describe, expect, it } from 'vitest';
import { applySchemaDefaults, defineSchema, schemaDefaultAt } from './from-schema.js';
import { schemaValidator } from './validator-cache.js';

const section = defineSchema({
  type: 'object',
  additionalProperties: false,
  properties: {
    version: { type: 'string', default: 'v1' },
    workers: { type: 'integer', default: 2 },
    note: { type: 'string' },
    multicluster: {
      type: 'object',
      default: { enabled: true },
      properties: { enabled: { type: 'boolean', default: true }, gateway: { type: 'boolean', default: true } },
    },
    export: {
      type: 'array',
      default: [],
      items: { type: 'object', required: ['service'], properties: { service: { type: 'string' }, port: { type: 'integer', default: 80 } } },
    },
    pools: {
      type: 'object',
      default: {},
      additionalProperties: { type: 'object', properties: { size: { type: 'integer', default: 10 } } },
    },
    demo: {
      anyOf: [{ type: 'object', properties: { namespace: { type: 'string', default: 'test' } } }, { const: false }],
    },
  },
});

/** What ajv (the topology validator's options: useDefaults) makes of `value`, without touching it. */
async function ajvDefaults(value: unknown): Promise<unknown> {
  const copy = structuredClone(value);
  const validate = await schemaValidator(section, { cacheDir: false });
  expect(validate(copy), JSON.stringify(validate.errors)).toBe(true);
  return copy;
}

describe('applySchemaDefaults', () => {
  it.each([
    ['an empty section', {}],
    ['set values stay', { version: 'v9', workers: 0, note: 'x' }],
    ['a partly written nested object gets its own defaults', { multicluster: { enabled: false } }],
    ['array items get their defaults', { export: [{ service: 'a' }, { service: 'b', port: 8080 }] }],
    ['map values (additionalProperties) get theirs', { pools: { east: {}, west: { size: 3 } } }],
    ['anyOf branches are left alone, as ajv does', { demo: {} }],
    ['anyOf false', { demo: false }],
  ])('fills what ajv useDefaults fills: %s', async (_what, value) => {
    expect(applySchemaDefaults(section, structuredClone(value) as never)).toEqual(await ajvDefaults(value));
  });

  it('fills a defaulted nested object with the defaults of its properties too', () => {
    expect(applySchemaDefaults(section, {})).toEqual({
      version: 'v1',
      workers: 2,
      multicluster: { enabled: true, gateway: true },
      export: [],
      pools: {},
    });
  });

  it('never mutates its input and never shares a default object between results', () => {
    const input = { export: [{ service: 'a' }] };
    const first = applySchemaDefaults(section, input);
    expect(input).toEqual({ export: [{ service: 'a' }] });
    first.pools['east'] = { size: 1 };
    first.multicluster.enabled = false;
    const second = applySchemaDefaults(section, {});
    expect(second.pools).toEqual({});
    expect(second.multicluster.enabled).toBe(true);
  });

  it('returns a complete value itself, and copies only the parts it fills', async () => {
    // What ajv already resolved (every topology section by the time plugins read it) is checked, not copied.
    const complete = (await ajvDefaults({ export: [{ service: 'a' }], pools: { east: {} } })) as never;
    expect(applySchemaDefaults(section, complete)).toBe(complete);
    const input = { version: 'v2', export: [{ service: 'a', port: 1 }, { service: 'b' }], pools: { east: { size: 1 } } };
    const filled = applySchemaDefaults(section, input as never);
    expect(filled).not.toBe(input);
    expect(filled.export).not.toBe(input.export);
    expect(filled.export[0]).toBe(input.export[0]); // already complete: shared
    expect(filled.export[1]).toEqual({ service: 'b', port: 80 });
    expect(input.export[1]).toEqual({ service: 'b' }); // still never mutated
    expect(filled.pools['east']).toBe(input.pools.east);
  });

  it('reads one default by path', () => {
    expect(schemaDefaultAt(section, ['workers'])).toBe(2);
    expect(schemaDefaultAt(section, ['multicluster', 'gateway'])).toBe(true);
    expect(schemaDefaultAt(section, ['note'])).toBeUndefined();
    expect(schemaDefaultAt(section, ['nope', 'deeper'])).toBeUndefined();
  });
});
