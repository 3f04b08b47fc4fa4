// No module of a package may import itself back, directly or through others: a cycle makes load order decide
// what is initialised (a command reading the router's export before the router finished loading), and it
// hides which module is the base. This scans every package's sources for relative imports (static, dynamic,
// side-effect and re-exports) and fails on each strongly connected group of files. Type-only statements
// (`import type`, `export type`) are left out: verbatimModuleSyntax erases exactly those, so they cannot
// take part in loading (core's plugin/types.ts and verify/types.ts name each other's types, by design).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGES = fileURLToPath(new URL('../../', import.meta.url));

/** The relative specifiers `text` loads at run time (imports, re-exports), comments and type-only statements left out. */
export function relativeImports(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const patterns = [
    /\b(?:import|export)\s+(?!type\b)[^'"`;]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g, // import x from './a.js', export * from './a.js'
    /\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g, // await import('./a.js')
    /\bimport\s+['"](\.{1,2}\/[^'"]+)['"]/g, // import './a.js' (side effects only)
  ];
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((m) => m[1]!));
}

/** The source file a relative specifier names: `./a.js` is `a.ts` in TypeScript's NodeNext resolution. */
function resolveSpecifier(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  const target = resolve(dirname(from), specifier);
  const candidates = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.mjs$/, '.mts'), join(target, 'index.ts')];
  return candidates.find((c) => files.has(c));
}

/** Every group of files that import each other in a circle (Tarjan's strongly connected components). */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      const selfImport = (graph.get(node) ?? []).includes(node);
      if (group.length > 1 || selfImport) cycles.push(group.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles;
}

/** The import graph of one directory's .ts files (tests and fixtures included: they are modules too). */
export function importGraph(dir: string): Map<string, string[]> {
  const files = readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.m?ts$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name));
  const known = new Set(files);
  return new Map(
    files.map((file) => [
      file,
      relativeImports(readFileSync(file, 'utf8'))
        .map((specifier) => resolveSpecifier(file, specifier, known))
        .filter((target): target is string => target !== undefined),
    ]),
  );
}

const packages = readdirSync(PACKAGES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('import cycles', () => {
  it('finds every package', () => {
    expect(packages).toEqual(expect.arrayContaining(['cli', 'core', 'plugin-kind', 'plugin-linkerd']));
  });

  it.each(packages)('packages/%s/src has no import cycle', (name) => {
    const dir = join(PACKAGES, name, 'src');
    const graph = importGraph(dir);
    expect(graph.size).toBeGreaterThan(2);
    const cycles = importCycles(graph).map((group) => group.map((file) => relative(dir, file)).join(' <-> '));
    expect(cycles).toEqual([]);
  });

  // The scanner must see what it is for; otherwise the test above proves nothing.
  it.each([
    ["import { a } from './a.js';", './a.js'],
    ["import { a, type B } from '../a.js';", '../a.js'],
    ["import {\n  a,\n  type B,\n} from './multi-line.js';", './multi-line.js'],
    ["export { a } from './a.js';", './a.js'],
    ["export * from './all.js';", './all.js'],
    ["const { run } = await import('./commands/run.js');", './commands/run.js'],
    ["import './side-effect.js';", './side-effect.js'],
  ])('reads the relative import in: %s', (line, specifier) => {
    expect(relativeImports(line)).toEqual([specifier]);
  });

  it('ignores packages, node: modules, commented-out imports and type-only statements (erased when compiled)', () => {
    const text = [
      "import { x } from '@meshspec/core';",
      "import { y } from 'node:fs';",
      "// import { z } from './z.js';",
      "/* await import('./w.js') */",
      "import type { T } from './types.js';",
      "export type { U } from './types.js';",
    ].join('\n');
    expect(relativeImports(text)).toEqual([]);
  });

  it.each([
    {
      name: 'a router its commands import back',
      graph: { main: ['run'], run: ['apply', 'plan'], apply: ['run'], plan: [] },
      cycles: [['apply', 'run']],
    },
    { name: 'a longer circle', graph: { a: ['b'], b: ['c'], c: ['a'], d: ['a'] }, cycles: [['a', 'b', 'c']] },
    { name: 'a module importing itself', graph: { a: ['a'] }, cycles: [['a']] },
    { name: 'a tree (no cycle)', graph: { main: ['run'], run: ['apply', 'env'], apply: ['env'], env: [] }, cycles: [] },
  ])('finds the cycles in $name', ({ graph, cycles }) => {
    expect(importCycles(new Map(Object.entries(graph)))).toEqual(cycles);
  });

  it('finds a cycle through files on disk: a router its command imports back (the shape this test was written for)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshspec-cycles-'));
    try {
      mkdirSync(join(dir, 'commands'));
      writeFileSync(join(dir, 'main.ts'), "export const main = async () => (await import('./commands/run.js')).run();\n");
      writeFileSync(
        join(dir, 'commands', 'run.ts'),
        "export const run = async () => (await import('./apply.js')).apply();\nexport const env = 1;\n",
      );
      writeFileSync(
        join(dir, 'commands', 'apply.ts'),
        "import type { Env } from './types.js';\nimport { env } from './run.js';\nexport const apply = () => env;\n",
      );
      writeFileSync(join(dir, 'commands', 'types.ts'), 'export type Env = number;\n');
      const cycles = importCycles(importGraph(dir)).map((group) => group.map((file) => relative(dir, file)));
      expect(cycles).toEqual([['commands/apply.ts', 'commands/run.ts']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
