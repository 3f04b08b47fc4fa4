// The composed topology schema compiled by ajv, kept on disk as ajv's own generated code. Compiling the
// schema (and importing ajv to do it) is most of `meshspec validate`'s start-up; the schema only changes
// when plugins change, so later runs load the code ajv generated last time instead.
//
// The cache never serves a stale validator: a file's name is a 128-bit hash of everything that shapes the
// code (the schema's JSON, ajv's version, the options, this file's format version). Any problem with
// the cache (unwritable, corrupt, unreadable) falls back to compiling, exactly as without a cache.
import { mkdirSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ErrorObject, Options } from 'ajv';
import type { JsonSchema } from '../plugin/types.js';
import { FORMATS } from './formats.js';

/** A compiled schema check, as ajv's ValidateFunction is used here. */
export interface SchemaValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

export interface SchemaValidatorOptions {
  /** Where compiled validators are kept; `false` compiles every time. Default: see defaultValidatorCacheDir. */
  cacheDir?: string | false;
}

/** Each plugin set (or version of it) has its own file; beyond this many, the least recently written go. */
export const MAX_CACHED_VALIDATORS = 8;

/** Bump when the shape of the cached code (how it is wrapped or evaluated) changes. */
const CACHE_FORMAT = 2;

// useDefaults fills plugin `default`s into the data, so resolve/validate/steps see complete sections.
const AJV_OPTIONS = { allErrors: true, verbose: true, strict: false, useDefaults: true, logger: false } as const satisfies Options;

// The generated code's free names: `formats.<name>` for FORMATS (see code.formats below) and `require`
// for ajv's small runtime helpers (ucs2length, equal, ...), resolved from here where ajv is installed.
const require = createRequire(import.meta.url);

/**
 * `$MESHSPEC_CACHE_DIR`, else `$XDG_CACHE_HOME/meshspec`, else `~/.cache/meshspec`. `MESHSPEC_CACHE_DIR=off`
 * turns the cache off.
 */
export function defaultValidatorCacheDir(env: NodeJS.ProcessEnv = process.env): string | false {
  const explicit = env.MESHSPEC_CACHE_DIR;
  if (explicit === 'off') return false;
  if (explicit) return explicit;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'meshspec');
}

/** The schema's validator: loaded from the cache when this exact schema was compiled before, else compiled. */
export async function schemaValidator(schema: JsonSchema, options: SchemaValidatorOptions = {}): Promise<SchemaValidator> {
  const cacheDir = options.cacheDir ?? defaultValidatorCacheDir();
  if (cacheDir === false) return (await compile(schema, false)).validate;
  const file = join(cacheDir, `schema-${cacheKey(schema)}.cjs`);
  const cached = loadCached(file);
  if (cached) return cached;
  const { validate, code } = await compile(schema, true);
  if (code !== undefined) store(cacheDir, file, code);
  return validate;
}

function cacheKey(schema: JsonSchema): string {
  const ajvVersion = (require('ajv/package.json') as { version: string }).version;
  return hash128(
    JSON.stringify({ format: CACHE_FORMAT, ajv: ajvVersion, options: AJV_OPTIONS, formats: Object.keys(FORMATS).sort(), schema }),
  );
}

/**
 * 128 bits (four independent 32-bit multiply-xorshift lanes) of `text`, as 32 hex digits. Not SHA-256:
 * node:crypto would be loaded by every `validate` only for this (~8 ms of a ~45 ms start, issue 11).
 * The key only tells this user's own schemas apart (a handful at a time), where these bits are plenty;
 * whoever can write to the cache directory can put any code there anyway.
 */
export function hash128(text: string): string {
  let a = 0x9e3779b1 ^ text.length;
  let b = 0x85ebca77;
  let c = 0xc2b2ae3d;
  let d = 0x27d4eb2f;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    a = Math.imul(a ^ ch, 0x85ebca6b);
    b = Math.imul(b ^ ch, 0xcc9e2d51);
    c = Math.imul(c ^ ch, 0x1b873593);
    d = Math.imul(d ^ ch, 0x27d4eb2d);
  }
  const mix = (h: number, k: number) => {
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d ^ k);
    h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
    return (h ^ (h >>> 16)) >>> 0;
  };
  return [mix(a, b), mix(b, c), mix(c, d), mix(d, a)].map((h) => h.toString(16).padStart(8, '0')).join('');
}

/**
 * A cache file is a CommonJS module exporting a factory that runs ajv's generated code with its free
 * names bound. It is loaded with `require`, not evaluated with `new Function` as ajv itself does: code
 * that Node loads as a module is kept by its compile cache (the CLI turns it on), so a warm start reuses
 * V8's compiled validator instead of parsing and compiling ~100 KB of generated code on every run
 * (issue 11, start-up).
 */
function asModule(code: string): string {
  return [
    `// meshspec: ajv's compiled topology schema (cache format ${CACHE_FORMAT}); regenerated whenever the schema changes.`,
    'module.exports = function validatorOf(require, formats) {',
    'const module = { exports: {} };',
    'const exports = module.exports;',
    code,
    'return module.exports;',
    '};',
    '',
  ].join('\n');
}

function loadCached(file: string): SchemaValidator | undefined {
  try {
    const factory = require(file) as unknown;
    if (typeof factory !== 'function') throw new Error('cached validator exports no factory');
    const validate = (factory as (r: NodeJS.Require, f: typeof FORMATS) => unknown)(require, FORMATS);
    if (typeof validate !== 'function') throw new Error('cached validator exports no function');
    return validate as SchemaValidator;
  } catch {
    // Not compiled yet, or damaged: compile again and overwrite it (and forget what `require` kept).
    require.cache[file] = undefined;
    return undefined;
  }
}

async function compile(schema: JsonSchema, withCode: boolean): Promise<{ validate: SchemaValidator; code?: string }> {
  // Imported lazily: ajv is the heaviest module on the CLI's path and a cache hit never needs it.
  const { Ajv, _ } = await import('ajv');
  const ajv = new Ajv({ ...AJV_OPTIONS, ...(withCode ? { code: { source: true, formats: _`formats` } } : {}) });
  for (const [name, test] of Object.entries(FORMATS)) ajv.addFormat(name, test);
  const validate = ajv.compile(schema);
  if (!withCode) return { validate };
  try {
    // A CommonJS module whose module.exports is the function (typed as its `default`).
    const standaloneCode = (await import('ajv/dist/standalone/index.js')).default as unknown as (ajv: unknown, validate: unknown) => string;
    return { validate, code: standaloneCode(ajv, validate) };
  } catch {
    return { validate }; // a schema ajv cannot export as code still validates; it is just not cached
  }
}

function store(dir: string, file: string, code: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Another meshspec may be writing the same file: write aside, then rename (atomic on one filesystem).
    const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(temp, asModule(code), { mode: 0o600 });
    renameSync(temp, file);
    prune(dir);
  } catch {
    // A read-only or full disk only costs speed.
  }
}

/** Keeps the newest MAX_CACHED_VALIDATORS files: schemas change whenever plugins do, old ones are dead. */
function prune(dir: string): void {
  const files = readdirSync(dir)
    // (64 hex digits: the SHA-256 names of earlier versions, pruned like the rest.)
    .filter((name) => /^schema-(?:[0-9a-f]{32}|[0-9a-f]{64})\.cjs$/.test(name))
    .map((name) => ({ path: join(dir, name), written: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.written - a.written);
  for (const old of files.slice(MAX_CACHED_VALIDATORS)) unlinkSync(old.path);
}
