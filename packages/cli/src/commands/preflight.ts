// Before apply runs anything: every external tool the pending steps' plugins need for this topology is on
// PATH (e.g. linkerd-smi on the seed path), so a missing one is one clear error up front instead of a failed
// step after clusters were already created.
import { MeshspecError, type CommandRunner, type Plugin, type Session } from '@meshspec/core';

export async function missingTools(session: Session, only: string[], exec: Pick<CommandRunner, 'which'>): Promise<string[]> {
  const { plan, upToDate } = await session.planView(only);
  const pendingPlugins = new Set(plan.steps.filter((s) => !upToDate.has(s.id)).map((s) => s.id.split(':')[0]));
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const plugin of session.plugins as readonly Plugin[]) {
    if (!pendingPlugins.has(plugin.name)) continue;
    for (const tool of plugin.tools ?? []) {
      if (seen.has(tool.command) || !(tool.neededFor?.(session.topology) ?? true)) continue;
      seen.add(tool.command);
      if (!(await exec.which(tool.command))) missing.push(`${tool.command} (${plugin.name}: ${tool.why})`);
    }
  }
  return missing;
}

export async function preflight(session: Session, only: string[], exec: Pick<CommandRunner, 'which'>): Promise<void> {
  const missing = await missingTools(session, only, exec);
  if (missing.length === 0) return;
  throw new MeshspecError(`not found on PATH, needed by this apply: ${missing.join('; ')}. Install them (meshspec doctor ${session.options.file} lists what is needed) and apply again; nothing was changed`);
}
