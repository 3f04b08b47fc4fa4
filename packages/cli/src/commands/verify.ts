// `meshspec verify`: every plugin's traffic checks, as a table per split (text) or as data (JSON).
import { DEFAULT_VERIFY_REQUESTS, DEFAULT_VERIFY_TIMEOUT_MS, formatSplitTable, type VerifyCheck } from '@meshspec/core';
import { openSession, type CommandEnv } from './context.js';

export async function verifyCommand(ctx: CommandEnv): Promise<number> {
  const session = await (await openSession(ctx)).prepare();
  const checks = await session.verify(verifyOptions(ctx));
  const ok = verifyPassed(checks);
  if (ctx.options.output === 'json')
    ctx.io.stdout.write(`${JSON.stringify({ topology: session.topology.metadata.name, ok, checks }, null, 2)}\n`);
  else ctx.io.stdout.write(formatVerifyChecks(checks));
  return ok ? 0 : 1;
}

export function verifyOptions(ctx: CommandEnv) {
  const timeout = Number(ctx.io.env?.['MESHSPEC_VERIFY_TIMEOUT_MS'] ?? process.env['MESHSPEC_VERIFY_TIMEOUT_MS']);
  return {
    requests: ctx.options.requests ?? DEFAULT_VERIFY_REQUESTS,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_VERIFY_TIMEOUT_MS,
  };
}

/** Skipped checks (could not be tried from here) and warnings do not fail verify. */
export function verifyPassed(checks: readonly VerifyCheck[]): boolean {
  return checks.every((c) => c.ok || c.level === 'warn' || c.level === 'skip');
}

export function formatVerifyChecks(checks: readonly VerifyCheck[]): string {
  const out: string[] = [];
  for (const check of checks) {
    const where = check.cluster ? `[${check.cluster}] ` : '';
    if (check.split) out.push(formatSplitTable(`${where}${check.name}`, check.split));
    else {
      const mark = check.level === 'skip' ? '-' : check.level === 'warn' ? '!' : check.ok ? '✓' : '✗';
      out.push(`${mark} ${where}${check.name}: ${check.detail}`);
    }
    for (const note of check.notes ?? []) out.push(`    ${note}`);
  }
  const failed = checks.filter((c) => !verifyPassed([c])).length;
  const skipped = checks.filter((c) => c.level === 'skip').length;
  out.push(
    checks.length === 0
      ? 'nothing to verify: the topology has no splits or exposed services'
      : `${checks.length - failed - skipped}/${checks.length} verify checks passed${skipped ? `, ${skipped} skipped` : ''}`,
  );
  return `${out.join('\n')}\n`;
}
