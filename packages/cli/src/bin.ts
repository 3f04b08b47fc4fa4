#!/usr/bin/env node
// Kept tiny: `--help` must answer before anything heavy is imported.
const { main } = await import('./main.js');
process.exitCode = await main(process.argv.slice(2));
