// Runs the CLI in-process the way the binary does, but with string buffers for stdout/stderr so tests
// can assert on exactly what a user would see. CI=true keeps the output plain (no colour, no live tree).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { main } from '../main.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const EXAMPLES = join(REPO, 'examples');
export const FIXTURES = dirname(fileURLToPath(import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export async function runCli(argv: string[], options: RunCliOptions = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (chunk: string) => (stdout += chunk), isTTY: false },
    stderr: { write: (chunk: string) => (stderr += chunk), isTTY: false },
    cwd: options.cwd ?? REPO,
    env: { CI: 'true', ...options.env },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { code, stdout, stderr };
}

/** Stack frames look like `    at fn (file:1:2)`; users must never see one for a topology or usage problem. */
export function stackFrames(text: string): string[] {
  return text.split('\n').filter((line) => /^\s+at /.test(line));
}

/**
 * File URL of the built core package. Plugins written to a temp dir are imported by Node itself, which
 * cannot load TypeScript sources, so they import the build output (`pnpm build` runs before tests in CI).
 */
export function builtCoreUrl(): string {
  const file = join(REPO, 'packages/core/dist/index.js');
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run \`pnpm build\` first (plugin fixtures import the built @meshspec/core)`);
  }
  return pathToFileURL(file).href;
}

/**
 * The validation warnings the examples carry on purpose (deprecations the seed keeps as it was; the smi
 * section's SMI notice with Linkerd 2.18+), by field path: commands print them on stderr.
 */
export const EXAMPLE_WARNINGS: Record<string, string[]> = {
  'linkerd-multicluster': ['ingress.controller'],
  'three-clusters': ['ingress.controller'],
  'modern-linkerd': ['smi'],
  'custom-plugin': [],
  'six-clusters': [],
  'simulated-mesh': [],
};

/** Field paths of the `file:line:col warning path: message` lines of a command's stderr. */
export function warningPaths(stderr: string): string[] {
  return [...stderr.matchAll(/^\S+:\d+:\d+ warning (\S+): /gm)].map((m) => m[1]!);
}

/** stderr is nothing but the formatted warnings with these paths. */
export function onlyWarnings(stderr: string): { paths: string[]; errors: number } {
  return { paths: warningPaths(stderr), errors: [...stderr.matchAll(/^\S+:\d+:\d+ error /gm)].length };
}
