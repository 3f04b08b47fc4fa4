import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonSchema } from '../plugin/types.js';
import { defaultValidatorCacheDir, MAX_CACHED_VALIDATORS, schemaValidator } from './validator-cache.js';

const schema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 2 },
    label: { type: 'string', pattern: '^[a-z]+$' },
    subnet: { type: 'string', format: 'cidr' },
    mode: { enum: ['a', 'b'], default: 'a' },
    nested: { type: 'object', properties: { workers: { type: 'integer', default: 1 } }, default: {} },
    either: { anyOf: [{ type: 'integer' }, { type: 'string', format: 'ipv4' }] },
  },
};

const invalid = () => ({ name: 'x', label: 'A', subnet: '10.0.0.0/99', mode: 'c', extra: true, either: 'nope' });
const valid = () => ({ name: 'demo', label: 'ab', subnet: '10.0.0.0/16', either: '172.18.0.1' });
const freshDir = () => mkdtempSync(join(tmpdir(), 'meshspec-validator-cache-'));
const cachedFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.cjs'));

/** Runs a validator and returns what callers see: the verdict, the data after defaults, the errors. */
function run(validate: Awaited<ReturnType<typeof schemaValidator>>, data: Record<string, unknown>) {
  const ok = validate(data);
  return { ok, data, errors: validate.errors ?? null };
}

describe('schemaValidator', () => {
  it('behaves the same compiled fresh, written to the cache, and loaded from it', async () => {
    const dir = freshDir();
    const uncached = await schemaValidator(schema, { cacheDir: false });
    const first = await schemaValidator(schema, { cacheDir: dir });
    expect(cachedFiles(dir)).toHaveLength(1);
    const loaded = await schemaValidator(schema, { cacheDir: dir });
    expect(loaded).not.toBe(first);

    for (const make of [valid, invalid]) {
      const expected = run(uncached, make());
      expect(run(first, make())).toEqual(expected);
      expect(run(loaded, make())).toEqual(expected);
    }
    // The comparison above is meaningful: defaults filled, formats checked, every error kept, verbose.
    const fromCache = run(loaded, valid());
    expect(fromCache).toMatchObject({ ok: true, data: { mode: 'a', nested: { workers: 1 } } });
    const failed = run(loaded, invalid());
    expect(failed.ok).toBe(false);
    expect(failed.errors?.map((e) => `${e.instancePath} ${e.keyword}`)).toEqual(
      expect.arrayContaining([
        '/name minLength',
        '/label pattern',
        '/subnet format',
        '/mode enum',
        ' additionalProperties',
        '/either anyOf',
      ]),
    );
    expect(failed.errors?.find((e) => e.keyword === 'enum')?.parentSchema).toEqual({ enum: ['a', 'b'], default: 'a' });
  });

  it('never serves a validator compiled for another schema', async () => {
    const dir = freshDir();
    await schemaValidator(schema, { cacheDir: dir });
    const stricter = {
      ...schema,
      properties: { ...(schema['properties'] as object), name: { type: 'string', minLength: 5 } },
    } as JsonSchema;
    const validate = await schemaValidator(stricter, { cacheDir: dir });
    expect(validate({ name: 'demo' })).toBe(false);
    expect(cachedFiles(dir)).toHaveLength(2);
  });

  it('compiles again, and repairs the file, when a cached file is damaged', async () => {
    const dir = freshDir();
    await schemaValidator(schema, { cacheDir: dir });
    const [file] = cachedFiles(dir);
    const good = readFileSync(join(dir, file!), 'utf8');
    writeFileSync(join(dir, file!), 'module.exports = {'); // a truncated write
    const validate = await schemaValidator(schema, { cacheDir: dir });
    expect(validate({ name: 'x' })).toBe(false);
    expect(validate({ name: 'demo' })).toBe(true);
    expect(readFileSync(join(dir, file!), 'utf8')).toBe(good);
  });

  it(`keeps only the ${MAX_CACHED_VALIDATORS} most recently written validators`, async () => {
    const dir = freshDir();
    const variant = (n: number) =>
      ({ ...schema, properties: { ...(schema['properties'] as object), name: { type: 'string', minLength: n } } }) as JsonSchema;
    await schemaValidator(variant(1), { cacheDir: dir });
    const [oldest] = cachedFiles(dir);
    utimesSync(join(dir, oldest!), new Date(0), new Date(0)); // mtimes of quick writes can tie
    for (let n = 2; n <= MAX_CACHED_VALIDATORS + 1; n++) await schemaValidator(variant(n), { cacheDir: dir });
    expect(cachedFiles(dir)).toHaveLength(MAX_CACHED_VALIDATORS);
    expect(cachedFiles(dir)).not.toContain(oldest);
  });

  it('still validates when the cache cannot be written', async () => {
    const blocker = join(freshDir(), 'a-file');
    writeFileSync(blocker, '');
    const validate = await schemaValidator(schema, { cacheDir: join(blocker, 'cache') });
    expect(validate({ name: 'demo' })).toBe(true);
  });

  it.each([
    [{ MESHSPEC_CACHE_DIR: '/x/cache' }, '/x/cache'],
    [{ MESHSPEC_CACHE_DIR: 'off' }, false],
    [{ XDG_CACHE_HOME: '/xdg' }, '/xdg/meshspec'],
  ])('cache dir from %o is %s', (env, expected) => {
    expect(defaultValidatorCacheDir(env)).toBe(expected);
  });
});
