// Lets plain Node import the TypeScript integration harness (test/integration/harness/*.ts) directly.
// Node 24 strips types from .ts files by default, but the harness follows NodeNext style and imports
// `./pki.js`, which only exists as `./pki.ts`. This resolve hook retries such a relative `.js` import as
// `.ts` — nothing else is rewritten, and the built packages (dist/*.js) resolve untouched.
import { registerHooks } from 'node:module';

let registered = false;

export function enableTsImports() {
  if (registered) return;
  registered = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      try {
        return nextResolve(specifier, context);
      } catch (error) {
        const fromTs = context.parentURL?.endsWith('.ts');
        if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !fromTs || !specifier.startsWith('.') || !specifier.endsWith('.js')) throw error;
        return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      }
    },
  });
}

let fakeRegistered = false;

/**
 * For the time-to-mesh bench: lets plain Node import the fake toolchain (test/fake-toolchain/*.ts) against
 * the BUILT core. Two hooks, applied only to the fake toolchain's own .ts files:
 * - resolve: its `../../packages/core/src/<x>.js` imports go to `packages/core/dist/<x>.js`, so the fake
 *   clusters throw the same KubeError class the built Session checks for (one copy of core in the process);
 * - load: its TypeScript is transformed with Node's own `stripTypeScriptTypes(..., { mode: 'transform' })`,
 *   since the simulation uses parameter properties, which Node's default type stripping refuses.
 */
export async function enableFakeToolchainImports(repoRoot) {
  if (fakeRegistered) return;
  fakeRegistered = true;
  const { readFileSync } = await import('node:fs');
  const { pathToFileURL, fileURLToPath } = await import('node:url');
  const { stripTypeScriptTypes } = await import('node:module');
  const fakeDir = pathToFileURL(`${repoRoot}/test/fake-toolchain/`).href;
  const coreSrc = pathToFileURL(`${repoRoot}/packages/core/src/`).href;
  const coreDist = pathToFileURL(`${repoRoot}/packages/core/dist/`).href;
  const fromFake = (context) => context.parentURL?.startsWith(fakeDir) === true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (fromFake(context) && specifier.startsWith('.')) {
        const target = new URL(specifier, context.parentURL).href;
        if (target.startsWith(coreSrc)) return nextResolve(coreDist + target.slice(coreSrc.length), context);
        if (target.endsWith('.js') && target.startsWith(fakeDir)) {
          try {
            return nextResolve(specifier, context);
          } catch {
            return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
          }
        }
      }
      return nextResolve(specifier, context);
    },
    load(url, context, nextLoad) {
      if (url.startsWith(fakeDir) && url.endsWith('.ts')) {
        const source = stripTypeScriptTypes(readFileSync(fileURLToPath(url), 'utf8'), { mode: 'transform' });
        return { format: 'module', source, shortCircuit: true };
      }
      return nextLoad(url, context);
    },
  });
}
