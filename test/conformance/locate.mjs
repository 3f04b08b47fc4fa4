// Where the real upstream data lives (../shared/conformance beside the repo, see its README) and which
// files it promises. Plain JS so both the tests (through index.ts) and the fake toolchain's executables
// read the same folder the same way. The data is never copied into the repository; when it is missing,
// whoever needs it fails with CONFORMANCE_MISSING's instructions (CI has it; nothing skips).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Overrides the location (absolute, or relative to the repo root). */
export const CONFORMANCE_ENV = 'MESHSPEC_CONFORMANCE_DIR';
export const DEFAULT_CONFORMANCE_DIR = join('..', 'shared', 'conformance');

export class ConformanceDataError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ConformanceDataError';
  }
}

/** The data folder; throws ConformanceDataError saying what is missing and how to provide it. */
export function conformanceDir(env = process.env) {
  const given = env[CONFORMANCE_ENV];
  const dir = given ? (isAbsolute(given) ? given : resolve(REPO_ROOT, given)) : resolve(REPO_ROOT, DEFAULT_CONFORMANCE_DIR);
  const readme = join(dir, 'README.md');
  if (!existsSync(readme) || !statSync(dir).isDirectory()) {
    throw new ConformanceDataError(
      `The real upstream conformance data is missing: expected ${readme}` +
        (given ? ` (from ${CONFORMANCE_ENV}=${given})` : ` (${DEFAULT_CONFORMANCE_DIR} from the repo root ${REPO_ROOT})`) +
        `. Tests that check meshspec against the real CRDs and the real linkerd CLI's output need it, and never skip: ` +
        `put the shared conformance folder there (CI has it at ../shared/conformance), or point ${CONFORMANCE_ENV} at it. It is never copied into the repository.`,
    );
  }
  return dir;
}

const FILE_NAME = /^[\w.-]+\.(?:ya?ml|crt)$/;

/**
 * The files the README's table names, as `folder/file` paths: per row, every backticked folder
 * (`linkerd/stable-2.13.3/`) times every backticked file name in its "what" column. A row whose "what"
 * starts with "the same" also holds the previous row's files (that is how the README words it).
 */
export function listedFiles(readmeText) {
  const out = [];
  let previous = [];
  for (const line of readmeText.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || !cells[1]?.startsWith('`')) continue;
    const folders = [...cells[1].matchAll(/`([^`]+\/)`/g)].map((m) => m[1]);
    const what = cells[2] ?? '';
    const names = [...what.matchAll(/`([^`]+)`/g)].map((m) => m[1]).filter((n) => FILE_NAME.test(n));
    const files = [...new Set([...(/^the same\b/i.test(what) ? previous : []), ...names])];
    previous = files;
    for (const folder of folders) for (const file of files) out.push(`${folder}${file}`);
  }
  return out;
}

/** A listed file's text; a missing file is a ConformanceDataError naming it. */
export function readConformanceText(relPath, env = process.env) {
  const file = join(conformanceDir(env), relPath);
  if (!existsSync(file))
    throw new ConformanceDataError(
      `The conformance data at ${conformanceDir(env)} lacks ${relPath}: the tests need the complete folder as its README lists it.`,
    );
  return readFileSync(file, 'utf8');
}
