import { mkdtempSync, readFileSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandError } from '../errors.js';
import { clearSecrets, createLogger, registerSecret } from '../log/logger.js';
import type { Logger } from '../log/types.js';
import { createCommandRunner, findOnPath, formatCommand } from './execa-runner.js';

function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = {
    lines,
    debug: (m: string) => void lines.push(`debug ${m}`),
    info: (m: string) => void lines.push(`info ${m}`),
    warn: (m: string) => void lines.push(`warn ${m}`),
    error: (m: string) => void lines.push(`error ${m}`),
    child: () => log,
  };
  return log;
}

const tmp = () => mkdtempSync(join(tmpdir(), 'meshspec-runner-'));

/** A process is gone when /proc no longer has it or it is a zombie waiting to be reaped by init. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, ms = 5_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return condition();
}

async function readPid(file: string): Promise<number> {
  await waitUntil(() => existsSync(file) && readFileSync(file, 'utf8').trim() !== '');
  return Number(readFileSync(file, 'utf8').trim());
}

describe('createCommandRunner (real child processes)', () => {
  it('pipes input to stdin and returns stdout', async () => {
    const runner = createCommandRunner({ logger: memoryLogger() });
    const result = await runner.run('sh', ['-c', 'tr a-z A-Z'], { input: 'hello mesh\n' });
    expect(result).toMatchObject({ exitCode: 0, stdout: 'HELLO MESH\n' });
  });

  it('passes factory env and per-call env to the child, per-call winning', async () => {
    const runner = createCommandRunner({ logger: memoryLogger(), env: { A: 'base', B: 'base' } });
    const result = await runner.run('sh', ['-c', 'echo "$A $B"'], { env: { B: 'call' } });
    expect(result.stdout.trim()).toBe('base call');
  });

  it('turns a non-zero exit into a CommandError with the command line, exit code and the last 20 stderr lines', async () => {
    const runner = createCommandRunner({ logger: memoryLogger() });
    const script = 'for i in $(seq 1 30); do echo "line $i" >&2; done; exit 3';
    const error = await runner.run('sh', ['-c', script]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    const e = error as CommandError;
    expect(e.reason).toBe('exit');
    expect(e.exitCode_).toBe(3);
    expect(e.command).toBe(formatCommand('sh', ['-c', script]));
    expect(e.message).toContain('exited with code 3');
    expect(e.stderrTail.split('\n')).toEqual(Array.from({ length: 20 }, (_, i) => `line ${i + 11}`));
    expect(e.message).toContain('line 30');
    expect(e.message).not.toContain('line 10\n');
  });

  // Issue 8 problem 5: the last 20 lines of a linkerd failure are usage text; the `Error:` line said why.
  it('keeps the first error lines of stderr as well as its end, in the message and in stderrTail', async () => {
    const runner = createCommandRunner({ logger: memoryLogger() });
    const script =
      'echo \'Error: context "west" does not exist\' >&2; echo Usage: >&2; for i in $(seq 1 40); do echo "  --flag-$i usage" >&2; done; exit 1';
    const e = (await runner.run('sh', ['-c', script]).catch((x: unknown) => x)) as CommandError;
    expect(e).toBeInstanceOf(CommandError);
    for (const text of [e.stderrTail, e.message]) {
      expect(text).toContain('Error: context "west" does not exist');
      expect(text).toContain('--flag-40 usage');
    }
    expect(e.stderrTail.split('\n').length).toBeLessThanOrEqual(20);
  });

  it('returns the result instead of throwing when reject is false', async () => {
    const runner = createCommandRunner({ logger: memoryLogger() });
    const result = await runner.run('sh', ['-c', 'echo out; echo err >&2; exit 4'], { reject: false });
    expect(result).toMatchObject({ exitCode: 4, stdout: 'out\n', stderr: 'err\n' });
  });

  it('kills the whole process tree on timeout, grandchildren included', async () => {
    const dir = tmp();
    const pidFile = join(dir, 'grandchild.pid');
    const runner = createCommandRunner({ logger: memoryLogger(), killGraceMs: 300 });
    const started = Date.now();
    const error = await runner.run('sh', ['-c', `sleep 300 & echo $! > ${pidFile}; wait`], { timeout: 500 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).reason).toBe('timeout');
    expect((error as CommandError).message).toMatch(/timed out after 500ms/);
    const grandchild = await readPid(pidFile);
    expect(grandchild).toBeGreaterThan(0);
    expect(await waitUntil(() => !isAlive(grandchild))).toBe(true);
  });

  it('escalates to SIGKILL for a tree that ignores SIGTERM', async () => {
    const dir = tmp();
    const pidFile = join(dir, 'stubborn.pid');
    const runner = createCommandRunner({ logger: memoryLogger(), killGraceMs: 200 });
    // Both the shell and its background child ignore TERM.
    const script = `trap '' TERM; sh -c "trap '' TERM; echo \\$\\$ > ${pidFile}; while :; do sleep 0.1; done" & wait`;
    const error = await runner.run('sh', ['-c', script], { timeout: 400 }).catch((e: unknown) => e);
    expect((error as CommandError).reason).toBe('timeout');
    const stubborn = await readPid(pidFile);
    expect(await waitUntil(() => !isAlive(stubborn))).toBe(true);
  });

  it('kills the tree when the abort signal fires', async () => {
    const dir = tmp();
    const pidFile = join(dir, 'grandchild.pid');
    const runner = createCommandRunner({ logger: memoryLogger(), killGraceMs: 300 });
    const controller = new AbortController();
    const pending = runner.run('sh', ['-c', `sleep 300 & echo $! > ${pidFile}; wait`], { signal: controller.signal });
    const grandchild = await readPid(pidFile);
    expect(isAlive(grandchild)).toBe(true);
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).reason).toBe('cancelled');
    expect(await waitUntil(() => !isAlive(grandchild))).toBe(true);
  });

  it('does not start a command whose signal is already aborted', async () => {
    const dir = tmp();
    const marker = join(dir, 'ran');
    const runner = createCommandRunner({ logger: memoryLogger() });
    const error = await runner.run('sh', ['-c', `touch ${marker}`], { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect((error as CommandError).reason).toBe('cancelled');
    expect(existsSync(marker)).toBe(false);
  });

  it('logs the argv at debug level with redacted strings replaced, also in errors and streamed output', async () => {
    const logger = memoryLogger();
    const runner = createCommandRunner({ logger, verbose: true });
    const secret = 's3cr3t-token-value';
    await runner.run('sh', ['-c', `echo "token=${secret}"`, 'x', `--token=${secret}`], { redact: [secret] });
    expect(logger.lines.some((l) => l.startsWith('debug $ sh -c') && l.includes('--token=***'))).toBe(true);
    expect(logger.lines.some((l) => l.includes('token=***'))).toBe(true);
    expect(logger.lines.join('\n')).not.toContain(secret);

    const error = (await runner
      .run('sh', ['-c', `echo "bad ${secret}" >&2; exit 1`], { redact: [secret] })
      .catch((e: unknown) => e)) as CommandError;
    expect(error.message).not.toContain(secret);
    expect(error.command).not.toContain(secret);
    expect(error.stderrTail).toBe('bad ***');
    expect(logger.lines.join('\n')).not.toContain(secret);
  });

  describe('secrets registered in the process (registerSecret), e.g. a key a plugin generated', () => {
    afterEach(() => clearSecrets());
    // A made-up key: only its shape matters (PEM lines, and the base64 a chart renders into a Secret).
    const pem = [
      '-----BEGIN EC PRIVATE KEY-----',
      'MHcCAQEEIBkGmP2t1pNLbFDDyU2w7Xr9p0fYp0mJ3nR2Q5a7b8c9oAoGCCqGSM49',
      'AwEHoUQDQgAE1s7VfB0TzX8yq3mO8pXqk4Yb9Lr2fW1uHn6vJz0cA5dE7gK2hR4s',
      '-----END EC PRIVATE KEY-----',
      '',
    ].join('\n');
    const base64 = Buffer.from(pem.trim()).toString('base64');
    const script = `printf 'apiVersion: v1\\nkind: Secret\\ndata:\\n  tls.key: %s\\n' ${base64}; printf '%s' '${pem}' >&2; printf 'last line without newline: %s' ${base64}`;

    it('a verbose run shows *** instead of the base64 of a registered PEM, on a real verbose logger', async () => {
      registerSecret(pem);
      registerSecret(base64);
      let out = '';
      const logger = createLogger({ verbose: true, stream: { write: (chunk: string) => (out += chunk) } });
      await createCommandRunner({ logger, verbose: true }).run('sh', ['-c', script]);
      expect(out).toContain('tls.key: ***');
      expect(out).toContain('last line without newline: ***');
      expect(out).not.toContain(base64);
      for (const line of pem.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'))) expect(out).not.toContain(line);
    });

    it('the runner itself redacts streamed output and CommandError stderr tails, whatever logger it is given', async () => {
      registerSecret(pem);
      registerSecret(base64);
      const logger = memoryLogger();
      const runner = createCommandRunner({ logger, verbose: true });
      await runner.run('sh', ['-c', script]);
      expect(logger.lines.some((l) => l.startsWith('debug ') && l.endsWith('tls.key: ***'))).toBe(true);
      const error = (await runner.run('sh', ['-c', `{ ${script}; } >&2; exit 3`]).catch((e: unknown) => e)) as CommandError;
      expect(error).toBeInstanceOf(CommandError);
      expect(error.stderrTail).toContain('tls.key: ***');
      for (const text of [error.stderrTail, error.message, logger.lines.join('\n')]) {
        expect(text).not.toContain(base64);
        expect(text).not.toContain(pem.split('\n')[1]);
      }
    });
  });

  it('reports a missing tool as reason not-found naming the tool and meshspec doctor', async () => {
    const runner = createCommandRunner({ logger: memoryLogger() });
    const error = (await runner.run('meshspec-no-such-tool', ['--version']).catch((e: unknown) => e)) as CommandError;
    expect(error).toBeInstanceOf(CommandError);
    expect(error.reason).toBe('not-found');
    expect(error.message).toContain('`meshspec-no-such-tool` was not found');
    expect(error.message).toContain('meshspec doctor');
  });

  it('which() resolves through PATH and returns undefined for missing tools', async () => {
    const dir = tmp();
    const tool = join(dir, 'mytool');
    writeFileSync(tool, '#!/bin/sh\necho hi\n');
    chmodSync(tool, 0o755);
    writeFileSync(join(dir, 'not-executable'), 'x');
    const runner = createCommandRunner({ logger: memoryLogger(), env: { PATH: `/nonexistent:${dir}` } });
    expect(await runner.which('mytool')).toBe(tool);
    expect(await runner.which('not-executable')).toBeUndefined();
    expect(await runner.which('meshspec-no-such-tool')).toBeUndefined();
    expect(await findOnPath('sh', process.env.PATH ?? '')).toMatch(/\/sh$/);
    expect(await findOnPath(tool, '')).toBe(tool);
  });
});

describe('formatCommand', () => {
  it.each([
    [['kind', 'create', 'cluster', '--name', 'demo'], 'kind create cluster --name demo'],
    [['sh', '-c', 'echo hi'], "sh -c 'echo hi'"],
    [['echo', "it's"], `echo 'it'\\''s'`],
    [['x', ''], "x ''"],
  ])('%j -> %s', (argv, expected) => {
    expect(formatCommand(argv[0]!, argv.slice(1))).toBe(expected);
  });
});
