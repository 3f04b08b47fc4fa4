import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkLimit } from '../engine/resource-limits.js';
import { PluginError } from '../errors.js';
import { isPlugin } from '../plugin/define.js';
import type { Plugin } from '../plugin/types.js';

/** A plugin reference in config: a module specifier, `[specifier, options]`, or a plugin object (JS configs). */
export type PluginReference = string | [string, unknown] | Plugin;

export interface MeshspecConfig {
  /** Extra plugins, loaded after the built-in ones. */
  plugins?: PluginReference[];
  /** Overrides the default state directory (`.meshspec/<topology name>/` beside the topology file). */
  stateDir?: string;
  /** Default for `--concurrency`. */
  concurrency?: number;
  /** Steps per resource at once, e.g. `{ 'cluster-create': 2 }`, over this machine's defaults; `--parallel` wins. */
  parallel?: Record<string, number>;
}

export interface LoadedConfig {
  config: MeshspecConfig;
  /** The file the config came from, if any. */
  filepath?: string;
}

const MODULE = 'meshspec';
export const CONFIG_SEARCH_PLACES = [
  'package.json',
  'meshspec.config.js',
  'meshspec.config.mjs',
  'meshspec.config.cjs',
  'meshspec.config.json',
  'meshspec.config.yaml',
  'meshspec.config.yml',
];

/**
 * Finds meshspec config with cosmiconfig, searching from `searchFrom` (the topology's folder) up to the
 * nearest package.json folder, or loads `explicitPath` when given (`--config`).
 */
export async function loadConfig(options: { searchFrom: string; explicitPath?: string; cwd?: string }): Promise<LoadedConfig> {
  // Most projects have no meshspec config: saying so from a few stat calls spares every command loading
  // cosmiconfig (~130 KB with its YAML and JSON parsers, ~13 ms of a ~45 ms node start; issue 11).
  if (!options.explicitPath && !configMayExist(resolve(options.searchFrom), options.cwd ?? process.cwd())) return { config: {} };
  const { cosmiconfig } = await import('cosmiconfig');
  const explorer = cosmiconfig(MODULE, { searchPlaces: CONFIG_SEARCH_PLACES, searchStrategy: 'project' });
  let result;
  try {
    result = options.explicitPath ? await explorer.load(resolve(options.explicitPath)) : await explorer.search(options.searchFrom);
  } catch (error) {
    const where = options.explicitPath ?? `config near ${options.searchFrom}`;
    throw new PluginError(`cannot read meshspec config ${where}: ${(error as Error).message}`);
  }
  if (!result || result.isEmpty) return { config: {} };
  return { config: checkConfigShape(result.config, result.filepath), filepath: result.filepath };
}

/** cosmiconfig's own "meta config" (which may change where it searches): looked for in the working directory. */
const COSMICONFIG_META_FILES = ['package.yaml', '.config/config.json', '.config/config.yaml', '.config/config.yml'];

/**
 * False only when cosmiconfig's search (strategy 'project', CONFIG_SEARCH_PLACES) certainly finds nothing:
 * no meshspec.config.* from `searchFrom` up to the nearest folder with a package.json or package.yaml, no
 * "meshspec" key in that package.json, and no cosmiconfig meta config in `cwd`. Anything unusual (a
 * package.json that does not parse, say) answers true, so cosmiconfig itself decides and reports.
 */
export function configMayExist(searchFrom: string, cwd: string): boolean {
  if (packageJsonHasKey(join(cwd, 'package.json'), 'cosmiconfig') || COSMICONFIG_META_FILES.some((f) => existsSync(join(cwd, f)))) {
    return true;
  }
  for (let dir = searchFrom; ; dir = dirname(dir)) {
    if (CONFIG_SEARCH_PLACES.some((place) => place !== 'package.json' && existsSync(join(dir, place)))) return true;
    const packageJson = join(dir, 'package.json');
    if (packageJsonHasKey(packageJson, MODULE)) return true;
    if (existsSync(packageJson) || existsSync(join(dir, 'package.yaml'))) return false; // where cosmiconfig stops
    if (dirname(dir) === dir) return false;
  }
}

/** Whether a package.json has `key` at the top; true also when it exists but cannot be read as JSON. */
function packageJsonHasKey(file: string, key: string): boolean {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed !== 'object' || parsed === null || Object.hasOwn(parsed, key);
  } catch {
    return true;
  }
}

function checkConfigShape(raw: unknown, filepath: string): MeshspecConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new PluginError(`${filepath}: meshspec config must be an object like { plugins: ['./my-plugin.js'] }`);
  }
  const known = new Set(['plugins', 'stateDir', 'concurrency', 'parallel']);
  const unknown = Object.keys(raw).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new PluginError(
      `${filepath}: unknown config key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}; allowed: plugins, stateDir, concurrency, parallel`,
    );
  }
  const config = raw as MeshspecConfig;
  if (config.plugins !== undefined && !Array.isArray(config.plugins)) {
    throw new PluginError(`${filepath}: 'plugins' must be a list, e.g. plugins: ['./my-plugin.js', '@acme/meshspec-plugin-x']`);
  }
  if (config.concurrency !== undefined && (!Number.isInteger(config.concurrency) || config.concurrency < 1)) {
    throw new PluginError(`${filepath}: 'concurrency' must be a whole number >= 1`);
  }
  if (config.parallel !== undefined) {
    if (typeof config.parallel !== 'object' || config.parallel === null || Array.isArray(config.parallel)) {
      throw new PluginError(`${filepath}: 'parallel' must map resources to limits, e.g. parallel: { cluster-create: 2, helm: 4 }`);
    }
    const problems = Object.entries(config.parallel).flatMap(([name, value]) => {
      const problem = checkLimit(name, value);
      return problem ? [`parallel.${name}: ${problem}`] : [];
    });
    if (problems.length > 0) throw new PluginError(`${filepath}: ${problems.join('; ')}`);
  }
  return config;
}

/** Imports the plugins a config names. Relative paths are relative to the config file; package names resolve from there too. */
export async function loadConfiguredPlugins(loaded: LoadedConfig): Promise<Plugin[]> {
  const baseDir = loaded.filepath ? dirname(loaded.filepath) : process.cwd();
  const plugins: Plugin[] = [];
  for (const ref of loaded.config.plugins ?? []) {
    plugins.push(await loadPluginReference(ref, baseDir, loaded.filepath ?? '<config>'));
  }
  return plugins;
}

async function loadPluginReference(ref: PluginReference, baseDir: string, configFile: string): Promise<Plugin> {
  if (isPlugin(ref)) return ref;
  const [specifier, options] = typeof ref === 'string' ? [ref, undefined] : Array.isArray(ref) ? ref : [undefined, undefined];
  if (typeof specifier !== 'string') {
    throw new PluginError(
      `${configFile}: a plugin entry must be a module path, [path, options] or a plugin object; got ${JSON.stringify(ref)}`,
    );
  }
  const url = resolvePluginSpecifier(specifier, baseDir, configFile);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new PluginError(`${configFile}: plugin '${specifier}' failed to load: ${(error as Error).message}`);
  }
  const exported = mod.default ?? mod.plugin;
  const plugin = typeof exported === 'function' && !isPlugin(exported) ? await (exported as (o: unknown) => unknown)(options) : exported;
  if (!isPlugin(plugin)) {
    throw new PluginError(
      `${configFile}: '${specifier}' does not export a plugin; export default definePlugin({ ... }) from '@meshspec/core' (or a function returning one)`,
    );
  }
  return plugin;
}

function resolvePluginSpecifier(specifier: string, baseDir: string, configFile: string): string {
  if (specifier.startsWith('.') || isAbsolute(specifier)) return pathToFileURL(resolve(baseDir, specifier)).href;
  try {
    // Resolve from the config's folder so a project's own node_modules wins over meshspec's.
    return pathToFileURL(createRequire(resolve(baseDir, 'noop.js')).resolve(specifier)).href;
  } catch {
    try {
      return import.meta.resolve(specifier);
    } catch {
      throw new PluginError(
        `${configFile}: plugin package '${specifier}' is not installed; run \`pnpm add -D ${specifier}\` (or npm/yarn) in ${baseDir}`,
      );
    }
  }
}
