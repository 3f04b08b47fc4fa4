// What the BUILT binary (packages/cli/dist/bin.js, the esbuild bundle from `scripts/pnpm build`) loads at
// start-up, counted with a module hook — structure, never time: timings live in `pnpm bench`. A change that
// pulls heavy code back onto the start path (an eager import of listr2, the Kubernetes client, node:http's
// facade...) fails here with the list of what was loaded.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './__fixtures__/run-cli.js';

const BIN = join(REPO, 'packages/cli/dist/bin.js');
const EXAMPLE = 'examples/linkerd-multicluster/topology.yaml';

let hook: string;
beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`scripts/pnpm build\` (tsc, then the esbuild bundle) first`);
  hook = join(mkdtempSync(join(tmpdir(), 'meshspec-bundle-test-')), 'record-loads.mjs');
  // Every module Node loads (ESM and require), written to stderr as one line each.
  writeFileSync(
    hook,
    "import { registerHooks } from 'node:module';\nregisterHooks({ load(url, ctx, next) { process.stderr.write(`LOADED ${url}\\n`); return next(url, ctx); } });\n",
  );
});

function loadsOf(args: string[]): { status: number | null; files: string[]; builtins: string[]; output: string } {
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(hook).href, BIN, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const loaded = [...r.stderr.matchAll(/^LOADED (\S+)$/gm)].map((m) => m[1]!);
  return {
    status: r.status,
    files: loaded.filter((u) => u.startsWith('file:')).map((u) => u.replace(pathToFileURL(REPO).href + '/', '')),
    builtins: loaded.filter((u) => u.startsWith('node:')),
    output: `${r.stdout}${r.stderr.replace(/^LOADED .*\n/gm, '')}`,
  };
}

/** Newest mtime of tsc's JavaScript output under a package's dist (the bundles excluded). */
function newestTscOutput(dir: string): { file: string; mtimeMs: number } {
  let newest = { file: '', mtimeMs: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = join(entry.parentPath, entry.name);
    if (!entry.isFile() || !file.endsWith('.js') || /\/dist\/(bundle|chunks)\/|\/dist\/(bin|index)\.js$/.test(file)) continue;
    const { mtimeMs } = statSync(file);
    if (mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  }
  return newest;
}

describe('the bundled binary (built dist/bin.js)', () => {
  it('is not older than the tsc output it is bundled from (`tsc -b` alone leaves it stale: run `scripts/pnpm build`)', () => {
    const bundles = [BIN, join(REPO, 'packages/core/dist/bundle/index.js')];
    const oldestBundle = Math.min(...bundles.map((f) => statSync(f).mtimeMs));
    const stale = ['core', 'cli', 'plugin-kind', 'plugin-metallb', 'plugin-linkerd', 'plugin-smi', 'plugin-ingress', 'plugin-workloads']
      .map((p) => newestTscOutput(join(REPO, 'packages', p, 'dist')))
      .filter((n) => n.mtimeMs > oldestBundle);
    expect(
      stale.map((n) => n.file),
      'compiled after the bundle was made: run `scripts/pnpm build`',
    ).toEqual([]);
  });

  it('--help loads the entry, the CLI main chunk and shared chunks only (at most four files), nothing of @meshspec/core', () => {
    const help = loadsOf(['--help']);
    expect(help.status, help.output).toBe(0);
    expect(help.output).toContain('Usage: meshspec <command>');
    expect(
      help.files.every((f) => f.startsWith('packages/cli/dist/')),
      help.files.join('\n'),
    ).toBe(true);
    // bin.js, main, one shared chunk, and esbuild's runtime helpers (__require/__commonJS: 1.6 KiB), which
    // esbuild splits out once more than one chunk needs them (since the plan pictures and scheduler landed).
    expect(help.files.length, help.files.join('\n')).toBeLessThanOrEqual(4);
  });

  it('validate of the seed example loads the bundles only, never the heavy lazy parts', () => {
    // The first validate after a schema change compiles the validator with ajv and caches it; what must stay
    // light is every start after that (a fresh clone, or any plugin change, starts cold).
    loadsOf(['validate', EXAMPLE]);
    const run = loadsOf(['validate', EXAMPLE]);
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain('valid — 2 clusters');
    const outsideBundles = run.files.filter((f) => !f.startsWith('packages/cli/dist/') && !f.startsWith('packages/core/dist/bundle/'));
    // The schema validator comes from the cache as a module (so Node's compile cache keeps its code too).
    const cachedValidators = outsideBundles.filter((f) => /\/schema-[0-9a-f]{32}\.cjs$/.test(f));
    expect(cachedValidators, outsideBundles.join('\n')).toHaveLength(1);
    // It requires a few of ajv's runtime helpers (and ajv's package.json for the cache key).
    expect(
      outsideBundles.filter(
        (f) =>
          !cachedValidators.includes(f) && !/node_modules\/\.pnpm\/ajv@[^/]+\/node_modules\/ajv\/(package\.json|dist\/runtime\/)/.test(f),
      ),
      outsideBundles.join('\n'),
    ).toEqual([]);
    // tsc's per-file output is not what runs.
    expect(run.files.filter((f) => /packages\/[^/]+\/dist\/(?!bundle\/|chunks\/|bin\.js|index\.js)/.test(f))).toEqual([]);
    // scripts/bundle.mjs records which sources went into each output file.
    const meta = (dir: string) =>
      JSON.parse(readFileSync(join(REPO, dir, '.esbuild-meta.json'), 'utf8')) as { outputs: Record<string, { inputs: string[] }> };
    const metas = [
      ['packages/cli/dist/', meta('packages/cli/dist')],
      ['packages/core/dist/bundle/', meta('packages/core/dist/bundle')],
    ] as const;
    const inputsOf = (f: string) => metas.flatMap(([dir, m]) => (f.startsWith(dir) ? (m.outputs[f.slice(dir.length)]?.inputs ?? []) : []));
    const inlined = new Set(
      run.files.flatMap(inputsOf).flatMap((i) => [...i.matchAll(/node_modules\/\.pnpm\/(@?[^@/]+)@/g)].map((m) => m[1]!)),
    );
    expect(inlined.has('yaml'), [...inlined].join(', ')).toBe(true);
    // ...once: the built-in plugins' `yaml` is core's copy (@meshspec/core/yaml), not a second one in the CLI.
    const cliOutputsWithYaml = Object.entries(metas[0][1].outputs)
      .filter(([file, o]) => file !== 'chunks/lb-controller.js' && o.inputs.some((i) => i.includes('node_modules/.pnpm/yaml@')))
      .map(([file]) => file);
    expect(cliOutputsWithYaml, 'a second copy of yaml in the CLI bundle').toEqual([]);
    const heavy = ['listr2', 'execa', '@peculiar+x509', 'ajv', 'log-update', 'cli-truncate', '@kubernetes+client-node'];
    expect(
      heavy.filter((p) => inlined.has(p)),
      'heavy packages stay in lazy chunks',
    ).toEqual([]);
    const commandChunks = run.files.filter((f) => /\/chunks\/(apply|status|verify|rotate|doctor|plan|schema)-[A-Z0-9]+\.js$/.test(f));
    expect(commandChunks, 'only the validate command is loaded').toEqual([]);
    expect(run.builtins, 'node:http is for verify; loading it as an ES module pulls in undici (~20 ms)').not.toContain('node:http');
    expect(run.files.length, run.files.join('\n')).toBeLessThanOrEqual(40);
  });
});
