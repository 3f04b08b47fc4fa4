#!/usr/bin/env node
// `pnpm bench`: performance ratios of the built meshspec (run `pnpm build` first). Every number is a
// ratio against a baseline measured in the same run, never a timed assertion. Prints a table and writes
// bench/results/latest.json. Usage: node bench/run.mjs [--only startup,runner,apiserver] [--quick]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, totalmem } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { benchStartup } from './startup.mjs';
import { benchRunner } from './runner.mjs';
import { benchApiServer, MissingPrerequisite } from './apiserver.mjs';
import { benchTimeToMesh } from './time-to-mesh.mjs';
import { benchPlanSize } from './plan-size.mjs';
import { benchKwokApply, benchKwokPlan, KwokPrerequisite } from './kwok.mjs';

const SECTIONS = ['startup', 'runner', 'apiserver', 'time-to-mesh', 'plan-size', 'kwok-plan'];
/** Sections that take many minutes and GiBs of memory: run only when named with --only. */
const OPT_IN = ['kwok-apply'];
const repoRoot = resolve(import.meta.dirname, '..');
const cliBin = join(repoRoot, 'packages/cli/dist/bin.js');
const coreIndex = join(repoRoot, 'packages/core/dist/index.js');
const resultsFile = join(repoRoot, 'bench/results/latest.json');

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'kwok-sizes': { type: 'string', default: '5,20,50' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  process.stdout.write(
    `Usage: pnpm bench [--only ${[...SECTIONS, ...OPT_IN].join(',')}] [--quick] [--kwok-sizes 5,20,50]\n  --quick  fewer repetitions (smoke run; noisier ratios)\n  kwok-apply runs only when named (minutes, GiBs)\nSee bench/README.md.\n`,
  );
  process.exit(0);
}
const only = args.only
  ? args.only
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
  : SECTIONS;
const unknown = only.filter((s) => !SECTIONS.includes(s) && !OPT_IN.includes(s));
if (unknown.length) {
  process.stderr.write(`unknown section(s) ${unknown.join(', ')}; choose from ${[...SECTIONS, ...OPT_IN].join(', ')}\n`);
  process.exit(2);
}

const missing = [cliBin, coreIndex].filter((f) => !existsSync(f));
if (missing.length) {
  process.stderr.write(
    `The benchmarks measure the built packages, and these are missing:\n${missing.map((f) => `  ${relative(repoRoot, f)}`).join('\n')}\nRun \`pnpm build\` first, then \`pnpm bench\`.\n`,
  );
  process.exit(2);
}

const quick = args.quick;
const settings = {
  startup: { runs: quick ? 5 : 15, warmups: 2 },
  runner: { reps: quick ? 1 : 5, shape: { clusters: 3, stepsPerCluster: 8, stepMs: 20 } },
  apiserver: { rounds: quick ? 1 : 3, shape: { namespaces: 3, perKind: 100 } },
  // Real durations × scale: 1/50 keeps a full run to a few minutes; --quick halves it again (noisier).
  timeToMesh: { scale: quick ? 0.01 : 0.02, pullSeconds: 10 },
  planSize: { runs: quick ? 3 : 7, clusters: 120, exports: 20_000 },
  'kwok-plan': { runs: quick ? 2 : 5, size: 50 },
  'kwok-apply': {
    sizes: args['kwok-sizes']
      .split(',')
      .map(Number)
      .filter((n) => n > 0),
  },
};

const log = (m) => process.stderr.write(`${m}\n`);
const out = (m) => process.stdout.write(`${m}\n`);
const cpuList = cpus();
const meta = {
  date: new Date().toISOString(),
  node: process.version,
  nodePath: process.execPath,
  platform: `${platform()} ${arch()}`,
  cpus: cpuList.length,
  cpuModel: cpuList[0]?.model,
  memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  /** Other work on the machine skews absolute times (ratios less so): recorded at start and end. */
  loadAverage1m: { start: Math.round(loadavg()[0] * 100) / 100 },
  quick,
  settings,
};
out(
  `meshspec benchmarks — node ${meta.node}, ${meta.platform}, ${meta.cpus} CPU(s) (${meta.cpuModel ?? 'unknown'})${quick ? ', --quick' : ''}`,
);
out('Ratios compare against a baseline measured in this same run; absolute times depend on the machine.');
out(`1-minute load average at start: ${meta.loadAverage1m.start} (on ${meta.cpus} CPU(s)); a busy machine inflates absolute times.\n`);

const results = { meta, sections: {}, flags: [], errors: [] };
let failed = false;
for (const section of only) {
  log(`running ${section} ...`);
  try {
    let r;
    if (section === 'startup') r = await benchStartup({ repoRoot, cliBin, ...settings.startup });
    if (section === 'runner') r = await benchRunner({ core: await import(pathToFileURL(coreIndex).href), ...settings.runner });
    if (section === 'kwok-plan') r = await benchKwokPlan({ repoRoot, cliBin, ...settings['kwok-plan'] });
    if (section === 'kwok-apply') r = await benchKwokApply({ repoRoot, cliBin, log, ...settings['kwok-apply'] });
    if (section === 'apiserver')
      r = await benchApiServer({ repoRoot, core: await import(pathToFileURL(coreIndex).href), log, ...settings.apiserver });
    if (section === 'time-to-mesh')
      r = await benchTimeToMesh({ repoRoot, core: await import(pathToFileURL(coreIndex).href), log, ...settings.timeToMesh });
    if (section === 'plan-size') r = await benchPlanSize({ repoRoot, cliBin, ...settings.planSize });
    results.sections[section] = r.json;
    results.flags.push(...r.flags);
    out(`${r.text}\n`);
  } catch (e) {
    failed = true;
    const message = e instanceof MissingPrerequisite || e instanceof KwokPrerequisite ? e.message : (e?.stack ?? String(e));
    results.errors.push({ section, message });
    out(`${section}: FAILED\n${message.replace(/^/gm, '  ')}\n`);
  }
}

if (results.flags.length) out(`Flags (informational, not failures):\n${results.flags.map((f) => `  ⚠ ${f}`).join('\n')}\n`);
meta.loadAverage1m.end = Math.round(loadavg()[0] * 100) / 100;
mkdirSync(dirname(resultsFile), { recursive: true });
writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
out(`wrote ${relative(repoRoot, resultsFile)}`);
process.exit(failed ? 1 : 0);
