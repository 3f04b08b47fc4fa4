// Plugins depend on each other only through the typed facts of declared dependencies (ctx.facts). This scans
// every built-in plugin's sources and fails on the couplings the imports do not show: reading another
// plugin's topology section, spelling another plugin's section key, or spelling another plugin's step ids.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinPlugins } from './builtin-plugins.js';

const PACKAGES = fileURLToPath(new URL('../../', import.meta.url));

interface Owner {
  name: string;
  key: string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every way `text` (a source file of plugin `self`) reaches into another plugin, one line each. */
export function boundaryViolations(self: string, text: string, plugins: readonly Owner[]): string[] {
  const found: string[] = [];
  const lines = text.split('\n');
  for (const other of plugins.filter((p) => p.name !== self)) {
    const name = escape(other.name);
    const key = escape(other.key);
    const rules: [RegExp, string][] = [
      [new RegExp(`topology\\w*\\s*(\\?\\.)?\\[\\s*['"\`]${key}['"\`]\\s*\\]`), `reads ${other.name}'s section (topology['${other.key}'])`],
      [new RegExp(`topology\\w*\\s*(\\?\\.|\\.)${key}\\b`), `reads ${other.name}'s section (topology.${other.key})`],
      [new RegExp(`stepId\\(\\s*['"\`]${name}['"\`]`), `spells a step id of ${other.name} (stepId('${other.name}', ...))`],
      [new RegExp(`['"\`]${name}:[\\w-]`), `spells a step id of ${other.name} ('${other.name}:...')`],
    ];
    // A key other than the plugin's name (kindClusters) is never a word of prose: spelling it is re-declaring it.
    if (other.key !== other.name) rules.push([new RegExp(`['"\`]${key}['"\`]`), `spells ${other.name}'s section key '${other.key}'`]);
    lines.forEach((line, i) => {
      if (/^\s*(\/\/|\/\*|\*)/.test(line)) return; // comments may name other plugins' ids
      for (const [pattern, what] of rules) if (pattern.test(line)) found.push(`${i + 1}: ${what}: ${line.trim()}`);
    });
  }
  // A value imported from another plugin's package is a second way to its knowledge (parse its version,
  // build its mirror names, apply its defaults) beside its facts: only the plugin object (for ctx.facts)
  // may be imported as a value; types (`import type`, `type X`) are fine.
  for (const { line, names, from } of pluginImports(text)) {
    const other = plugins.find((p) => p.name === from);
    if (!other || other.name === self) continue;
    const pluginObject = `${camel(other.name)}Plugin`;
    const values = names.filter((n) => !n.startsWith('type ') && n !== pluginObject);
    if (values.length > 0)
      found.push(
        `${line}: imports ${values.join(', ')} from plugin-${other.name} (read its facts through ${pluginObject} instead): ${lines[line - 1]!.trim()}`,
      );
  }
  // factsOf skips the dependsOn check that ctx.facts makes; it is for tests and the engine.
  lines.forEach((line, i) => {
    if (/\bfactsOf\(/.test(line) && !/^\s*(\/\/|\/\*|\*)/.test(line))
      found.push(`${i + 1}: calls factsOf (use ctx.facts of a declared dependency): ${line.trim()}`);
  });
  return found;
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Every `import ... from '@meshspec/plugin-<name>'` (also multi-line) with its line and imported names. */
function pluginImports(text: string): { line: number; names: string[]; from: string }[] {
  const imports: { line: number; names: string[]; from: string }[] = [];
  for (const m of text.matchAll(/^import\s+(type\s+)?([^;'"]*?)\s+from\s+['"]@meshspec\/plugin-([\w-]+)['"]/gm)) {
    if (m[1]) continue; // import type { ... }: types only
    const clause = m[2]!;
    const braces = /\{([\s\S]*)\}/.exec(clause);
    const names = [
      ...clause
        .replace(/\{[\s\S]*\}/, '')
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n.length > 0)
        .map((n) => (n.startsWith('* as') ? n : `default ${n}`)),
      ...(braces
        ? braces[1]!
            .split(',')
            .map((n) => n.trim().replace(/\s+as\s+\w+$/, ''))
            .filter((n) => n.length > 0)
        : []),
    ];
    imports.push({ line: text.slice(0, m.index).split('\n').length, names, from: m[3]! });
  }
  return imports;
}

function sourcesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((file) => !/__(fixtures|golden)__/.test(file));
}

describe('plugin boundaries', () => {
  const owners = builtinPlugins.map((p) => ({ name: p.name, key: p.key }));

  it.each(builtinPlugins.map((p) => p.name))('plugin-%s reads no other plugin except through facts', (name) => {
    const dir = join(PACKAGES, `plugin-${name}`, 'src');
    const files = sourcesOf(dir);
    expect(files.length).toBeGreaterThan(2);
    const violations = files.flatMap((file) =>
      boundaryViolations(name, readFileSync(file, 'utf8'), owners).map((v) => `${relative(PACKAGES, file)}:${v}`),
    );
    expect(violations).toEqual([]);
  });

  // The scanner itself must catch what it is for; otherwise the test above proves nothing.
  it.each([
    { line: "const v = (topology['linkerd'] as { version?: string }).version;", what: "reads linkerd's section (topology['linkerd'])" },
    { line: 'const v = topology?.["workloads"];', what: "reads workloads's section (topology['workloads'])" },
    { line: 'const images = topology.kindClusters;', what: "reads kind's section (topology.kindClusters)" },
    { line: "after: [stepId('kind', 'cluster', c)],", what: "spells a step id of kind (stepId('kind', ...))" },
    { line: "needs: ['kind:network'],", what: "spells a step id of kind ('kind:...')" },
    { line: 'after: [`linkerd:export:${key}@${c}`],', what: "spells a step id of linkerd ('linkerd:...')" },
    { line: "const KIND_SECTION = 'kindClusters';", what: "spells kind's section key 'kindClusters'" },
    { line: 'const facts = factsOf(linkerdPlugin, topology);', what: 'calls factsOf' },
    {
      line: "import { linkerdPlugin, parseLinkerdVersion } from '@meshspec/plugin-linkerd';",
      what: 'imports parseLinkerdVersion from plugin-linkerd',
    },
    {
      line: "import { mirrorServiceName, type LinkerdFacts } from '@meshspec/plugin-linkerd';",
      what: 'imports mirrorServiceName from plugin-linkerd',
    },
    { line: "import kind from '@meshspec/plugin-kind';", what: 'imports default kind from plugin-kind' },
    { line: "import * as linkerd from '@meshspec/plugin-linkerd';", what: 'imports * as linkerd from plugin-linkerd' },
  ])('catches: $line', ({ line, what }) => {
    const found = boundaryViolations('smi', `import x from 'y';\n${line}\n`, owners);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`2: ${what}`);
  });

  it('catches a value import spread over several lines', () => {
    const text = "import {\n  kindPlugin,\n  kubernetesVersionOfNodeImage,\n} from '@meshspec/plugin-kind';\n";
    expect(boundaryViolations('linkerd', text, owners)).toEqual([
      '1: imports kubernetesVersionOfNodeImage from plugin-kind (read its facts through kindPlugin instead): import {',
    ]);
  });

  it('lets a plugin import other plugin objects and their types', () => {
    const text = [
      "import { kindPlugin, type KindFacts } from '@meshspec/plugin-kind';",
      "import type { LinkerdFacts, LinkPair } from '@meshspec/plugin-linkerd';",
      "import { linkerdPlugin as linkerd } from '@meshspec/plugin-linkerd';",
    ].join('\n');
    expect(boundaryViolations('smi', text, owners)).toEqual([]);
  });

  it('lets a plugin name its own section and step ids, and other plugins in comments', () => {
    const own =
      "const s = topology['smi'];\nconst id = stepId('smi', 'install', c);\n// after linkerd:control-plane@<c>, from linkerd's facts\n";
    expect(boundaryViolations('smi', own, owners)).toEqual([]);
  });
});
