import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { LockError } from '../errors.js';
import { acquireLock } from './lock.js';

const stateDir = () => join(mkdtempSync(join(tmpdir(), 'meshspec-lock-')), 'demo');

describe('acquireLock', () => {
  it('writes the holder and removes the lock on release', async () => {
    const dir = stateDir();
    const lock = await acquireLock(dir, { command: 'meshspec apply' });
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toMatchObject({
      pid: process.pid,
      hostname: hostname(),
      command: 'meshspec apply',
    });
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    lock.release(); // idempotent
    (await acquireLock(dir, { command: 'meshspec destroy' })).release();
  });

  it('refuses while a live holder has it, naming pid, command, host and the file to remove', async () => {
    const dir = stateDir();
    const first = await acquireLock(dir, { command: 'meshspec apply', topology: 'linkerd-multicluster' });
    const error = await acquireLock(dir, { command: 'meshspec destroy', topology: 'linkerd-multicluster' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockError);
    const message = (error as Error).message;
    expect(message).toMatch(
      new RegExp(
        `^another meshspec \\(pid ${process.pid}, \`meshspec apply\`, started \\d\\d:\\d\\d:\\d\\d on ${hostname()}\\) holds the lock for topology linkerd-multicluster; wait for it or, if it is gone, remove `,
      ),
    );
    expect(message.endsWith(join(dir, 'lock'))).toBe(true);
    first.release();
  });

  it('takes over the lock of a holder that is no longer running, with a warning', async () => {
    const dir = stateDir();
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    await acquireLock(dir, { command: 'x' }).then((l) => l.release()); // creates the dir
    writeFileSync(
      join(dir, 'lock'),
      JSON.stringify({ pid: dead, hostname: hostname(), command: 'meshspec apply', startedAt: new Date().toISOString() }),
    );
    const warnings: string[] = [];
    const lock = await acquireLock(dir, { command: 'meshspec apply', warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([`taking over the lock of topology demo from pid ${dead} (\`meshspec apply\`), which is no longer running`]);
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('does not guess about a holder on another host', async () => {
    const dir = stateDir();
    await acquireLock(dir, { command: 'x' }).then((l) => l.release());
    writeFileSync(
      join(dir, 'lock'),
      JSON.stringify({ pid: 1, hostname: 'elsewhere', command: 'meshspec apply', startedAt: new Date().toISOString() }),
    );
    await expect(acquireLock(dir, { command: 'meshspec apply' })).rejects.toThrow(/pid 1, `meshspec apply`, started .* on elsewhere/);
  });
});
