import { composeSchema, orderPlugins } from '@meshspec/core';
import type { CommandEnv } from './context.js';

export async function schemaCommand(ctx: CommandEnv): Promise<number> {
  ctx.io.stdout.write(`${JSON.stringify(composeSchema(orderPlugins(ctx.plugins)), null, 2)}\n`);
  return 0;
}
