// Long-running test processes (etcd, kube-apiserver, ...) each in its own process group, so stopping one
// also stops anything it forked, and nothing outlives the test run.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';

export interface ManagedProcess {
  name: string;
  pid: number;
  logFile: string;
  child: ChildProcess;
  /** Resolves with the exit code/signal once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
}

const everyGroup = new Set<number>();
let hooksInstalled = false;

/** Last resort: whatever happens to the test process, its control planes die with it. */
function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.once('exit', () => {
    for (const pgid of everyGroup) killGroup(pgid, 'SIGKILL');
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      for (const pgid of everyGroup) killGroup(pgid, 'SIGKILL');
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

export function startProcess(
  name: string,
  file: string,
  args: string[],
  logFile: string,
  env: NodeJS.ProcessEnv = process.env,
): ManagedProcess {
  installExitHooks();
  const fd = openSync(logFile, 'a');
  const child = spawn(file, args, { detached: true, stdio: ['ignore', fd, fd], env });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${name} (${file})`);
  const pid = child.pid;
  everyGroup.add(pid);
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
    child.once('error', () => {
      done = true;
      resolve({ code: -1, signal: null });
    });
  });
  return { name, pid, logFile, child, exited, hasExited: () => done };
}

/** SIGTERM to each process group, SIGKILL to those still there after `graceMs`. */
export async function stopProcesses(processes: ManagedProcess[], graceMs = 5_000): Promise<void> {
  for (const p of processes) killGroup(p.pid, 'SIGTERM');
  await Promise.all(
    processes.map(async (p) => {
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
      if ((await Promise.race([p.exited, timer])) === 'timeout') {
        killGroup(p.pid, 'SIGKILL');
        await p.exited;
      }
      // Grandchildren in the group that ignored SIGTERM.
      killGroup(p.pid, 'SIGKILL');
      everyGroup.delete(p.pid);
    }),
  );
}

export function logTail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
