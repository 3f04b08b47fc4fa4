// What a meshspec killed with SIGKILL (or a forced quit) leaves behind, and how the next run clears it:
// - children that kept running in their own process groups (they are detached so a timeout can kill their
//   whole tree; a SIGKILLed parent cannot kill them): each run records the groups it starts in
//   `<stateDir>/running/<pgid>.json`, and the next run (holding the lock) stops those still alive before
//   any step runs, so a step is never re-run while its previous incarnation still works;
// - temp files of an atomic write that never got renamed (`state.json.<pid>.<hex>.tmp`).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const RUNNING_DIR = 'running';

interface GroupRecord {
  pgid: number;
  command: string;
  /** The meshspec process that started it. */
  owner: number;
  startedAt: string;
}

export interface ProcessGroupRecorder {
  started(pgid: number, command: string): void;
  ended(pgid: number): void;
}

/** Groups started by this process and not ended yet, for the summary of a forced quit. */
const running = new Map<number, string>();

/** The commands still running in this process's recorded groups (what a forced quit is about to kill). */
export function runningCommands(): string[] {
  return [...running.values()];
}

/** Records each process group a runner starts (and forgets it when it ends), synchronously: a SIGKILL may come at any time. */
export function recordProcessGroups(stateDir: string): ProcessGroupRecorder {
  const dir = join(stateDir, RUNNING_DIR);
  return {
    started(pgid, command) {
      running.set(pgid, command);
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const record: GroupRecord = { pgid, command, owner: process.pid, startedAt: new Date().toISOString() };
        writeFileSync(join(dir, `${pgid}.json`), `${JSON.stringify(record)}\n`, { mode: 0o600 });
      } catch {
        // Best effort: failing to record must not fail the command.
      }
    },
    ended(pgid) {
      running.delete(pgid);
      rmSync(join(dir, `${pgid}.json`), { force: true });
    },
  };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};
const groupAlive = (pgid: number) => alive(-pgid);

/** The group leader is still the program we started (pids are reused); unknown on systems without /proc. */
async function sameProgram(record: GroupRecord): Promise<boolean> {
  const cmdline = await readFile(`/proc/${record.pgid}/cmdline`, 'utf8').catch(() => undefined);
  if (cmdline === undefined) return true;
  const program = record.command.trim().split(/\s+/)[0] ?? '';
  return cmdline.split('\0').some((arg) => arg === program || basename(arg) === basename(program));
}

/**
 * Stops the process groups an earlier meshspec (now gone) left running: SIGTERM, then SIGKILL after
 * `graceMs`. Returns what was found, for a warning. Call while holding the lock, before any step runs.
 */
export async function stopLeftoverGroups(stateDir: string, options: { graceMs?: number } = {}): Promise<string[]> {
  const dir = join(stateDir, RUNNING_DIR);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const stopped: string[] = [];
  for (const name of names) {
    const file = join(dir, name);
    let record: GroupRecord;
    try {
      record = JSON.parse(readFileSync(file, 'utf8')) as GroupRecord;
    } catch {
      rmSync(file, { force: true });
      continue;
    }
    // Our own (this process) or a live meshspec's: not leftovers.
    if (record.owner === process.pid || alive(record.owner)) continue;
    if (groupAlive(record.pgid) && (await sameProgram(record))) {
      try {
        process.kill(-record.pgid, 'SIGTERM');
      } catch {
        // gone meanwhile
      }
      const deadline = Date.now() + (options.graceMs ?? 5_000);
      while (groupAlive(record.pgid) && Date.now() < deadline) await sleep(50);
      if (groupAlive(record.pgid)) {
        try {
          process.kill(-record.pgid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
      stopped.push(`${record.command} (process group ${record.pgid}, started ${record.startedAt} by meshspec pid ${record.owner})`);
    }
    rmSync(file, { force: true });
  }
  return stopped;
}

/** `name.<pid>.<hex>.tmp` files of atomic writes whose writer is gone; removes them and returns their names. */
export function removeLeftoverTempFiles(dirs: string[]): string[] {
  const removed: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const match = /\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name);
      if (!match) continue;
      const pid = Number(match[1]);
      if (pid !== process.pid && alive(pid)) continue;
      rmSync(join(dir, name), { force: true });
      removed.push(join(dir, name));
    }
  }
  return removed;
}
