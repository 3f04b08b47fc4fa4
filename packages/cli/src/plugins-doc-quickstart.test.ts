// docs/plugins.md promises that a newcomer reading only that page writes a working plugin in a folder of
// their own, outside this repository. This test does exactly what the page says, with the page's own code
// blocks: the plugin folder (package.json, index.mjs, index.test.ts) and a project folder whose
// meshspec.config.mjs names it, both in a temp dir. The packages the page depends on are linked into
// node_modules from this repository's build (the page installs them from tarballs or the registry).
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginTester } from '@meshspec/core/testing';
import { describe, expect, it } from 'vitest';
import { REPO, builtCoreUrl, runCli } from './__fixtures__/run-cli.js';

const PAGE = readFileSync(join(REPO, 'docs/plugins.md'), 'utf8');

/** The fenced code blocks of the section `## <title>`, in order. */
function codeBlocks(title: string): { lang: string; code: string }[] {
  const start = PAGE.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`docs/plugins.md has no section "## ${title}"`);
  const end = PAGE.indexOf('\n## ', start + 1);
  const section = PAGE.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, code: m[2]! }));
}

function linkPackage(nodeModules: string, name: string, dir: string): void {
  const target = join(nodeModules, name);
  mkdirSync(join(target, '..'), { recursive: true });
  symlinkSync(join(REPO, 'packages', dir), target, 'dir');
}

describe('docs/plugins.md, "A plugin in its own folder"', () => {
  const blocks = codeBlocks('A plugin in its own folder');
  const [packageJson, pluginCode, testCode, configCode] = [
    blocks.find((b) => b.lang === 'json')!,
    blocks.filter((b) => b.lang === 'js')[0]!,
    blocks.find((b) => b.lang === 'ts')!,
    blocks.filter((b) => b.lang === 'js')[1]!,
  ];

  function writeFolders(): { root: string; project: string; plugin: string } {
    builtCoreUrl(); // the plugin is imported by Node itself: it needs the built packages
    const root = mkdtempSync(join(tmpdir(), 'meshspec-quickstart-'));
    const plugin = join(root, 'meshspec-plugin-banner');
    const project = join(root, 'my-mesh');
    mkdirSync(plugin);
    mkdirSync(project);
    writeFileSync(join(plugin, 'package.json'), packageJson.code);
    writeFileSync(join(plugin, 'index.mjs'), pluginCode.code);
    writeFileSync(join(plugin, 'index.test.ts'), testCode.code);
    for (const [name, dir] of [
      ['@meshspec/core', 'core'],
      ['@meshspec/plugin-kind', 'plugin-kind'],
      ['@meshspec/plugin-linkerd', 'plugin-linkerd'],
    ] as const) {
      linkPackage(join(plugin, 'node_modules'), name, dir);
    }
    linkPackage(join(project, 'node_modules'), 'meshspec', 'cli');
    writeFileSync(join(project, 'meshspec.config.mjs'), configCode.code);
    writeFileSync(
      join(project, 'topology.yaml'),
      'apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: my-mesh }\nclusters: { east: {}, west: {} }\nkindClusters: {}\nbanner:\n  message: hello\n',
    );
    return { root, project, plugin };
  }

  it('has the blocks the steps need: package.json with the peer dependency, the plugin, its tests, the config', () => {
    expect(JSON.parse(packageJson.code)).toMatchObject({ type: 'module', peerDependencies: { '@meshspec/core': expect.any(String) } });
    expect(pluginCode.code).toContain("from '@meshspec/core/plugin'");
    expect(testCode.code).toContain("from '@meshspec/core/testing'");
    expect(configCode.code).toContain('defineConfig');
  });

  it('meshspec validates and plans a topology using the plugin, loaded through the config file', async () => {
    const { project } = writeFolders();
    const topology = join(project, 'topology.yaml');
    const validate = await runCli(['validate', topology], { cwd: project });
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    const plan = await runCli(['plan', topology, '-o', 'json'], { cwd: project });
    expect(plan.code).toBe(0);
    const steps = (JSON.parse(plan.stdout) as { steps: { id: string; after: string[] }[] }).steps;
    expect(steps.filter((s) => s.id.startsWith('banner:'))).toEqual([
      expect.objectContaining({ id: 'banner:configmap@east', after: ['kind:cluster@east'] }),
      expect.objectContaining({ id: 'banner:configmap@west', after: ['kind:cluster@west'] }),
    ]);
    const invalid = join(project, 'empty.yaml');
    writeFileSync(invalid, readFileSync(topology, 'utf8').replace('message: hello', 'message: " "'));
    const rejected = await runCli(['validate', invalid], { cwd: project });
    expect(rejected.code).toBe(1);
    expect(rejected.stdout + rejected.stderr).toMatch(/empty\.yaml:7:\d+.*message is empty/);
  });

  it("the page's PluginTester table passes against the page's plugin", async () => {
    const { plugin } = writeFolders();
    const cases = new Map<string, () => Promise<void>>();
    const path: string[] = [];
    const saved = { describe: PluginTester.describe, it: PluginTester.it };
    PluginTester.describe = (name, body) => {
      path.push(name);
      body();
      path.pop();
    };
    PluginTester.it = (name, body) => void cases.set([...path, name].join(' > '), body);
    try {
      await import(/* @vite-ignore */ join(plugin, 'index.test.ts'));
    } finally {
      Object.assign(PluginTester, saved);
    }
    expect([...cases.keys()].map((name) => name.split(' > ')[1])).toEqual([
      'schema: every option has a description',
      'valid',
      'invalid',
      'steps',
      'plans',
    ]);
    for (const [, body] of cases) await body();
  });
});
