import { openSession, type CommandEnv } from './context.js';

export async function validateCommand(ctx: CommandEnv): Promise<number> {
  const session = await openSession(ctx);
  const clusters = Object.keys(session.topology.clusters);
  if (ctx.options.output === 'json') {
    ctx.io.stdout.write(
      `${JSON.stringify({ valid: true, diagnostics: [], warnings: session.warnings, clusters, steps: session.plan.steps.length }, null, 2)}\n`,
    );
  } else {
    ctx.io.stdout.write(
      `${ctx.options.file}: valid — ${clusters.length} cluster${clusters.length === 1 ? '' : 's'} (${clusters.join(', ')}), ${session.plan.steps.length} steps\n`,
    );
  }
  return 0;
}
