// Before the first step of apply/destroy: every external tool the selected steps will run must be on PATH
// and answer its version command. A missing docker is then one message listing everything to install,
// not a failure after the trust anchor, keys and state.json were already written.
import { MeshspecError } from '../errors.js';
import { factsAccess } from '../plugin/facts.js';
import type { CommandRunner } from '../exec/types.js';
import type { Plugin, Topology, ToolRequirement } from '../plugin/types.js';

export interface ToolNeed {
  plugin: string;
  tool: ToolRequirement;
}

export interface ToolFound {
  plugin: string;
  command: string;
  path: string;
  version: string;
}

/** The tools the topology needs from the plugins that own at least one of the steps about to run. */
export function toolsNeeded(plugins: readonly Plugin[], topology: Topology, stepOwners: ReadonlySet<string>): ToolNeed[] {
  const needs: ToolNeed[] = [];
  const seen = new Set<string>();
  for (const plugin of plugins) {
    if (!stepOwners.has(plugin.name)) continue;
    const section = topology[plugin.key];
    const tools = plugin.toolsFor ? plugin.toolsFor(topology, section, factsAccess(topology, plugin, plugins)) : (plugin.tools ?? []);
    for (const tool of tools) {
      if (seen.has(tool.command)) continue;
      seen.add(tool.command);
      needs.push({ plugin: plugin.name, tool });
    }
  }
  return needs;
}

/** Checks every need (in parallel); throws one MeshspecError naming every problem, or returns what was found. */
export async function checkTools(needs: readonly ToolNeed[], runner: CommandRunner, signal?: AbortSignal): Promise<ToolFound[]> {
  const results = await Promise.all(
    needs.map(async ({ plugin, tool }): Promise<ToolFound | string> => {
      const path = await runner.which(tool.command);
      if (!path) return `${tool.command} is not on PATH (plugin ${plugin} uses it: ${tool.why}); install it and put it on PATH`;
      const shown = [tool.command, ...tool.versionArgs].join(' ');
      const result = await runner
        .run(tool.command, tool.versionArgs, { reject: false, timeout: 15_000, ...(signal ? { signal } : {}) })
        .catch((error: unknown) => ({ stdout: '', stderr: error instanceof Error ? error.message : String(error), exitCode: 1 }));
      const output = `${result.stdout}\n${result.stderr}`;
      const version = tool.parseVersion ? tool.parseVersion(output) : /\d+\.\d+(\.\d+)?/.exec(output)?.[0];
      if (!version) {
        const said = output.trim().split('\n')[0]?.slice(0, 200) ?? '';
        return `${tool.command} at ${path} does not work: \`${shown}\` printed no version (exit ${result.exitCode ?? '?'}${said ? `: ${said}` : ''})`;
      }
      return { plugin, command: tool.command, path, version };
    }),
  );
  const problems = results.filter((r): r is string => typeof r === 'string');
  if (problems.length > 0) {
    throw new MeshspecError(
      `preflight: ${problems.length === 1 ? 'a tool this plan needs is missing or broken' : `${problems.length} tools this plan needs are missing or broken`}; nothing was changed\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\n  (`meshspec doctor <topology>` checks them all)',
    );
  }
  return results as ToolFound[];
}
