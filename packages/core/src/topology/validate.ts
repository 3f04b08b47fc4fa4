// Topology text -> resolved Topology, or a TopologyError holding every problem found, in file order.
import type { Diagnostic } from '../errors.js';
import { isWarning, PluginError, TopologyError } from '../errors.js';
import { providerConflicts } from '../plugin/clusters.js';
import { factsAccess } from '../plugin/facts.js';
import { orderPlugins } from '../plugin/registry.js';
import type { FactsAccess, JsonSchema, Plugin, Topology, ValidateContext } from '../plugin/types.js';
import { composeSchema } from '../schema/compose.js';
import { explainSchemaErrors, type SchemaProblem } from '../schema/explain-errors.js';
import { schemaValidator } from '../schema/validator-cache.js';
import { parseTopologyText, type ParsedTopologySource } from './parse.js';
import { formatFieldPath, type FieldPath } from './path.js';

export interface ValidateTopologyOptions {
  text: string;
  /** Shown in diagnostics; the path as the user gave it reads best. */
  file: string;
  plugins: readonly Plugin[];
}

export interface ValidatedTopology {
  topology: Topology;
  source: ParsedTopologySource;
  /** Plugin diagnostics marked as warnings (deprecations...): positioned, with a fix, not rejecting. */
  warnings: Diagnostic[];
}

/**
 * Parses and checks a topology in stages: YAML, schema, then (only when those pass, since plugins rely
 * on the shape) each plugin's `resolve` in dependency order, core checks and each plugin's `validate`.
 * Throws TopologyError with all diagnostics of the first failing stage, sorted by position.
 * Plugin conflicts (names, keys, dependencies) throw PluginError: they are config problems, not topology ones.
 */
export async function validateTopology({ text, file, plugins }: ValidateTopologyOptions): Promise<ValidatedTopology> {
  const ordered = orderPlugins(plugins);
  const schema = composeSchema(ordered);
  const parsed = parseTopologyText(text, file);
  const { source } = parsed;
  const fail = (diagnostics: Diagnostic[]): never => {
    // source.text, not text: it is what positions count in (lone CRs read as line breaks; empty when refused for size).
    throw new TopologyError(sortDiagnostics(diagnostics.map(insideLine)), { [file]: source.text });
  };
  const insideLine = lineClamp(source.text);

  // Malformed YAML yields data the author did not write; schema errors about it would mislead.
  if (parsed.malformed) fail(parsed.diagnostics);

  const problems = await checkSchema(schema, parsed.data);
  // Under a duplicated key the data holds only the last occurrence; the duplicate diagnostic is the story.
  // A Set and the path's own prefixes: thousands of duplicates times thousands of schema errors must stay linear.
  const duplicated = new Set(parsed.diagnostics.filter((d) => d.path !== '').map((d) => d.path));
  const schemaDiagnostics = problems
    .map((problem) => schemaDiagnostic(problem, source))
    .filter((d) => duplicated.size === 0 || !pathPrefixes(d.path).some((prefix) => duplicated.has(prefix)));
  const shapeDiagnostics = [...parsed.diagnostics, ...schemaDiagnostics].map((d) => withSectionHint(d, ordered));
  if (shapeDiagnostics.length > 0) fail(shapeDiagnostics);

  let topology = parsed.data as Topology;
  const resolveDiagnostics: Diagnostic[] = [];
  for (const plugin of ordered) {
    if (!plugin.resolve) continue;
    try {
      topology = plugin.resolve(topology, topology[plugin.key]) ?? topology;
    } catch (error) {
      resolveDiagnostics.push(pluginCrash(plugin, 'filling in defaults', error, source));
      break; // later plugins would see a half-resolved topology
    }
  }
  if (resolveDiagnostics.length > 0) fail(resolveDiagnostics);

  const diagnostics = [...coreChecks(topology, source), ...providerConflicts(topology, ordered, validateContext(source, 'core'))];
  for (const plugin of ordered) {
    if (!plugin.validate) continue;
    const ctx = validateContext(source, plugin.name, factsAccess(topology, plugin, ordered));
    try {
      const found = plugin.validate(topology, topology[plugin.key], ctx) ?? [];
      diagnostics.push(...found.map((diagnostic) => ({ ...diagnostic, source: diagnostic.source || plugin.name })));
    } catch (error) {
      diagnostics.push(pluginCrash(plugin, 'validating', error, source));
    }
  }
  // Warnings ride along with the errors so one run shows everything; alone they do not reject.
  if (diagnostics.some((d) => !isWarning(d))) fail(diagnostics);
  return { topology, source, warnings: sortDiagnostics(diagnostics) };
}

/** `a.b[0].c` -> `a`, `a.b`, `a.b[0]`, `a.b[0].c`. */
function pathPrefixes(path: string): string[] {
  const prefixes: string[] = [];
  for (let i = 1; i < path.length; i++) if (path[i] === '.' || path[i] === '[') prefixes.push(path.slice(0, i));
  prefixes.push(path);
  return prefixes;
}

/**
 * Positions always inside the file and the line (at most one past its last character), whatever a
 * plugin or the YAML library computed: an editor jumps there and the caret sits under real text.
 */
function lineClamp(text: string): (diagnostic: Diagnostic) => Diagnostic {
  let lengths: number[] | undefined;
  return (diagnostic) => {
    lengths ??= text.split('\n').map((line) => line.replace(/\r$/, '').length);
    const line = Math.min(Math.max(1, Math.trunc(diagnostic.line) || 1), lengths.length);
    const column = Math.min(Math.max(1, Math.trunc(diagnostic.column) || 1), lengths[line - 1]! + 1);
    return line === diagnostic.line && column === diagnostic.column ? diagnostic : { ...diagnostic, line, column };
  };
}

async function checkSchema(schema: JsonSchema, data: unknown): Promise<SchemaProblem[]> {
  const validate = await schemaValidator(schema);
  if (validate(data)) return [];
  return explainSchemaErrors(validate.errors ?? []);
}

/**
 * A top-level key named after a plugin whose section key differs (the kind plugin's section is
 * `kindClusters`, since `kind:` is the document kind) gets a fix that names the right key.
 */
function withSectionHint(diagnostic: Diagnostic, plugins: readonly Plugin[]): Diagnostic {
  const misplacedKey = diagnostic.message.startsWith('duplicate key') || diagnostic.message.startsWith('unknown key');
  const plugin = misplacedKey ? plugins.find((p) => p.name === diagnostic.path && p.key !== p.name) : undefined;
  if (!plugin) return diagnostic;
  const core = diagnostic.path === 'kind' ? " ('kind:' itself is the document kind, always 'kind: Topology')" : '';
  return { ...diagnostic, fix: `settings of the ${plugin.name} plugin go under '${plugin.key}:'${core}` };
}

function schemaDiagnostic(problem: SchemaProblem, source: ParsedTopologySource): Diagnostic {
  const position = problem.at.key ? source.keyPositionOf(problem.at.path) : source.positionOf(problem.at.path);
  return {
    file: source.file,
    ...position,
    path: formatFieldPath(problem.path),
    message: problem.message,
    fix: problem.fix,
    source: 'schema',
  };
}

export function validateContext(
  source: ParsedTopologySource,
  sourceName: string,
  facts: FactsAccess = noFacts(sourceName),
): ValidateContext {
  return {
    source,
    facts: <F>(plugin: Plugin<never, F>): F => facts.facts(plugin),
    get clusters() {
      return facts.clusters;
    },
    diagnostic(path: FieldPath, message: string, fix?: string): Diagnostic {
      const diagnostic: Diagnostic = {
        file: source.file,
        ...source.positionOf(path),
        path: formatFieldPath(path),
        message,
        source: sourceName,
      };
      if (fix !== undefined) diagnostic.fix = fix;
      return diagnostic;
    },
  };
}

function noFacts(sourceName: string): FactsAccess {
  return {
    facts(plugin) {
      throw new PluginError(
        `${sourceName} cannot read the facts of plugin ${plugin.name} here: no topology was given to this validate context`,
      );
    },
    get clusters(): never {
      throw new PluginError(`${sourceName} cannot read the clusters here: no topology was given to this validate context`);
    },
  };
}

/** Checks no single plugin owns: every cluster must end up with a kube context, and contexts are not shared. */
function coreChecks(topology: Topology, source: ParsedTopologySource): Diagnostic[] {
  const ctx = validateContext(source, 'core');
  const diagnostics: Diagnostic[] = [];
  const byContext = new Map<string, string>();
  for (const [name, cluster] of Object.entries(topology.clusters)) {
    const context = cluster?.context;
    if (typeof context !== 'string' || context === '') {
      diagnostics.push(
        ctx.diagnostic(
          ['clusters', name],
          `cluster '${name}' has no kube context`,
          `set 'context: <kube context>' on it, or add a section (such as kind) whose plugin creates the cluster`,
        ),
      );
      continue;
    }
    const other = byContext.get(context);
    if (other !== undefined) {
      diagnostics.push(
        ctx.diagnostic(
          ['clusters', name, 'context'],
          `clusters '${other}' and '${name}' both use the kube context '${context}'`,
          `give each cluster its own context; they must be different clusters`,
        ),
      );
    } else byContext.set(context, name);
  }
  return diagnostics;
}

function pluginCrash(plugin: Plugin, doing: string, error: unknown, source: ParsedTopologySource): Diagnostic {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    file: source.file,
    // The plugin's section when present; positionOf falls back to the top of the file otherwise.
    ...source.positionOf([plugin.key]),
    path: plugin.key,
    message: `plugin '${plugin.name}' failed while ${doing}: ${reason}`,
    fix: `this is a bug in the ${plugin.name} plugin (it must report problems as diagnostics); report it with this topology, and check the ${plugin.key} section meanwhile`,
    source: plugin.name,
  };
}

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.path.localeCompare(b.path),
  );
}
