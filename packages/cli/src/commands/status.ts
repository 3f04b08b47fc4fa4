import { openSession, type CommandEnv } from './context.js';

export async function statusCommand(ctx: CommandEnv): Promise<number> {
  const session = await (await openSession(ctx)).prepare();
  const lines = await session.status();
  const failed = lines.filter((l) => !l.ok && l.level !== 'warn');
  // --verify: the traffic checks too (meshspec verify), one exit code for both.
  const verify = ctx.options.verify ? await import('./verify.js') : undefined;
  const verifyChecks = verify ? await session.verify(verify.verifyOptions(ctx)) : undefined;
  const verified = !verify || !verifyChecks || verify.verifyPassed(verifyChecks);
  if (ctx.options.output === 'json') {
    ctx.io.stdout.write(
      `${JSON.stringify({ topology: session.topology.metadata.name, ok: failed.length === 0 && verified, checks: lines, ...(verifyChecks ? { verify: verifyChecks } : {}) }, null, 2)}\n`,
    );
  } else {
    for (const line of lines) {
      const mark = line.ok ? (line.level === 'warn' ? '!' : '✓') : line.level === 'warn' ? '!' : '✗';
      ctx.io.stdout.write(`${mark} ${line.cluster ? `[${line.cluster}] ` : ''}${line.name}: ${line.detail}\n`);
    }
    ctx.io.stdout.write(`${lines.length - failed.length}/${lines.length} checks passed\n`);
    if (verify && verifyChecks) ctx.io.stdout.write(verify.formatVerifyChecks(verifyChecks));
  }
  return failed.length === 0 && verified ? 0 : 1;
}
