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
