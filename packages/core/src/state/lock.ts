// One meshspec at a time per topology: two applies racing on the same clusters and state.json would
// corrupt both. The lock is a file created with O_EXCL that names its holder.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { basename, join } from 'node:path';
import { LockError } from '../errors.js';
import { ensurePrivateDir } from './state-store.js';

export const LOCK_FILE = 'lock';

export interface LockHolder {
  pid: number;
  hostname: string;
  command: string;
  startedAt: string;
}

export interface Lock {
  readonly path: string;
  release(): void;
}

export interface AcquireLockOptions {
  /** What this process is doing, shown to whoever finds the lock held (e.g. `meshspec apply`). */
  command: string;
  /** Topology name for messages; defaults to the state dir's name. */
  topology?: string;
  /** Told when a dead holder's lock is taken over. */
  warn?(message: string): void;
}

export async function acquireLock(stateDir: string, options: AcquireLockOptions): Promise<Lock> {
  await ensurePrivateDir(stateDir);
  const path = join(stateDir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, hostname: osHostname(), command: options.command, startedAt: new Date().toISOString() };
  const topology = options.topology ?? basename(stateDir);

  // A few rounds: taking over a dead holder's lock races with any other process doing the same.
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      writeFileSync(path, `${JSON.stringify(me)}\n`, { flag: 'wx', mode: 0o600 });
      return holdLock(path, me);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = await readHolder(path);
    if (holder === 'gone') continue;
    if (holder === undefined) {
      throw new LockError(`the lock file ${path} for topology ${topology} is unreadable; if no meshspec is running, remove it`);
    }
    if (holder.hostname !== me.hostname || isAlive(holder.pid)) {
      throw new LockError(
        `another meshspec (pid ${holder.pid}, \`${holder.command}\`, started ${clock(holder.startedAt)} on ${holder.hostname}) ` +
          `holds the lock for topology ${topology}; wait for it or, if it is gone, remove ${path}`,
      );
    }
    options.warn?.(
      `taking over the lock of topology ${topology} from pid ${holder.pid} (\`${holder.command}\`), which is no longer running`,
    );
    try {
      unlinkSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  throw new LockError(`could not take the lock ${path} for topology ${topology}: other processes keep taking it`);
}

function holdLock(path: string, me: LockHolder): Lock {
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.removeListener('exit', release);
    // Only remove the file if it is still ours (a takeover may have replaced it).
    try {
      const current = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
      if (current.pid === me.pid && current.startedAt === me.startedAt) unlinkSync(path);
    } catch {
      // Already gone or unreadable: nothing of ours to remove.
    }
  };
  // Synchronous, so it also works from 'exit' (normal end, process.exit after an error or SIGINT).
  process.once('exit', release);
  return { path, release };
}

async function readHolder(path: string): Promise<LockHolder | 'gone' | undefined> {
  // The creator writes its JSON right after O_EXCL create; give a half-written file a moment.
  for (let i = 0; i < 3; i++) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
      throw e;
    }
    try {
      const holder = JSON.parse(text) as LockHolder;
      if (typeof holder.pid === 'number') return holder;
    } catch {
      // fall through and retry
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function clock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toTimeString().slice(0, 8);
}
