// loadConfig skips cosmiconfig when no config can exist (a start-up saving, issue 11). That shortcut must
// never hide a config cosmiconfig would find: every layout below is searched by both, and they must agree.
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cosmiconfig } from 'cosmiconfig';
import { CONFIG_SEARCH_PLACES, configMayExist, loadConfig } from './load-config.js';

interface Layout {
  name: string;
  /** Files relative to the layout's root; the search starts in `from`, the working directory is `cwd`. */
  files: Record<string, string>;
  from: string;
  cwd?: string;
  /** What cosmiconfig finds, relative to the root (undefined: nothing). */
  found?: string;
}

const PKG = JSON.stringify({ name: 'x' });

const layouts: Layout[] = [
  { name: 'a project with no config', files: { 'package.json': PKG, 'mesh/topology.yaml': '' }, from: 'mesh' },
  {
    name: 'meshspec.config.json beside the topology',
    files: { 'package.json': PKG, 'mesh/meshspec.config.json': '{"stateDir": "s"}' },
    from: 'mesh',
    found: 'mesh/meshspec.config.json',
  },
  {
    name: 'meshspec.config.yaml in the project root, above the topology',
    files: { 'package.json': PKG, 'meshspec.config.yaml': 'stateDir: s\n', 'a/b/topology.yaml': '' },
    from: 'a/b',
    found: 'meshspec.config.yaml',
  },
  {
    name: 'a "meshspec" key in package.json',
    files: { 'package.json': JSON.stringify({ name: 'x', meshspec: { stateDir: 's' } }), 'mesh/t.yaml': '' },
    from: 'mesh',
    found: 'package.json',
  },
  {
    name: 'a config above the nearest package.json is out of the project',
    files: { 'meshspec.config.json': '{"stateDir": "s"}', 'inner/package.json': PKG, 'inner/mesh/t.yaml': '' },
    from: 'inner/mesh',
  },
  {
    name: 'package.yaml also bounds the project',
    files: { 'meshspec.config.json': '{"stateDir": "s"}', 'inner/package.yaml': 'name: x\n', 'inner/t.yaml': '' },
    from: 'inner',
    cwd: '.', // (a package.yaml in the working directory could be cosmiconfig's meta config: see below)
  },
];

function materialize(layout: Layout): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'meshspec-config-')));
  for (const [file, text] of Object.entries(layout.files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

describe('loadConfig without cosmiconfig when no config can exist', () => {
  it.each(layouts)('$name', async (layout) => {
    const root = materialize(layout);
    const from = join(root, layout.from);
    const cwd = join(root, layout.cwd ?? layout.from);
    // What cosmiconfig itself finds (the reference), and the shortcut's verdict.
    const reference = await cosmiconfig('meshspec', { searchPlaces: CONFIG_SEARCH_PLACES, searchStrategy: 'project' }).search(from);
    expect(reference?.filepath).toBe(layout.found === undefined ? undefined : join(root, layout.found));
    const mayExist = configMayExist(from, cwd);
    if (layout.found !== undefined) expect(mayExist).toBe(true);
    else expect(mayExist).toBe(false); // the shortcut must actually be taken where nothing is found
    const loaded = await loadConfig({ searchFrom: from, cwd });
    expect(loaded.filepath).toBe(reference?.filepath);
  });

  it.each([
    ['a cosmiconfig key in package.json', { 'package.json': JSON.stringify({ name: 'x', cosmiconfig: { searchPlaces: ['m.json'] } }) }],
    ['package.yaml', { 'package.json': PKG, 'package.yaml': 'name: x\n' }],
    ['.config/config.json', { 'package.json': PKG, '.config/config.json': '{}' }],
  ])('leaves the search to cosmiconfig when the working directory may hold its meta config: %s', (_what, files) => {
    const root = materialize({ name: '', files, from: '.' });
    expect(configMayExist(root, root)).toBe(true);
  });

  it('leaves a package.json that does not parse to cosmiconfig, which reports it', async () => {
    const root = materialize({ name: '', files: { 'package.json': '{ not json' }, from: '.' });
    expect(configMayExist(root, root)).toBe(true);
    await expect(loadConfig({ searchFrom: root, cwd: root })).rejects.toThrow(/cannot read meshspec config/);
  });
});
