// The command router: dispatch + the one place errors become messages and exit codes: typed errors print what to do,
// never a stack trace (unless --verbose, for internal errors only).
import { dirname, resolve } from 'node:path';
import {
  CancelledError,
  MeshspecError,
  TopologyError,
  createLogger,
  diagnosticsForJson,
  formatDiagnostics,
  loadConfig,
  loadConfiguredPlugins,
} from '@meshspec/core';
import { UsageError, type CliOptions } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { builtinPlugins } from '../builtin-plugins.js';
import type { CommandEnv } from './context.js';

export async function runCommand(options: CliOptions, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const env = io.env ?? process.env;
  const color = !!io.stderr.isTTY && !env.NO_COLOR && !env.CI;
  const log = createLogger({ stream: io.stderr, verbose: options.verbose });
  try {
    const file = options.file ? resolve(cwd, options.file) : undefined;
    const loaded = await loadConfig({
      searchFrom: file ? dirname(file) : cwd,
      ...(options.config ? { explicitPath: resolve(cwd, options.config) } : {}),
    });
    const plugins = [...builtinPlugins, ...(await loadConfiguredPlugins(loaded))];
    if (loaded.filepath) log.debug(`config: ${loaded.filepath}`);
    const ctx: CommandEnv = { options, io, log, plugins, config: loaded.config, cwd, color, ...(file ? { file } : {}) };
    switch (options.command) {
      case 'validate':
        return await (await import('./validate.js')).validateCommand(ctx);
      case 'plan':
        return await (await import('./plan.js')).planCommand(ctx);
      case 'apply':
      case 'destroy':
        return await (await import('./apply.js')).applyCommand(ctx, options.command);
      case 'status':
        return await (await import('./status.js')).statusCommand(ctx);
      case 'verify':
        return await (await import('./verify.js')).verifyCommand(ctx);
      case 'rotate':
        return await (await import('./rotate.js')).rotateCommand(ctx);
      case 'schema':
        return await (await import('./schema.js')).schemaCommand(ctx);
      case 'doctor':
        return await (await import('./doctor.js')).doctorCommand(ctx);
      default:
        io.stderr.write(`meshspec: unknown command '${options.command}'\n`);
        return 2;
    }
  } catch (error) {
    return reportError(error, { io, options, color });
  }
}

export function reportError(error: unknown, { io, options, color }: { io: CliIo; options: CliOptions; color: boolean }): number {
  if (error instanceof TopologyError) {
    if (options.output === 'json')
      io.stdout.write(`${JSON.stringify({ valid: false, ...diagnosticsForJson(error.diagnostics) }, null, 2)}\n`);
    else io.stderr.write(`${formatDiagnostics(error.diagnostics, { color, sources: error.sources })}\n`);
    return 1;
  }
  // -o json promises a JSON answer on stdout for every outcome, not only for topology diagnostics.
  if (options.output === 'json')
    io.stdout.write(`${JSON.stringify({ ...(options.command === 'validate' ? { valid: false } : {}), ...jsonFailure(error) })}\n`);
  if (error instanceof CancelledError) {
    io.stderr.write(`meshspec: ${error.message}\n`);
    return 130;
  }
  // An option only the command can check (e.g. --parallel's syntax, parsed with the engine's rules).
  if (error instanceof UsageError) {
    io.stderr.write(`meshspec: ${error.message}\nRun 'meshspec ${options.command} --help' for usage.\n`);
    return 2;
  }
  if (error instanceof MeshspecError) {
    io.stderr.write(`meshspec: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`meshspec: internal error: ${message}\n`);
  if (options.verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  else io.stderr.write(`(this is a bug in meshspec or a plugin; rerun with --verbose for details and report it)\n`);
  return 1;
}

/** `-o json` answer for a failure that is not a topology diagnostic (stdout must hold JSON for every outcome). */
function jsonFailure(error: unknown): { ok: false; error: { kind: string; message: string } } {
  const internal = !(error instanceof MeshspecError);
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, error: { kind: internal ? 'internal' : error.name, message } };
}
