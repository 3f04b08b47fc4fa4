// Seeded mutation fuzzing of the example topologies through what `meshspec validate`/`plan` do in process
// (Session.open: parse, schema, plugins' resolve/validate, steps, DAG). Every case must end as a valid
// topology or as user errors: never an internal error, never a diagnostic without a real position, and
// with bounded output and time. Past failures live in __fuzz__/corpus/ and run first, every time.
//   MESHSPEC_FUZZ_CASES=20000 MESHSPEC_FUZZ_SEED=7 scripts/pnpm vitest run --project unit packages/cli/src/fuzz.test.ts
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDiagnostics, MeshspecError, Session, TopologyError, type MeshspecLogger } from '@meshspec/core';
import { describe, expect, it } from 'vitest';
import { builtinPlugins } from './builtin-plugins.js';
import { EXAMPLES, FIXTURES } from './__fixtures__/run-cli.js';
import { mutate, random } from './__fuzz__/mutate.js';

const CASES = Number(process.env.MESHSPEC_FUZZ_CASES ?? 1_000);
const SEED = Number(process.env.MESHSPEC_FUZZ_SEED ?? 20_261_129);
const CORPUS = join(FIXTURES, '../__fuzz__/corpus');
/** Per case: well above a normal validation (a few ms), far below "hangs". */
const MAX_CASE_MS = 3_000;
const MAX_OUTPUT_CHARS = 40_000;

const EXAMPLE_FILES = [
  'linkerd-multicluster/topology.yaml',
  'linkerd-multicluster/seed-original-subnets.yaml',
  'modern-linkerd/topology.yaml',
  'three-clusters/topology.yaml',
];
const seeds = EXAMPLE_FILES.map((file) => ({ file, text: readFileSync(join(EXAMPLES, file), 'utf8') }));

const quiet: MeshspecLogger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet } as unknown as MeshspecLogger;
const dir = mkdtempSync(join(tmpdir(), 'meshspec-fuzz-'));

type Outcome = 'valid' | 'diagnostics' | 'other user error';

/** Runs one text through Session.open; returns the outcome class, or throws describing what is wrong. */
async function check(name: string, text: string): Promise<Outcome> {
  const file = join(dir, 'topology.yaml');
  writeFileSync(file, text);
  const started = performance.now();
  let outcome: Outcome;
  try {
    await Session.open({ file, plugins: builtinPlugins, log: quiet, stateDir: join(dir, 'state') });
    outcome = 'valid';
  } catch (error) {
    if (error instanceof TopologyError) {
      const lines = (error.sources[file] ?? text).split('\n');
      for (const d of error.diagnostics) {
        const where = `${name}: ${d.line}:${d.column} ${d.message}`;
        if (!(d.line >= 1 && d.line <= Math.max(1, lines.length))) throw new Error(`unpositioned (line outside the file): ${where}`);
        if (!(d.column >= 1 && d.column <= (lines[d.line - 1] ?? '').replace(/\r$/, '').length + 1))
          throw new Error(`unpositioned (column outside the line): ${where}`);
        if (!d.message) throw new Error(`empty message: ${where}`);
      }
      const output = formatDiagnostics(error.diagnostics, { color: false, sources: error.sources });
      if (output.length > MAX_OUTPUT_CHARS) throw new Error(`${name}: ${output.length} characters of output`);
      if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(output)) throw new Error(`${name}: control characters in the output`);
      outcome = 'diagnostics';
    } else if (error instanceof MeshspecError && !/failed to build its steps|this is a bug/.test(error.message)) {
      outcome = 'other user error';
    } else {
      throw new Error(`internal error in ${name}: ${(error as Error).stack ?? String(error)}`);
    }
  }
  const elapsed = performance.now() - started;
  if (elapsed > MAX_CASE_MS) throw new Error(`${name}: took ${elapsed.toFixed(0)} ms`);
  return outcome;
}

describe('fuzzing the example topologies', () => {
  it('the corpus of past failures (regression cases) all end as user errors', async () => {
    const files = readdirSync(CORPUS)
      .filter((f) => f.endsWith('.yaml'))
      .sort();
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const name of files) expect(await check(`corpus/${name}`, readFileSync(join(CORPUS, name), 'utf8')), name).not.toBe('valid');
  });

  it(`${CASES} seeded mutations (seed ${SEED}): 0 internal errors, 0 unpositioned errors, bounded output and time`, async () => {
    const rnd = random(SEED);
    const counts: Record<Outcome, number> = { valid: 0, diagnostics: 0, 'other user error': 0 };
    const failures: string[] = [];
    const started = performance.now();
    for (let i = 0; i < CASES; i++) {
      const seed = seeds[i % seeds.length]!;
      const { text, applied } = mutate(seed.text, rnd);
      const name = `case ${i} (seed ${SEED}, ${seed.file}: ${applied.join(', ')})`;
      try {
        counts[await check(name, text)]++;
      } catch (error) {
        failures.push((error as Error).message);
        // Kept for a person to look at and, once fixed, to move into the corpus.
        const failed = join(FIXTURES, '../__fuzz__/failures');
        mkdirSync(failed, { recursive: true });
        writeFileSync(join(failed, `seed-${SEED}-case-${i}.yaml`), text);
      }
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `fuzz: ${CASES} cases in ${seconds} s: ${counts.valid} valid, ${counts.diagnostics} with diagnostics, ${counts['other user error']} other user errors, ${failures.length} failures`,
    );
    expect(failures.slice(0, 5)).toEqual([]);
    // The mutations must mostly break things, or the fuzzer tests little.
    expect(counts.diagnostics).toBeGreaterThan(CASES / 2);
  }, 600_000);
});
