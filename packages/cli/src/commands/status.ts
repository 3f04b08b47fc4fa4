import type { CommandEnv } from './run.js';
import { openSession } from './run.js';

export async function statusCommand(ctx: CommandEnv): Promise<number> {
  const session = await (await openSession(ctx)).prepare();
  const lines = await session.status();
  const failed = lines.filter((l) => !l.ok && l.level !== 'warn');
  if (ctx.options.output === 'json') {
    ctx.io.stdout.write(`${JSON.stringify({ topology: session.topology.metadata.name, ok: failed.length === 0, checks: lines }, null, 2)}\n`);
  } else {
    for (const line of lines) {
      const mark = line.ok ? (line.level === 'warn' ? '!' : '✓') : line.level === 'warn' ? '!' : '✗';
      ctx.io.stdout.write(`${mark} ${line.cluster ? `[${line.cluster}] ` : ''}${line.name}: ${line.detail}\n`);
    }
    ctx.io.stdout.write(`${lines.length - failed.length}/${lines.length} checks passed\n`);
  }
  return failed.length === 0 ? 0 : 1;
}
