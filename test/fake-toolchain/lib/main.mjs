// Entry point of every fake executable: log the call, apply injected failures, run the tool, exit like it.
import { contextOfCall, injectedFailure, logCall, readStdin, sleep, sleepFor, ToolExit } from './common.mjs';

const tools = {
  kind: () => import('./kind.mjs'),
  docker: () => import('./docker.mjs'),
  helm: () => import('./helm.mjs'),
  linkerd: () => import('./linkerd.mjs'),
  'linkerd-smi': () => import('./linkerd.mjs'),
  kubectl: () => import('./kubectl.mjs'),
};

export async function main(tool) {
  const argv = process.argv.slice(2);
  const stdin = readStdin();
  const call = {
    tool,
    argv,
    ...(stdin !== undefined ? { stdin } : {}),
    cwd: process.cwd(),
    ts: new Date().toISOString(),
    pid: process.pid,
  };
  const extra = {};
  let code = 0;
  try {
    const rule = injectedFailure([tool, ...argv].join(' '), contextOfCall(tool, argv));
    if (rule) {
      extra.injected = rule;
      throw new ToolExit(1, `Error: injected failure (MESHSPEC_FAKE_FAIL rule "${rule}")\n`);
    }
    const delay = sleepFor([tool, ...argv].join(' '), contextOfCall(tool, argv));
    if (delay > 0) {
      extra.sleptMs = delay;
      await sleep(delay);
    }
    const module = await tools[tool]();
    const out = await module.run(tool === 'linkerd-smi' ? ['smi', ...argv] : argv, { stdin, extra, tool });
    if (out) process.stdout.write(out);
  } catch (error) {
    if (!(error instanceof ToolExit)) {
      process.stderr.write(`fake ${tool}: internal error: ${error?.stack ?? error}\n`);
      code = 70;
    } else {
      if (error.stdout) process.stdout.write(error.stdout);
      if (error.stderr) process.stderr.write(error.stderr);
      code = error.code;
    }
  }
  // Logged at the end so the line carries the outcome; `ts` is when the call started.
  logCall({ ...call, ...extra, exitCode: code, endTs: new Date().toISOString() });
  process.exitCode = code;
}
