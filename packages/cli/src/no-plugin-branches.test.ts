// The engine and the CLI know no plugin by name: what differs between plugins is asked of the plugin (its
// tools, toolsFor, doctor, facts...), never decided by `if (plugin.name === 'kind')`. This scans the sources
// of packages/core and packages/cli for comparisons with a built-in plugin's name or section key.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinPlugins } from './builtin-plugins.js';

const PACKAGES = fileURLToPath(new URL('../../', import.meta.url));

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Lines that compare the same word for something else, with why. `kind` is also the document's own field
 * (`kind: Topology`), so a diagnostic about that field is not about the kind plugin.
 */
const NOT_A_PLUGIN: readonly { file: string; line: string; why: string }[] = [
  { file: 'core/src/topology/validate.ts', line: "diagnostic.path === 'kind'", why: "the topology document's own `kind:` field" },
];

/** Every comparison with one of `names` in `text`, as `line: code`; comments are left out. */
export function pluginNameBranches(text: string, names: readonly string[]): string[] {
  const words = names.map(escape).join('|');
  const quoted = `(['"\`])(?:${words})\\1`;
  const patterns = [
    new RegExp(`[!=]==?\\s*${quoted}`), // x === 'kind'
    new RegExp(`${quoted}\\s*[!=]==?`), // 'kind' === x
    new RegExp(`\\bcase\\s+${quoted}\\s*:`), // case 'kind':
    new RegExp(`\\.(?:includes|has|indexOf)\\(\\s*${quoted}\\s*\\)`), // names.includes('kind')
  ];
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (/^\s*(\/\/|\/\*|\*)/.test(line)) return;
    if (patterns.some((p) => p.test(line))) found.push(`${i + 1}: ${line.trim()}`);
  });
  return found;
}

function sourcesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((file) => !/__(fixtures|golden|fuzz)__/.test(file));
}

const names = [...new Set(builtinPlugins.flatMap((p) => [p.name, p.key]))].sort();

describe('no branches on built-in plugin names in core and cli', () => {
  it('knows every built-in plugin name and key', () => {
    expect(names).toEqual(expect.arrayContaining(['ingress', 'kind', 'kindClusters', 'linkerd', 'metallb', 'smi', 'workloads']));
  });

  it.each(['core', 'cli'])('packages/%s/src compares nothing with a plugin name', (pkg) => {
    const files = sourcesOf(join(PACKAGES, pkg, 'src'));
    expect(files.length).toBeGreaterThan(5);
    const found = files.flatMap((file) => {
      const where = relative(PACKAGES, file);
      return pluginNameBranches(readFileSync(file, 'utf8'), names)
        .filter((hit) => !NOT_A_PLUGIN.some((allowed) => allowed.file === where && hit.includes(allowed.line)))
        .map((hit) => `${where}:${hit}`);
    });
    expect(found).toEqual([]);
  });

  it('every exception still names a line that exists (stale ones would hide nothing but mislead)', () => {
    for (const allowed of NOT_A_PLUGIN) {
      const hits = pluginNameBranches(readFileSync(join(PACKAGES, allowed.file), 'utf8'), names);
      expect(
        hits.some((hit) => hit.includes(allowed.line)),
        `${allowed.file}: ${allowed.line}`,
      ).toBe(true);
    }
  });

  // The scanner must catch what it is for; otherwise the tests above prove nothing.
  it.each([
    "for (const tool of [...toolsOf(plugin), ...(plugin.name === 'kind' ? [KUBECTL] : [])]) {",
    'if (p.key !== "linkerd") continue;',
    "const smi = plugins.find((p) => 'smi' == p.name);",
    '  case `metallb`:',
    "if (used.has('workloads')) extra.push(x);",
    "if (plugin.key === 'kindClusters') return;",
  ])('catches: %s', (line) => {
    expect(pluginNameBranches(`const a = 1;\n${line}\n`, names)).toEqual([`2: ${line.trim()}`]);
  });

  it('lets comments and plain strings name plugins', () => {
    const text = "// like plugin.name === 'kind' used to\nconst label = 'linkerd';\nconst pins = [['metallb', p]];\n";
    expect(pluginNameBranches(text, names)).toEqual([]);
  });
});
