#!/usr/bin/env node
// Second build stage, after `tsc -b`: esbuild bundles the compiled JavaScript so a command loads a handful
// of files instead of ~240 modules (issue 11, start-up). Two bundles, because a plugin living outside this
// repository imports `@meshspec/core` itself and must get the very same module instance as the CLI (one
// secret registry for redaction, one set of error classes for `instanceof`):
//
//   @meshspec/core  dist/bundle/<entry>.js   one file per `exports` entry, shared chunks between them;
//                                            third-party code inlined, rarely used heavy code in lazy chunks
//   meshspec        dist/bin.js, dist/index.js  the CLI and every built-in plugin, `@meshspec/core` left as
//                                            an import (resolved to the package above at run time)
//
// Each package's `exports` map names the bundle files (`default`) and the tsc declarations (`types`); the
// entry compiled by tsc for a bundle file is found by convention (core: dist/bundle/X.js ← dist/X.js;
// cli: dist/X.js ← dist/tsc/X.js), so a new `exports` entry needs no change here.
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const quiet = process.argv.includes('--quiet');
const META_FILE = '.esbuild-meta.json';

/** Node resolves bare `require()` of builtins inside inlined CommonJS only through a real `require`. */
const requireShim =
  "import { createRequire as __meshspecCreateRequire } from 'node:module'; const require = __meshspecCreateRequire(import.meta.url);";

/**
 * Kept out of every bundle, resolved from node_modules when (and only when) first needed:
 * @kubernetes/client-node bundles to ~17 MB, is only loaded lazily by commands that talk to a cluster, and
 * stays a dependency of @meshspec/core either way.
 */
const ALWAYS_EXTERNAL = ['@kubernetes/client-node'];

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  banner: { js: requireShim },
  legalComments: 'linked',
  // Less source to scan on a cold start (~10% of `validate`); identifiers are kept, so stacks stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  metafile: true,
  plugins: [cjsDynamicImportInterop(), builtinsWithoutFacades()],
};

/** Bundle file → compiled entry, from a package's `exports` map. */
function entriesOf(pkgDir, toCompiled) {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const entries = {};
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    const file = typeof target === 'string' ? target : target.default;
    if (typeof file !== 'string') throw new Error(`${pkg.name}: exports['${subpath}'] has no default file`);
    entries[file] = toCompiled(file);
  }
  for (const file of Object.values(pkg.bin ?? {})) entries[file] = toCompiled(file);
  return Object.entries(entries).map(([out, input]) => ({ out: out.replace(/^\.\//, '').replace(/\.js$/, ''), in: join(pkgDir, input) }));
}

/**
 * `separately`: one esbuild run per entry, so entries share no chunk. The CLI wants that: `bin.js` imports
 * its command router lazily while `index.js` imports it eagerly, and a chunk shared by both would cost
 * `--help` extra module loads. Core wants the opposite (one instance of its state across its entries).
 */
async function bundle(name, pkgDir, outdir, toCompiled, { separately = false, ...options }) {
  const entryPoints = entriesOf(pkgDir, toCompiled).map((e) => ({ out: relative(outdir, join(pkgDir, e.out)), in: e.in }));
  rmSync(join(outdir, 'chunks'), { recursive: true, force: true });
  const runs = separately ? entryPoints.map((e) => [e]) : [entryPoints];
  const outputs = new Map();
  const meta = { outputs: {} };
  for (const group of runs) {
    const result = await build({ ...common, ...options, entryPoints: group, outdir });
    for (const [file, o] of Object.entries(result.metafile.outputs)) {
      if (!file.endsWith('.js')) continue;
      outputs.set(file, o.bytes);
      meta.outputs[relative(outdir, join(root, file))] = { bytes: o.bytes, inputs: Object.keys(o.inputs) };
    }
  }
  // Which sources went into which output file: packages/cli/src/bundle.test.ts reads it (not packed).
  writeFileSync(join(outdir, META_FILE), `${JSON.stringify(meta, null, 1)}\n`);
  if (!quiet) {
    const total = [...outputs.values()].reduce((n, b) => n + b, 0);
    process.stderr.write(
      `bundled ${name}: ${entryPoints.map((e) => `${e.out}.js`).join(', ')} + ${outputs.size - entryPoints.length} chunks, ${Math.round(total / 1024)} KiB\n`,
    );
  }
}

const coreDir = join(root, 'packages/core');
await bundle('@meshspec/core', coreDir, join(coreDir, 'dist/bundle'), (file) => file.replace('./dist/bundle/', './dist/'), {
  external: ALWAYS_EXTERNAL,
});

const cliDir = join(root, 'packages/cli');
await bundle('meshspec', cliDir, join(cliDir, 'dist'), (file) => file.replace('./dist/', './dist/tsc/'), {
  // The CLI and external plugins must share one core (one secret registry, one set of error classes):
  // never inline it here. `@meshspec/core/duration` is pure functions without state, and inlining it
  // saves `--help` three module loads.
  separately: true,
  external: [...ALWAYS_EXTERNAL, '@meshspec/core'],
  plugins: [
    ...common.plugins,
    inline({ '@meshspec/core/duration': join(coreDir, 'dist/duration.js') }),
    redirect({ yaml: '@meshspec/core/yaml' }),
  ],
});

// plugin-kwok runs its LoadBalancer controller as a separate node process, from `lb-controller.js` beside
// the module that names it. Inside the CLI bundle that module is whichever chunk esbuild put it in, so the
// controller (one self-contained file) is bundled next to every output file that refers to it.
const kwokController = join(root, 'packages/plugin-kwok/dist/lb-controller.js');
for (const dir of [join(cliDir, 'dist'), join(cliDir, 'dist/chunks')]) {
  const namers = readdirSync(dir).filter(
    (f) => f.endsWith('.js') && f !== 'lb-controller.js' && readFileSync(join(dir, f), 'utf8').includes('./lb-controller.js'),
  );
  if (namers.length === 0) continue;
  await build({ ...common, entryPoints: [kwokController], outfile: join(dir, 'lb-controller.js'), splitting: false });
}

/**
 * Imports of these packages become imports of another specifier, left external: the built-in plugins'
 * `yaml` is core's bundled copy (`@meshspec/core/yaml`), so a start initialises the library once.
 */
function redirect(specifiers) {
  return {
    name: 'redirect-to-core',
    setup(b) {
      const filter = new RegExp(`^(${Object.keys(specifiers).join('|')})$`);
      b.onResolve({ filter }, (args) => ({ path: specifiers[args.path], external: true }));
    },
  };
}

/** Bundles these specifiers from the given files although their package is external. */
function inline(files) {
  return {
    name: 'inline-stateless-modules',
    setup(b) {
      const filter = new RegExp(
        `^(${Object.keys(files)
          .map((s) => s.replace(/[/.]/g, '\\$&'))
          .join('|')})$`,
      );
      b.onResolve({ filter }, (args) => ({ path: files[args.path] }));
    },
  };
}

/**
 * esbuild with code splitting puts a dynamically imported CommonJS package (cosmiconfig, ajv) in a chunk
 * that only has a default export, so `const { cosmiconfig } = await import('cosmiconfig')` would get
 * undefined. For dynamic imports of CommonJS packages this wraps the package in an ES module re-exporting
 * each property by name, as Node's own CommonJS interop does.
 */
function cjsDynamicImportInterop() {
  return {
    name: 'cjs-dynamic-import-interop',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind !== 'dynamic-import' || args.path.startsWith('node:') || isBuiltin(args.path)) return undefined;
        let resolved;
        try {
          resolved = createRequire(join(args.resolveDir, 'noop.js')).resolve(args.path);
        } catch {
          return undefined;
        }
        if (!isCommonJs(resolved)) return undefined;
        return { path: resolved, namespace: 'cjs-interop', pluginData: { specifier: args.path, resolveDir: args.resolveDir } };
      });
      b.onLoad({ filter: /.*/, namespace: 'cjs-interop' }, (args) => {
        const names = Object.keys(createRequire(args.path)(args.path)).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default');
        const source = [
          `import * as ns from ${JSON.stringify(args.path)};`,
          'const m = ns.default ?? ns;',
          'export default m;',
          ...names.map((n) => `export const ${n} = m[${JSON.stringify(n)}];`),
        ].join('\n');
        return { contents: source, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

/**
 * `import { parseArgs } from 'node:util'` makes Node build an ES module facade of node:util, and a facade
 * reads every export, getters included (node:util's load util/diff and assert's myers_diff; node:http's
 * load undici): ~6 ms each for node:util, node:fs, node:process on a ~35 ms start. So each static import
 * of a builtin becomes a small module of our own that `require`s it (through the banner's `require`) and
 * re-exports just the names that import statement asks for, read from the importing file.
 */
function builtinsWithoutFacades() {
  return {
    name: 'builtins-without-facades',
    setup(b) {
      b.onResolve({ filter: /^[a-z:_/]+$/ }, (args) => {
        if (args.kind !== 'import-statement' || !isBuiltin(args.path)) return undefined;
        const names = importedNames(readFileSync(args.importer, 'utf8'), args.path);
        if (names === undefined) return undefined; // a form not recognised: keep Node's facade
        const id = args.path.startsWith('node:') ? args.path : `node:${args.path}`;
        return { path: `${id}?${names.join(',')}`, namespace: 'builtin' };
      });
      b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => {
        const [id, list] = args.path.split('?');
        const names = list ? list.split(',') : [];
        const lines = [
          `const m = require(${JSON.stringify(id)});`,
          'export default m;',
          ...names.map((n) => `export const ${n} = m.${n};`),
        ];
        return { contents: lines.join('\n'), loader: 'js' };
      });
    },
  };
}

/** Names a file imports from `specifier`; [] for a default import; undefined for a namespace import or if unsure. */
function importedNames(source, specifier) {
  const quoted = specifier.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const names = new Set();
  let found = false;
  for (const m of source.matchAll(new RegExp(`import\\s+([^'";]*?)\\s+from\\s*['"]${quoted}['"]`, 'g'))) {
    found = true;
    const clause = m[1].trim();
    const braces = /\{([^}]*)\}/.exec(clause);
    if (braces) {
      for (const part of braces[1]
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const name = part
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)[0]
          .trim();
        if (!/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
        if (name !== 'default') names.add(name);
      }
    } else if (!/^[\w$]+$/.test(clause)) {
      // `* as ns` wants every export, read by name later (a missing one would silently be undefined):
      // Node's own facade.
      return undefined;
    }
  }
  return found ? [...names].sort() : undefined;
}

function isCommonJs(file) {
  if (file.endsWith('.cjs')) return true;
  if (file.endsWith('.mjs')) return false;
  // The nearest package.json decides, as in Node.
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).type !== 'module';
    } catch {
      // no package.json here; look further up
    }
  }
  return true;
}
