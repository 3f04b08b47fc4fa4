// `meshspec rotate <file> --issuer | --trust-anchor`: the plugin that owns the credential rotates it.
import { openSession, type CommandEnv } from './context.js';

export async function rotateCommand(ctx: CommandEnv): Promise<number> {
  const session = await (await openSession(ctx)).prepare();
  const lines = await session.rotate(ctx.options.rotate!);
  const failed = lines.filter((l) => !l.ok && l.level !== 'warn');
  if (ctx.options.output === 'json') {
    ctx.io.stdout.write(
      `${JSON.stringify({ topology: session.topology.metadata.name, rotate: ctx.options.rotate, ok: failed.length === 0, actions: lines }, null, 2)}\n`,
    );
  } else {
    for (const line of lines)
      ctx.io.stdout.write(
        `${line.ok ? '✓' : line.level === 'warn' ? '!' : '✗'} ${line.cluster ? `[${line.cluster}] ` : ''}${line.name}: ${line.detail}\n`,
      );
  }
  return failed.length === 0 ? 0 : 1;
}
