// What every command receives and shares: the command environment and opening a session on its topology.
// The router (run.ts) builds the environment and imports the commands; the commands import this module, never
// the router, so no command module is loaded back by the module that loads it.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatDiagnostics, MeshspecError, type MeshspecConfig, type MeshspecLogger, type Plugin } from '@meshspec/core';
import type { CliOptions } from '../args.js';
import type { CliIo } from '../cli-io.js';

export interface CommandEnv {
  options: CliOptions;
  io: CliIo;
  log: MeshspecLogger;
  plugins: Plugin[];
  config: MeshspecConfig;
  cwd: string;
  /** Absolute path of the topology file, if the command takes one. */
  file?: string;
  color: boolean;
}

/** Opens a session for the command's topology with config-level defaults applied. */
export async function openSession(ctx: CommandEnv) {
  const { Session } = await import('@meshspec/core');
  const stateDir = ctx.options.stateDir ?? ctx.config.stateDir;
  const typedKubeconfig = ctx.options.kubeconfig;
  const kubeconfig = typedKubeconfig ? resolve(ctx.cwd, typedKubeconfig) : undefined;
  // Said once, up front, instead of once per failing step. (Contexts are not checked here: kind creates them during apply.)
  if (typedKubeconfig && kubeconfig && !existsSync(kubeconfig)) throw new MeshspecError(`--kubeconfig ${typedKubeconfig}: no such file`);
  const session = await Session.open({
    file: sessionFile(ctx),
    plugins: ctx.plugins,
    log: ctx.log,
    verbose: ctx.options.verbose,
    ...(stateDir ? { stateDir: resolve(ctx.cwd, stateDir) } : {}),
    ...(kubeconfig ? { kubeconfig } : {}),
    ...(ctx.io.env ? { toolEnv: ctx.io.env } : {}),
  });
  // Warnings (deprecations...) go to stderr like errors, positioned with their fix; `validate -o json`
  // also lists them in its document.
  if (session.warnings.length > 0 && ctx.options.output !== 'json') {
    ctx.io.stderr.write(
      `${formatDiagnostics(session.warnings, { color: ctx.color, sources: { [session.source.file]: session.source.text } })}\n`,
    );
  }
  return session;
}

/**
 * The topology path to open: as the user typed it (diagnostics show what they wrote) when it resolves the
 * same from this process's directory, else absolute — `main(argv, { cwd })` may run elsewhere than process.cwd().
 */
function sessionFile(ctx: CommandEnv): string {
  const typed = ctx.options.file;
  return typed !== undefined && resolve(typed) === ctx.file ? typed : ctx.file!;
}
