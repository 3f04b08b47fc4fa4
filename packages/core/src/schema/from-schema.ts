// One source per plugin section: the `as const` JSON Schema is the definition, and the TypeScript types and
// the defaults are read from it (so a section's schema, type and defaults cannot drift apart).
//
//   export const smiSchema = { type: 'object', properties: { ... } } as const satisfies JsonSchema;
//   export type SmiSection = FromSchema<typeof smiSchema>;            // what a person may write
//   export type ResolvedSmi = ResolvedFromSchema<typeof smiSchema>;    // after the schema's defaults
//   const resolved = applySchemaDefaults(smiSchema, section);          // those defaults, at run time
//
// Covers the subset of JSON Schema the plugins use: object (properties, required, additionalProperties,
// patternProperties), array/items, string/number/integer/boolean/null, enum, const, oneOf/anyOf, default.

/** Flattens intersections so editors and type errors show one plain object. */
type Simplify<T> = T extends object ? { [K in keyof T]: T[K] } : T;

type Props<S> = S extends { readonly properties: infer P } ? P : {};
type RequiredNames<S> = S extends { readonly required: readonly (infer K)[] } ? K : never;
/** Properties with a `default`: present once defaults are applied. */
type DefaultedNames<P> = { [K in keyof P]: P[K] extends { readonly default: unknown } ? K : never }[keyof P];
type PresentNames<S, Resolved extends boolean> = RequiredNames<S> | (Resolved extends true ? DefaultedNames<Props<S>> : never);

/** ajv's useDefaults leaves defaults inside anyOf/oneOf alone, so their branches are never resolved. */
type UnionOf<Branches> = Branches extends readonly unknown[] ? { [I in keyof Branches]: Infer<Branches[I], false> }[number] : unknown;

/** The value type of `additionalProperties` / `patternProperties` (never when the object is closed). */
type ExtraValue<S, Resolved extends boolean> =
  | (S extends { readonly additionalProperties: infer A }
      ? A extends false
        ? never
        : A extends true
          ? unknown
          : Infer<A, Resolved>
      : never)
  | (S extends { readonly patternProperties: infer P } ? Infer<P[keyof P], Resolved> : never);

type InferObject<S, Resolved extends boolean, P = Props<S>> = [keyof P] extends [never]
  ? [ExtraValue<S, Resolved>] extends [never]
    ? Record<string, unknown>
    : Record<string, ExtraValue<S, Resolved>>
  : Simplify<
      { -readonly [K in keyof P as K extends PresentNames<S, Resolved> ? K : never]: Infer<P[K], Resolved> } & {
        -readonly [K in keyof P as K extends PresentNames<S, Resolved> ? never : K]?: Infer<P[K], Resolved>;
      } & ([ExtraValue<S, Resolved>] extends [never] ? {} : Record<string, ExtraValue<S, Resolved>>)
    >;

type InferType<T, S, Resolved extends boolean> = T extends 'string'
  ? string
  : T extends 'integer' | 'number'
    ? number
    : T extends 'boolean'
      ? boolean
      : T extends 'null'
        ? null
        : T extends 'array'
          ? S extends { readonly items: infer I }
            ? Infer<I, Resolved>[]
            : unknown[]
          : T extends 'object'
            ? InferObject<S, Resolved>
            : unknown;

type Infer<S, Resolved extends boolean> = S extends { readonly const: infer C }
  ? C
  : S extends { readonly enum: readonly (infer E)[] }
    ? E
    : S extends { readonly oneOf: infer B }
      ? UnionOf<B>
      : S extends { readonly anyOf: infer B }
        ? UnionOf<B>
        : S extends { readonly type: infer T }
          ? T extends readonly (infer Each)[]
            ? InferType<Each, S, Resolved>
            : InferType<T, S, Resolved>
          : S extends { readonly properties: unknown }
            ? InferObject<S, Resolved>
            : unknown;

/** The value a schema accepts, as written by a person: only `required` properties are certain. */
export type FromSchema<S> = Infer<S, false>;
/** The value after the schema's `default`s are filled in (ajv `useDefaults`, or `applySchemaDefaults`). */
export type ResolvedFromSchema<S> = Infer<S, true>;

/**
 * Keeps the literal type of a schema (like `as const`) while checking it is a schema object, so
 * `FromSchema<typeof schema>` sees every `type`, `required` and `default`.
 */
export function defineSchema<const S extends Readonly<Record<string, unknown>>>(schema: S): S {
  return schema;
}

type Node = Readonly<Record<string, unknown>>;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);
const isPlainObject = (value: unknown): value is Record<string, unknown> => isNode(value);

/** A fresh copy of a `default`, so two sections never share (and mutate) one default object. */
const copyOf = <T>(value: T): T => (value === undefined ? value : structuredClone(value));

/**
 * `value` with every `default` of `schema` filled in where a property is absent, at every depth (a
 * defaulted object gets its own properties' defaults too): what ajv's `useDefaults` does at validate time,
 * for code that needs a resolved section without going through ajv (unit tests, facts of a hand-built
 * topology). Like ajv, it leaves anyOf/oneOf branches alone (which branch applies is the validator's
 * call): resolve such a value with the branch's own schema (workloads resolves `demo` with its demo schema).
 * Never mutates `value`; returns `value` itself (and its untouched parts) where nothing was missing.
 */
export function applySchemaDefaults<const S extends Node>(schema: S, value: FromSchema<S>): ResolvedFromSchema<S> {
  return fill(schema, value) as ResolvedFromSchema<S>;
}

// Filling returns `value` itself wherever nothing was missing (structural sharing): a section ajv already
// completed is checked, not copied. Plugins resolve their section in validate, facts and steps alike, and a
// copy of 20,000 exports for each of those calls was a tenth of `validate`'s time (issue 11).
function fill(schema: Node, value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = schema['items'];
    if (!isNode(items)) return value;
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const filled = fill(items, value[i]);
      if (filled !== value[i]) (copy ??= value.slice())[i] = filled;
    }
    return copy ?? value;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | undefined;
  const current = () => copy ?? value;
  const set = (key: string, entry: unknown) => ((copy ??= { ...value })[key] = entry);
  const properties = isNode(schema['properties']) ? schema['properties'] : {};
  for (const key in properties) {
    const property = properties[key];
    if (!isNode(property)) continue;
    if (current()[key] === undefined && 'default' in property) set(key, copyOf(property['default']));
    const entry = current()[key];
    if (entry === undefined) continue;
    const filled = fill(property, entry);
    if (filled !== entry) set(key, filled);
  }
  // Values of a map (additionalProperties / patternProperties) get their own schema's defaults.
  const additional = schema['additionalProperties'];
  const patterns = patternsOf(schema);
  if (!isNode(additional) && patterns.length === 0) return current();
  for (const key of Object.keys(current())) {
    const entry = current()[key];
    if (Object.hasOwn(properties, key) || entry === undefined) continue;
    const byPattern = patterns.find(([pattern]) => pattern.test(key))?.[1];
    const entrySchema = isNode(byPattern) ? byPattern : isNode(additional) ? additional : undefined;
    if (!entrySchema) continue;
    const filled = fill(entrySchema, entry);
    if (filled !== entry) set(key, filled);
  }
  return current();
}

/** A schema's patternProperties as compiled expressions, compiled once per schema object. */
const compiledPatterns = new WeakMap<Node, [RegExp, unknown][]>();
function patternsOf(schema: Node): [RegExp, unknown][] {
  let patterns = compiledPatterns.get(schema);
  if (!patterns) {
    const raw = isNode(schema['patternProperties']) ? Object.entries(schema['patternProperties']) : [];
    patterns = raw.map(([pattern, entry]) => [new RegExp(pattern, 'u'), entry]);
    compiledPatterns.set(schema, patterns);
  }
  return patterns;
}

/** The `default` of the property at `path` (property names, from the root): for docs and tests. */
export function schemaDefaultAt(schema: Node, path: readonly string[]): unknown {
  let node: unknown = schema;
  for (const key of path) node = isNode(node) && isNode(node['properties']) ? node['properties'][key] : undefined;
  return isNode(node) ? copyOf(node['default']) : undefined;
}
