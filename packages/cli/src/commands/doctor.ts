import { factsAccess, orderPlugins, type CommandRunner, type DoctorCheck, type ToolRequirement } from '@meshspec/core';
import { openSession, type CommandEnv } from './context.js';

/** First thing in the output that looks like a version. */
export function versionIn(output: string): string | undefined {
  return /\bv?\d+\.\d+(?:\.\d+)?(?:[-+][\w.-]+)?\b|\b(?:stable|edge)-[\d.]+\b/.exec(output)?.[0];
}

export async function doctorCommand(ctx: CommandEnv): Promise<number> {
  // With a topology, check only the plugins it uses; without, every loaded plugin.
  let plugins = orderPlugins(ctx.plugins);
  // With a topology, the tools it needs as apply's preflight sees them (a configured linkerd cliPath,
  // linkerd-smi only in TrafficSplit mode, kubectl only for kustomize entries).
  let toolsOf = (plugin: (typeof plugins)[number]) => plugin.tools ?? [];
  if (ctx.file) {
    const { topology } = await openSession(ctx);
    plugins = plugins.filter((p) => topology[p.key] !== undefined);
    toolsOf = (plugin) =>
      plugin.toolsFor ? plugin.toolsFor(topology, topology[plugin.key], factsAccess(topology, plugin)) : (plugin.tools ?? []);
  }
  const { createCommandRunner } = await import('@meshspec/core');
  // io.env (when given) decides the PATH searched, so callers and tests can point doctor at other tools.
  const exec = createCommandRunner({ logger: ctx.log, verbose: ctx.options.verbose, ...(ctx.io.env ? { env: ctx.io.env } : {}) });
  const checks: (DoctorCheck & { plugin: string })[] = [];
  // Each tool once, under the first plugin that needs it; plugins' own checks (their doctor hook) too.
  const listed = new Set<string>();
  const add = (plugin: string, check: DoctorCheck) => {
    if (listed.has(check.name)) return;
    listed.add(check.name);
    checks.push({ plugin, ...check });
  };
  const checkTool = (tool: ToolRequirement) => toolCheck(exec, tool);
  for (const plugin of plugins) {
    for (const tool of toolsOf(plugin)) if (!listed.has(tool.command)) add(plugin.name, await checkTool(tool));
    if (plugin.doctor) for (const check of await plugin.doctor({ exec, checkTool })) add(plugin.name, check);
  }
  const failed = checks.filter((c) => !c.ok);
  if (ctx.options.output === 'json') {
    ctx.io.stdout.write(`${JSON.stringify({ ok: failed.length === 0, checks }, null, 2)}\n`);
  } else {
    for (const c of checks) {
      ctx.io.stdout.write(`${c.ok ? '✓' : '✗'} ${c.name} (${c.plugin}): ${c.detail}\n`);
      if (!c.ok && c.fix) ctx.io.stdout.write(`    fix: ${c.fix}\n`);
    }
    ctx.io.stdout.write(
      failed.length === 0 ? 'everything meshspec needs is here\n' : `${failed.length} problem${failed.length === 1 ? '' : 's'} found\n`,
    );
  }
  return failed.length === 0 ? 0 : 1;
}

/** One tool: on PATH, and the version it reports (a missing tool is a failed check with its fix). */
async function toolCheck(exec: CommandRunner, tool: ToolRequirement): Promise<DoctorCheck> {
  const path = await exec.which(tool.command);
  if (!path)
    return {
      name: tool.command,
      ok: false,
      detail: `not found on PATH (meshspec uses it: ${tool.why})`,
      fix: `install ${tool.command} and put it on PATH`,
    };
  const result = await exec
    .run(tool.command, tool.versionArgs, { reject: false, timeout: 15_000 })
    .catch((e: unknown) => ({ stdout: '', stderr: e instanceof Error ? e.message : String(e), exitCode: 1 }));
  const output = `${result.stdout}\n${result.stderr}`;
  const version = tool.parseVersion?.(output) ?? versionIn(output);
  return { name: tool.command, ok: true, detail: `${version ?? 'version unknown'} at ${path}` };
}
