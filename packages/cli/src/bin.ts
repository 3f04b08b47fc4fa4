#!/usr/bin/env node
// Kept tiny: `--help` must answer before anything heavy is imported.
import * as nodeModule from 'node:module';

// V8 keeps compiled code of the CLI and its dependencies on disk (os.tmpdir()/node-compile-cache unless
// NODE_COMPILE_CACHE says where; NODE_DISABLE_COMPILE_CACHE=1 turns it off): later starts skip parsing
// and compiling a few hundred modules. Node < 22.1 has no such API; it then just starts slower.
const enableCompileCache = (nodeModule as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
if (typeof enableCompileCache === 'function') {
  try {
    enableCompileCache();
  } catch {
    // A cache that cannot be set up (read-only tmp, ...) only costs speed.
  }
}

const { main } = await import('./main.js');
process.exitCode = await main(process.argv.slice(2));
