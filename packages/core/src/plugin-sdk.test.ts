// `@meshspec/core/plugin` is the plugin author's entry: what plugins need, never the engine that runs them.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as engine from './index.js';
import * as sdk from './plugin-sdk.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Engine internals: running plans, state, sessions, drivers, config loading, schema composition. */
const ENGINE_ONLY = [
  'runPlan',
  'buildPlan',
  'collectSteps',
  'selectSteps',
  'criticalPath',
  'StateStore',
  'FileSecretStore',
  'createSecretStore',
  'acquireLock',
  'Session',
  'createCommandRunner',
  'createKubeClientFactory',
  'createHelmDriver',
  'createPodReaderFactory',
  'createLogger',
  'loadConfig',
  'loadConfiguredPlugins',
  'validateTopology',
  'loadTopologyFile',
  'composeSchema',
  'orderPlugins',
  'factsAccess',
  'factsOf',
  'formatDiagnostics',
];

describe('@meshspec/core/plugin', () => {
  it('exports no engine internals', () => {
    for (const name of ENGINE_ONLY) expect(engine, `${name} should still be an engine export`).toHaveProperty(name);
    expect(Object.keys(sdk).filter((name) => ENGINE_ONLY.includes(name))).toEqual([]);
  });

  it('exports what plugins use, each also on the engine entry (one implementation)', () => {
    for (const name of [
      'definePlugin',
      'stepId',
      'defineConfig',
      'contextOf',
      'applyPlanLine',
      'appliedObjectHooks',
      'asWarning',
      'StepError',
      'CommandError',
      'KubeError',
      'parseManifestText',
      'formatCidr',
      'withClientPod',
      'judgeSplit',
    ]) {
      expect(sdk, name).toHaveProperty(name);
    }
    for (const [name, value] of Object.entries(sdk)) expect(engine[name as keyof typeof engine], name).toBe(value);
  });

  it('defineConfig returns the config it is given', () => {
    const config = { plugins: ['./banner-plugin.mjs'], concurrency: 2 };
    expect(sdk.defineConfig(config)).toBe(config);
  });
});

function sourcesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourcesOf(path);
    return /\.(ts|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

describe('plugins import the plugin entry', () => {
  const plugins = readdirSync(join(REPO, 'packages')).filter((name) => name.startsWith('plugin-'));
  const files = [
    ...plugins.flatMap((name) => sourcesOf(join(REPO, 'packages', name, 'src'))),
    ...sourcesOf(join(REPO, 'examples/custom-plugin')),
  ];

  it('finds the plugins', () => {
    expect(plugins).toEqual(
      expect.arrayContaining(['plugin-kind', 'plugin-metallb', 'plugin-linkerd', 'plugin-smi', 'plugin-ingress', 'plugin-workloads']),
    );
    expect(files.length).toBeGreaterThan(50);
  });

  it("no built-in plugin (or the example plugin) imports the engine entry '@meshspec/core'", () => {
    // Sources use @meshspec/core/plugin; tests may add @meshspec/core/testing.
    const offenders = files.filter((file) =>
      /from\s+['"]@meshspec\/core['"]|import\(\s*['"]@meshspec\/core['"]\s*\)/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders.map((file) => relative(REPO, file))).toEqual([]);
  });
});
