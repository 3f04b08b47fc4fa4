// Packs every workspace package with `pnpm pack` (as `pnpm publish` would), installs `meshspec` from those
// tarballs into an empty folder outside the repository, and uses it as someone who never cloned the repo
// would: `meshspec validate` and `meshspec plan` on an example, then with a plugin written in a third
// folder — its own package.json depending on the packed `@meshspec/core` — named by a meshspec.config.mjs.
//
// It is in the integration project because it is slow (pack + two installs, ~20-60 s), not because it
// talks to a cluster: it does not. The installs use pnpm with --prefer-offline, so dependencies come from
// the local store the workspace was installed from; the npm registry is only asked for what is missing.
// It needs the build (`scripts/pnpm build`): the tarballs hold dist/, exactly what would be published.
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './harness/control-plane.js';

const PNPM = join(REPO_ROOT, 'scripts/pnpm');
// Every folder of packages/: a new package (plugin-kwok was one) is packed and checked without editing this list.
const PACKAGES = readdirSync(join(REPO_ROOT, 'packages'))
  .filter((dir) => existsSync(join(REPO_ROOT, 'packages', dir, 'package.json')))
  .sort();
const PLUGINS = PACKAGES.filter((p) => p.startsWith('plugin-'));
const EXAMPLE = join(REPO_ROOT, 'examples/linkerd-multicluster/topology.yaml');

interface Manifest {
  name: string;
  version: string;
  description?: string;
  license?: string;
  repository?: { url?: string };
  engines?: { node?: string };
  bin?: Record<string, string>;
  exports?: Record<string, { types?: string; default?: string }>;
  files?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

let work: string;
const tarballs = new Map<string, string>();
const packed = new Map<string, { manifest: Manifest; files: string[] }>();

/** The node running the tests, first on PATH: the pnpm bin shims run `node`. */
const env = () => ({
  ...process.env,
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
  NO_COLOR: '1',
  CI: 'true',
  MESHSPEC_CACHE_DIR: join(work, 'cache'),
});

function run(cmd: string, args: string[], cwd: string, timeout = 300_000): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env: env(), encoding: 'utf8', timeout });
}

function mustRun(cmd: string, args: string[], cwd: string): string {
  const r = run(cmd, args, cwd);
  if (r.status !== 0) throw new Error(`\`${cmd} ${args.join(' ')}\` in ${cwd} exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const shown = (r: SpawnSyncReturns<string>) => `exit ${r.status}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;

/** pnpm, installing from file: tarballs, outside any workspace. */
function install(dir: string): void {
  mustRun(
    PNPM,
    ['--dir', dir, 'install', '--prefer-offline', '--no-frozen-lockfile', '--config.confirmModulesPurge=false', '--reporter=append-only'],
    dir,
  );
}

beforeAll(() => {
  const missing = ['packages/cli/dist/bin.js', 'packages/core/dist/bundle/index.js'].filter((f) => !existsSync(join(REPO_ROOT, f)));
  if (missing.length > 0)
    throw new Error(`the packed packages hold the build, and it is missing (${missing.join(', ')}): run \`scripts/pnpm build\` first`);
  work = mkdtempSync(join(realpathSync(tmpdir()), 'meshspec-pack-'));
  if (!relative(REPO_ROOT, work).startsWith('..')) throw new Error(`${work} is inside the repository; the install must happen outside it`);
  const out = join(work, 'tarballs');
  mkdirSync(out);
  mustRun(PNPM, ['-r', '--filter', './packages/*', 'pack', '--pack-destination', out], REPO_ROOT);
  for (const file of readdirSync(out).filter((f) => f.endsWith('.tgz'))) {
    const path = join(out, file);
    const manifest = JSON.parse(execFileSync('tar', ['-xOzf', path, 'package/package.json'], { encoding: 'utf8' })) as Manifest;
    const files = execFileSync('tar', ['-tzf', path], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
    tarballs.set(manifest.name, path);
    packed.set(manifest.name, { manifest, files });
  }
}, 300_000);

afterAll(() => {
  if (work && !process.env.MESHSPEC_IT_KEEP) rmSync(work, { recursive: true, force: true });
});

const nameOf = (dir: string) => (dir === 'cli' ? 'meshspec' : `@meshspec/${dir}`);

describe('pnpm pack: every package is publishable (in the integration project for its time; no cluster)', () => {
  it('packs every package of packages/ (nine today: core, the CLI and seven plugins)', () => {
    expect(PACKAGES).toHaveLength(9);
    expect([...packed.keys()].sort()).toEqual(PACKAGES.map(nameOf).sort());
  });

  it.each(PACKAGES.map((dir) => [nameOf(dir)]))('%s: no workspace: specifier survives packing', (name) => {
    const { manifest } = packed.get(name)!;
    const specifiers = { ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.devDependencies };
    expect(Object.entries(specifiers).filter(([, v]) => v.startsWith('workspace:'))).toEqual([]);
  });

  it.each(PACKAGES.map((dir) => [nameOf(dir)]))(
    '%s: description, license, repository, engines, and every exports entry has types and a file in the tarball',
    (name) => {
      const { manifest, files } = packed.get(name)!;
      expect(manifest.description, 'description').toBeTruthy();
      expect(manifest.license).toBe('Apache-2.0');
      expect(manifest.repository?.url, 'repository.url').toMatch(/^git\+https:\/\//);
      expect(manifest.engines?.node).toBe('>=22.12');
      expect(Object.keys(manifest.exports ?? {})).toContain('.');
      for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
        expect(target.types, `exports['${subpath}'].types`).toMatch(/\.d\.ts$/);
        expect(files, `exports['${subpath}'].types is packed`).toContain(target.types!.replace(/^\.\//, ''));
        expect(files, `exports['${subpath}'].default is packed`).toContain(target.default!.replace(/^\.\//, ''));
      }
      expect(
        files.filter((f) => f.endsWith('.tsbuildinfo') || f.includes('.test.')),
        'no build info or tests in the tarball',
      ).toEqual([]);
    },
  );

  it.each(PLUGINS.map((dir) => [nameOf(dir)]))('%s: @meshspec/core is a peer dependency, not a dependency of its own', (name) => {
    const { manifest } = packed.get(name)!;
    expect(manifest.peerDependencies?.['@meshspec/core']).toBe(`^${manifest.version}`);
    expect(manifest.dependencies?.['@meshspec/core']).toBeUndefined();
  });

  it('meshspec: the `meshspec` bin is the bundle, and the bundle needs nothing but @meshspec/core', () => {
    const { manifest, files } = packed.get('meshspec')!;
    expect(manifest.bin).toEqual({ meshspec: './dist/bin.js' });
    expect(manifest.dependencies).toEqual({ '@meshspec/core': `^${manifest.version}` });
    // tsc's JavaScript is not shipped: only the bundle (bin.js, index.js, chunks/) and declarations.
    expect(files.filter((f) => f.startsWith('dist/tsc/') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files).toContain('dist/tsc/index.d.ts');
    const bin = execFileSync('tar', ['-xOzf', tarballs.get('meshspec')!, 'package/dist/bin.js'], { encoding: 'utf8' });
    expect(bin.startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});

describe('meshspec installed from the tarballs into an empty folder outside the repo (in the integration project for its time; no cluster)', () => {
  let project: string;
  let pluginDir: string;

  beforeAll(() => {
    project = join(work, 'project');
    mkdirSync(project);
    const core = `file:${tarballs.get('@meshspec/core')}`;
    writeFileSync(
      join(project, 'package.json'),
      `${JSON.stringify(
        {
          name: 'meshspec-pack-test-project',
          private: true,
          type: 'module',
          dependencies: { meshspec: `file:${tarballs.get('meshspec')}` },
          // Not published yet: point meshspec's `@meshspec/core@^0.1.0` at the packed one.
          pnpm: { overrides: { '@meshspec/core': core } },
        },
        null,
        2,
      )}\n`,
    );
    install(project);

    // A plugin author's folder, apart from the project: its own package.json, the packed core to develop
    // against, core as the peer the host provides.
    pluginDir = join(work, 'greeting-plugin');
    mkdirSync(pluginDir);
    writeFileSync(
      join(pluginDir, 'package.json'),
      `${JSON.stringify({ name: 'meshspec-plugin-greeting', version: '1.0.0', type: 'module', exports: './index.mjs', peerDependencies: { '@meshspec/core': '^0.1.0' }, devDependencies: { '@meshspec/core': core } }, null, 2)}\n`,
    );
    writeFileSync(join(pluginDir, 'index.mjs'), GREETING_PLUGIN);
    install(pluginDir);
  }, 600_000);

  const meshspec = (args: string[], cwd = project) => run(join(project, 'node_modules/.bin/meshspec'), args, cwd, 60_000);

  it('installs the bundle and only @meshspec/core beside it: the built-in plugins are inside the bundle', () => {
    const installed = join(project, 'node_modules');
    expect(realpathSync(join(installed, 'meshspec/dist/bin.js'))).not.toContain(REPO_ROOT);
    // What the bundle's `import '@meshspec/core'` resolves to: the packed core's bundle.
    const core = createRequire(realpathSync(join(installed, 'meshspec/dist/bin.js'))).resolve('@meshspec/core');
    expect(relative(work, core)).toMatch(
      /^project\/node_modules\/\.pnpm\/@meshspec\+core@file.*\/node_modules\/@meshspec\/core\/dist\/bundle\/index\.js$/,
    );
    expect(readdirSync(join(installed, '.pnpm')).filter((d) => d.startsWith('@meshspec+plugin-'))).toEqual([]);
    const version = meshspec(['version']);
    expect(version.status, shown(version)).toBe(0);
    expect(version.stdout.trim()).toBe(packed.get('meshspec')!.manifest.version);
  });

  it('meshspec validate and plan on an example copied into the project', () => {
    cpSync(EXAMPLE, join(project, 'topology.yaml'));
    const validate = meshspec(['validate', 'topology.yaml']);
    expect(validate.status, shown(validate)).toBe(0);
    expect(validate.stdout).toMatch(/^topology\.yaml: valid — 2 clusters \(demo, demo3\), \d+ steps$/m);
    const plan = meshspec(['plan', 'topology.yaml']);
    expect(plan.status, shown(plan)).toBe(0);
    for (const id of ['kind:cluster@demo', 'metallb:pools@demo3', 'linkerd:control-plane@demo', 'smi:split:test/podinfo@demo'])
      expect(plan.stdout).toContain(id);
  });

  it('loads a plugin from another folder (depending on the packed @meshspec/core) named by meshspec.config.mjs; its steps are in the plan', () => {
    const dir = join(project, 'with-plugin');
    mkdirSync(dir);
    cpSync(EXAMPLE, join(dir, 'topology.yaml'));
    writeFileSync(
      join(dir, 'topology.yaml'),
      `${readFileSync(join(dir, 'topology.yaml'), 'utf8')}greeting:\n  message: hello from outside the repo\n  clusters: [demo3]\n`,
    );
    writeFileSync(
      join(dir, 'meshspec.config.mjs'),
      `export default { plugins: [${JSON.stringify(relative(dir, join(pluginDir, 'index.mjs')))}] };\n`,
    );

    const validate = meshspec(['validate', 'topology.yaml'], dir);
    expect(validate.status, shown(validate)).toBe(0);
    const plan = meshspec(['plan', 'topology.yaml'], dir);
    expect(plan.status, shown(plan)).toBe(0);
    expect(plan.stdout).toContain('greeting:configmap@demo3');
    expect(plan.stdout).toContain('ConfigMap test/greeting says "hello from outside the repo"');
    expect(plan.stdout).not.toContain('greeting:configmap@demo\n');
    // Ordered after the built-in plugins' steps it names, through the built-in plugins' step ids.
    const ids = [...plan.stdout.matchAll(/^\d+\. (\S+)$/gm)].map((m) => m[1]);
    expect(ids.indexOf('greeting:configmap@demo3')).toBeGreaterThan(ids.indexOf('workloads:demo@demo3'));
  });

  it("the external plugin's validate hook reports a positioned error through the bundled CLI", () => {
    const dir = join(project, 'bad-plugin-section');
    mkdirSync(dir);
    const text = `${readFileSync(EXAMPLE, 'utf8')}greeting:\n  message: hi\n  clusters: [demo4]\n`;
    writeFileSync(join(dir, 'topology.yaml'), text);
    writeFileSync(join(dir, 'meshspec.config.mjs'), `export default { plugins: [${JSON.stringify(join(pluginDir, 'index.mjs'))}] };\n`);
    const validate = meshspec(['validate', 'topology.yaml'], dir);
    expect(validate.status, shown(validate)).toBe(1);
    const line = text.split('\n').findIndex((l) => l.includes('clusters: [demo4]')) + 1;
    expect(validate.stderr).toMatch(new RegExp(`topology\\.yaml:${line}:\\d+ .*greeting\\.clusters\\[0\\]: unknown cluster 'demo4'`));
    expect(validate.stderr).toMatch(/did you mean demo3?\?/);
    expect(validate.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });
});

/** Written by a "plugin author" against the packed @meshspec/core. */
const GREETING_PLUGIN = `import { definePlugin, stepId, didYouMean } from '@meshspec/core/plugin';

export default definePlugin({
  name: 'greeting',
  schema: {
    type: 'object',
    description: 'A greeting ConfigMap per cluster (pack-and-install test plugin).',
    additionalProperties: false,
    required: ['message'],
    properties: {
      message: { type: 'string', description: 'The greeting.' },
      clusters: { type: 'array', items: { type: 'string' }, description: 'Clusters to greet (default: all).' },
    },
  },
  validate(topology, section, ctx) {
    if (!section) return [];
    const known = Object.keys(topology.clusters);
    return (section.clusters ?? []).flatMap((name, i) => {
      if (known.includes(name)) return [];
      const close = didYouMean(name, known);
      return [ctx.diagnostic(['greeting', 'clusters', i], \`unknown cluster '\${name}'\`, close ? \`did you mean \${close}?\` : \`use one of: \${known.join(', ')}\`)];
    });
  },
  steps(topology, section) {
    if (!section) return [];
    return (section.clusters ?? Object.keys(topology.clusters)).map((cluster) => ({
      id: stepId('greeting', 'configmap', cluster),
      title: \`Greeting in \${cluster}\`,
      cluster,
      after: [stepId('workloads', 'demo', cluster)],
      plan: [\`ConfigMap test/greeting says "\${section.message}"\`],
      inputs: section,
      async run(ctx) {
        await ctx.kube().apply([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'greeting', namespace: 'test' }, data: { message: section.message } }]);
      },
    }));
  },
});
`;
