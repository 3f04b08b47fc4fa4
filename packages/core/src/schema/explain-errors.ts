// Turns ajv's errors into what a person needs: where, what was expected in plain words, and a fix.
// ajv reports every failed keyword, including each branch of anyOf/oneOf; we keep the most specific.
import type { ErrorObject } from 'ajv';
import type { JsonSchema } from '../plugin/types.js';
import { formatFieldPath, fromJsonPointer } from '../topology/path.js';
import { didYouMean } from './did-you-mean.js';
import { FORMAT_DESCRIPTIONS } from './formats.js';

export interface SchemaProblem {
  /** The field the problem is about (for the diagnostic's `path`). */
  path: (string | number)[];
  /** Where to point: the node at `at.path`, or the key itself when `at.key` (unknown or badly named keys). */
  at: { path: (string | number)[]; key: boolean };
  message: string;
  fix: string;
}

type AjvError = ErrorObject;

export function explainSchemaErrors(errors: readonly AjvError[]): SchemaProblem[] {
  const { kept, merged } = collapseCombinators(errors.filter((error) => error.keyword !== 'if'));
  // A value of the wrong type fails its const/enum/pattern too; the type error alone says it.
  const wrongType = new Set(kept.filter((error) => error.keyword === 'type').map((error) => error.instancePath));
  const specific = kept.filter(
    (error) => error.propertyName === undefined && (error.keyword === 'type' || !wrongType.has(error.instancePath)),
  );
  const problems = [...merged, ...specific.map(explainError)];
  return dedupe(problems);
}

/**
 * For each anyOf/oneOf (innermost first): if some branch matched the value's shape (its errors are
 * deeper, or about keys rather than the type), keep only the closest such branch's errors; otherwise
 * replace all branch errors by one "must be A or B" problem.
 */
function collapseCombinators(errors: AjvError[]): { kept: AjvError[]; merged: SchemaProblem[] } {
  let kept = [...errors];
  const merged: SchemaProblem[] = [];
  const combinators = errors
    .filter((error) => (error.keyword === 'anyOf' || error.keyword === 'oneOf') && error.params.passingSchemas == null)
    .sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const combinator of combinators) {
    const prefix = `${combinator.schemaPath}/`;
    const branches = new Map<string, AjvError[]>();
    for (const error of kept) {
      if (!error.schemaPath.startsWith(prefix)) continue;
      const branch = error.schemaPath.slice(prefix.length).split('/')[0]!;
      branches.set(branch, [...(branches.get(branch) ?? []), error]);
    }
    const shapeOnly = (error: AjvError) =>
      error.instancePath === combinator.instancePath && ['type', 'const', 'enum'].includes(error.keyword);
    const fitting = [...branches.values()].filter((branchErrors) => !branchErrors.every(shapeOnly));
    const branchErrors = new Set([...branches.values()].flat());
    kept = kept.filter((error) => error !== combinator && !branchErrors.has(error));
    if (fitting.length > 0) {
      const closest = fitting.reduce((best, candidate) => (candidate.length < best.length ? candidate : best));
      kept.push(...closest);
    } else {
      const alternatives = Array.isArray(combinator.schema) ? combinator.schema.map((s) => describeSchema(s as JsonSchema)) : [];
      const path = fromJsonPointer(combinator.instancePath);
      const expected = alternatives.length > 0 ? joinOr(alternatives) : 'one of the allowed forms';
      merged.push({
        path,
        at: { path, key: false },
        message: `must be ${expected}, but is ${describeValue(combinator.data)}`,
        fix: `change it to ${expected}${descriptionHint(combinator.parentSchema)}`,
      });
    }
  }
  return { kept, merged };
}

function explainError(error: AjvError): SchemaProblem {
  const path = fromJsonPointer(error.instancePath);
  const here = { path, at: { path, key: false } };
  const params = error.params;
  const field = path.at(-1);
  const hint = descriptionHint(error.parentSchema);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const suggestion = didYouMean(key, allowed);
      const keyPath = [...path, key];
      const fix = suggestion
        ? `did you mean '${suggestion}'? rename '${key}' to '${suggestion}'`
        : path.length === 0
          ? `remove it; top-level keys are ${allowed.join(', ')}. A plugin's section needs that plugin loaded (plugins in meshspec.config)`
          : allowed.length > 0
            ? `remove it; allowed keys here: ${allowed.join(', ')}`
            : 'remove it; no keys are allowed here';
      return { path: keyPath, at: { path: keyPath, key: true }, message: `unknown key '${key}'`, fix };
    }
    case 'required': {
      const key = String(params.missingProperty);
      const property = (error.parentSchema?.properties as Record<string, JsonSchema> | undefined)?.[key];
      const example = property ? exampleValue(property) : undefined;
      const where = path.length === 0 ? 'at the top level' : `under ${formatFieldPath(path)}`;
      return {
        path: [...path, key],
        at: { path, key: false },
        message: `missing required key '${key}'${path.length === 0 ? '' : ` in ${formatFieldPath(path)}`}`,
        fix: `add '${key}: ${example ?? '...'}' ${where}${descriptionHint(property)}`,
      };
    }
    case 'type': {
      const types = (Array.isArray(params.type) ? params.type : String(params.type).split(',')) as string[];
      const expected = joinOr(types.map(typeInWords));
      return { ...here, message: `must be ${expected}, but is ${describeValue(error.data)}`, fix: typeFix(types, error.data, hint) };
    }
    case 'enum': {
      const values = (params.allowedValues as unknown[]) ?? [];
      const listed = values.map(formatValue).join(', ');
      const suggestion =
        typeof error.data === 'string'
          ? didYouMean(
              error.data,
              values.filter((v): v is string => typeof v === 'string'),
            )
          : undefined;
      return {
        ...here,
        message: `must be one of: ${listed}, but is ${describeValue(error.data)}`,
        fix: suggestion ? `did you mean '${suggestion}'?` : `use one of: ${listed}`,
      };
    }
    case 'const': {
      const wanted = params.allowedValue as unknown;
      return {
        ...here,
        message: `must be ${formatValue(wanted)}, but is ${describeValue(error.data)}`,
        fix: `set '${field ?? 'it'}: ${typeof wanted === 'string' ? wanted : JSON.stringify(wanted)}'`,
      };
    }
    case 'pattern': {
      const description = (error.parentSchema?.description as string | undefined) ?? `text matching ${String(params.pattern)}`;
      return {
        ...here,
        message: `${describeValue(error.data)} is not valid here: expected ${lowerFirst(description)}`,
        fix: `change it to ${lowerFirst(trimPeriod(description))}`,
      };
    }
    case 'format': {
      const format = String(params.format);
      const words = FORMAT_DESCRIPTIONS[format] ?? `a value in ${format} format`;
      return { ...here, message: `${describeValue(error.data)} is not ${words}`, fix: `write ${words}${hint}` };
    }
    case 'propertyNames': {
      const name = String(params.propertyName);
      const description = (error.schema as JsonSchema | undefined)?.description as string | undefined;
      const keyPath = [...path, name];
      const suggestion = dnsLabelSuggestion(name, error.schema as JsonSchema | undefined);
      return {
        path: keyPath,
        at: { path: keyPath, key: true },
        message: `invalid name '${name}'${description ? `: expected ${lowerFirst(trimPeriod(description))}` : ''}`,
        fix: suggestion ? `rename '${name}', e.g. to '${suggestion}'` : `rename '${name}'`,
      };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const words = { minimum: 'at least', maximum: 'at most', exclusiveMinimum: 'greater than', exclusiveMaximum: 'less than' }[
        error.keyword
      ];
      return {
        ...here,
        message: `must be ${words} ${params.limit}, but is ${describeValue(error.data)}`,
        fix: `use a number that is ${words} ${params.limit}${hint}`,
      };
    }
    case 'multipleOf':
      return { ...here, message: `must be a multiple of ${params.multipleOf}`, fix: `use a multiple of ${params.multipleOf}` };
    case 'minLength':
      return params.limit === 1
        ? { ...here, message: 'must not be empty', fix: `write a value${hint}` }
        : { ...here, message: `must be at least ${params.limit} characters long`, fix: `write a longer value${hint}` };
    case 'maxLength':
      return {
        ...here,
        message: `must be at most ${params.limit} characters long`,
        fix: `shorten it to ${params.limit} characters or fewer`,
      };
    case 'minItems':
      return {
        ...here,
        message: `must list at least ${params.limit} item${params.limit === 1 ? '' : 's'}`,
        fix: `add ${params.limit === 1 ? 'an item' : 'items'}${hint}`,
      };
    case 'maxItems':
      return { ...here, message: `must list at most ${params.limit} item${params.limit === 1 ? '' : 's'}`, fix: 'remove items' };
    case 'uniqueItems':
      return { ...here, message: `lists the same item twice (items ${params.j} and ${params.i})`, fix: `remove item ${params.i}` };
    case 'minProperties':
      return {
        ...here,
        message: `must have at least ${params.limit} entr${params.limit === 1 ? 'y' : 'ies'}`,
        fix: path.length === 1 && path[0] === 'clusters' ? "add a cluster, e.g. 'demo: {}'" : `add an entry${hint}`,
      };
    case 'maxProperties':
      return { ...here, message: `must have at most ${params.limit} entries`, fix: 'remove entries' };
    case 'oneOf':
      return {
        ...here,
        message: 'matches more than one of the allowed forms, so its meaning is ambiguous',
        fix: `keep to one form${hint}`,
      };
    case 'not':
      return { ...here, message: 'has a value that is not allowed here', fix: `change it${hint}` };
    case 'dependencies':
    case 'dependentRequired': {
      const key = String(params.missingProperty);
      return {
        path: [...path, key],
        at: { path, key: false },
        message: `'${params.property}' needs '${key}' to be set too`,
        fix: `add '${key}' next to '${params.property}'`,
      };
    }
    default:
      return { ...here, message: error.message ?? `fails the '${error.keyword}' rule`, fix: `change it${hint}` };
  }
}

function typeFix(types: string[], data: unknown, hint: string): string {
  if (types.includes('object') && (data === null || data === undefined))
    return "write '{}' for an empty map, or add indented 'key: value' lines below it";
  if (types.includes('array') && (data === null || data === undefined))
    return "write '[]' for an empty list, or add '- item' lines below it";
  if (types.includes('string') && (typeof data === 'number' || typeof data === 'boolean')) {
    return `quote it so YAML reads text: "${String(data)}"`;
  }
  return `change it to ${joinOr(types.map(typeInWords))}${hint}`;
}

function typeInWords(type: string): string {
  return (
    {
      string: 'a string',
      number: 'a number',
      integer: 'a whole number',
      boolean: 'true or false',
      object: 'a map (key: value entries)',
      array: 'a list',
      null: 'empty',
    }[type] ?? type
  );
}

/** What a schema accepts, in a few words (for "must be A or B"). */
function describeSchema(schema: JsonSchema): string {
  if ('const' in schema) return formatValue(schema.const);
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map(formatValue).join(', ')}`;
  if (typeof schema.type === 'string') return typeInWords(schema.type);
  if (Array.isArray(schema.type)) return joinOr(schema.type.map((t) => typeInWords(String(t))));
  if (typeof schema.description === 'string') return lowerFirst(trimPeriod(schema.description));
  return 'another form';
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  if (typeof value === 'number') return `the number ${value}`;
  return String(value);
}

function formatValue(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

function exampleValue(schema: JsonSchema): string | undefined {
  const example =
    'const' in schema ? schema.const : 'default' in schema ? schema.default : Array.isArray(schema.enum) ? schema.enum[0] : undefined;
  if (example === undefined) return schema.type === 'object' ? '{}' : undefined;
  return typeof example === 'string' ? example : JSON.stringify(example);
}

/** ` (first sentence of the description)`, to remind what the field is for; '' without a description. */
function descriptionHint(schema: JsonSchema | undefined): string {
  const description = schema?.description;
  if (typeof description !== 'string') return '';
  const firstSentence = description.split(/\.\s+(?=[A-Z`])/)[0]!;
  return ` (${lowerFirst(trimPeriod(firstSentence))})`;
}

/** For a badly formed name, the nearest DNS-style name that the schema would accept, if any. */
function dnsLabelSuggestion(name: string, schema: JsonSchema | undefined): string | undefined {
  if (typeof schema?.pattern !== 'string') return undefined;
  const candidate = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
  return candidate && candidate !== name && new RegExp(schema.pattern, 'u').test(candidate) ? candidate : undefined;
}

function joinOr(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

function lowerFirst(text: string): string {
  // Keep acronyms (DNS-1123, IPv4) intact.
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

function trimPeriod(text: string): string {
  return text.replace(/\.\s*$/, '');
}

function dedupe(problems: SchemaProblem[]): SchemaProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${formatFieldPath(problem.path)}|${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
