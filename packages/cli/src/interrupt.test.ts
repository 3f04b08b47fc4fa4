// Ctrl-C on the real binary: the running step's child process is killed, what completed is saved in
// state, the lock is released, and the exit code is 130. Runs the built CLI (pnpm build) as a process.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { builtCoreUrl, REPO } from './__fixtures__/run-cli.js';

const PLUGIN = (coreUrl: string) => `
import { definePlugin } from ${JSON.stringify(coreUrl)};
export default definePlugin({
  name: 'hang',
  schema: { type: 'object', description: 'A quick step, then one whose child process never ends.', additionalProperties: false, properties: {} },
  steps(topology, section, ctx) {
    if (!section) return [];
    return [
      { id: 'hang:quick', title: 'quick', plan: ['true'], async run() { return { done: true }; } },
      {
        id: 'hang:forever', title: 'forever', needs: ['hang:quick'], plan: ['sleep 600'],
        async run(step) {
          // The child writes its pid, then sleeps in its own grandchild: the whole tree must die.
          await step.exec.run('sh', ['-c', 'sleep 600 & echo $! > "$0"; wait', ctx.topologyDir + '/child.pid']);
        },
      },
    ];
  },
});
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until the hanging step's child has written its pid (child.pid in `dir`) and returns it. */
async function hangingChild(dir: string, stderr: () => string): Promise<number> {
  const pidFile = join(dir, 'child.pid');
  for (let i = 0; i < 200 && !existsSync(pidFile); i++) await sleep(50);
  expect(existsSync(pidFile), `the step never started its child; stderr:\n${stderr()}`).toBe(true);
  return Number(readFileSync(pidFile, 'utf8').trim());
}

/** A project dir whose meshspec.config loads `plugin` (a hang plugin source) for a one-cluster topology `name`. */
function hangProject(prefix: string, name: string, plugin: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  writeFileSync(join(dir, 'meshspec.config.mjs'), "export default { plugins: ['./hang-plugin.mjs'] };\n");
  writeFileSync(join(dir, 'hang-plugin.mjs'), plugin);
  writeFileSync(
    join(dir, 'topology.yaml'),
    `apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: ${name} }\nclusters: { a: { context: ctx-a } }\nhang: {}\n`,
  );
  return dir;
}

describe('Ctrl-C during apply (built binary)', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    "%s kills the running step's process tree, saves state, releases the lock and exits 130",
    async (signal) => {
      const dir = hangProject('meshspec-interrupt-', 'interrupted', PLUGIN(builtCoreUrl()));

      const cli = spawn(process.execPath, [join(REPO, 'packages/cli/dist/bin.js'), 'apply', 'topology.yaml'], {
        cwd: dir,
        env: { ...process.env, CI: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      cli.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));

      const grandchild = await hangingChild(dir, () => stderr);
      expect(alive(grandchild)).toBe(true);
      const stateDir = join(dir, '.meshspec', 'interrupted');
      expect(existsSync(join(stateDir, 'lock'))).toBe(true);

      cli.kill(signal);
      expect(await exited).toBe(130);
      for (let i = 0; i < 200 && alive(grandchild); i++) await sleep(50);
      expect(alive(grandchild), "the step's grandchild process survived Ctrl-C").toBe(false);
      const state = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')) as { steps: Record<string, unknown> };
      expect(Object.keys(state.steps)).toEqual(['hang:quick']);
      expect(existsSync(join(stateDir, 'lock')), 'the lock outlived the process').toBe(false);
      expect(stderr).toContain(signal);
      expect(stderr).not.toMatch(/^\s+at /m);
    },
    30_000,
  );
});

describe('--timeout: the run-wide deadline (built binary)', () => {
  it.each(['apply', 'destroy'] as const)(
    "%s: when it fires, the running step's process tree is killed, state saved, the lock released; exit 1 naming the running steps and the global timeout",
    async (command) => {
      // destroy: the same plugin, whose forever step hangs in destroy instead (both steps recorded as applied).
      const dir = hangProject(
        'meshspec-timeout-',
        'deadline',
        command === 'apply'
          ? PLUGIN(builtCoreUrl())
          : PLUGIN(builtCoreUrl()).replace('async run(step) {', 'async run() { return {}; },\n        async destroy(step) {'),
      );
      const bin = join(REPO, 'packages/cli/dist/bin.js');
      const env = { ...process.env, CI: 'true' };
      const stateDir = join(dir, '.meshspec', 'deadline');
      if (command === 'destroy') {
        const applied = spawnSync(process.execPath, [bin, 'apply', 'topology.yaml'], { cwd: dir, env, encoding: 'utf8' });
        expect(applied.status, applied.stderr).toBe(0);
      }

      const started = performance.now();
      const cli = spawn(process.execPath, [bin, command, 'topology.yaml', '--timeout', '3s'], {
        cwd: dir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      cli.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
      const grandchild = await hangingChild(dir, () => stderr);

      expect(await exited).toBe(1);
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(3_000);
      expect(elapsed).toBeLessThan(20_000);
      for (let i = 0; i < 40 && alive(grandchild); i++) await sleep(50);
      expect(alive(grandchild), "the step's grandchild process survived the global timeout").toBe(false);
      const state = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')) as { steps: Record<string, unknown> };
      // apply saved the quick step; destroy forgot nothing it did not undo (the forever step's destroy never finished).
      expect(Object.keys(state.steps).sort()).toEqual(command === 'apply' ? ['hang:quick'] : ['hang:forever', 'hang:quick']);
      expect(existsSync(join(stateDir, 'lock')), 'the lock outlived the process').toBe(false);
      expect(stderr).toContain('global timeout (--timeout 3s) reached: stopping running steps and saving state');
      expect(stderr).toContain(
        "the global timeout (--timeout 3s) fired; steps running when it fired, stopped: hang:forever. This is the run-wide deadline, not a step's own command or wait timeout",
      );
      expect(stderr).not.toContain('SIGINT');
      expect(stderr).not.toMatch(/^\s+at /m);
    },
    60_000,
  );

  it('a run that ends before the deadline is not affected by it (exit 0, nothing said about it)', async () => {
    const dir = hangProject(
      'meshspec-timeout-ok-',
      'quick',
      PLUGIN(builtCoreUrl()).replace("'sh', ['-c', 'sleep 600 & echo $! > \"$0\"; wait',", "'sh', ['-c', 'true',"),
    );
    const run = spawnSync(process.execPath, [join(REPO, 'packages/cli/dist/bin.js'), 'apply', 'topology.yaml', '--timeout', '5m'], {
      cwd: dir,
      env: { ...process.env, CI: 'true' },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).not.toContain('timeout');
  }, 60_000);

  it.each([['abc'], ['0s'], ['10'], ['-5m']])("--timeout '%s' is a usage error (exit 2) naming the forms it takes", (value) => {
    const run = spawnSync(process.execPath, [join(REPO, 'packages/cli/dist/bin.js'), 'apply', 'topology.yaml', `--timeout=${value}`], {
      cwd: tmpdir(),
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`--timeout must be a duration like 90s, 30m or 2h, not '${value}'`);
  });

  it('a --timeout beyond what a timer can hold (25d) is a usage error, not a deadline that fires at once', () => {
    const run = spawnSync(process.execPath, [join(REPO, 'packages/cli/dist/bin.js'), 'apply', 'topology.yaml', '--timeout', '25d'], {
      cwd: tmpdir(),
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--timeout must be at most 24d, not '25d'");
  });
});

describe('Ctrl-C during validation and output (built binary)', () => {
  // ~0.9 MiB: 18,000 exports. Validating and planning it takes seconds on a shared CI core, so the signal
  // arrives in the middle of the synchronous parse / plan build, or while plan's output is blocked on a full pipe.
  const dir = mkdtempSync(join(tmpdir(), 'meshspec-interrupt-validate-'));
  const example = readFileSync(join(REPO, 'examples/linkerd-multicluster/topology.yaml'), 'utf8');
  const exports = Array.from({ length: 18_000 }, (_, i) => `    - { namespace: test, service: ${i === 0 ? 'podinfo' : `svc${i}`} }`).join(
    '\n',
  );
  writeFileSync(join(dir, 'big.yaml'), example.replace(/ {2}export: .*\n/, `  export:\n${exports}\n`));

  it.each(['validate', 'plan'])(
    '%s stops within a second of SIGINT',
    async (command) => {
      const cli = spawn(process.execPath, [join(REPO, 'packages/cli/dist/bin.js'), command, 'big.yaml'], {
        cwd: dir,
        env: { ...process.env, CI: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // Never read stdout: plan's output fills the pipe and its write blocks, as with a terminal that is not scrolled.
      cli.stdout.pause();
      let exitedAt: number | undefined;
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        cli.on('exit', (code, signal) => {
          exitedAt = performance.now();
          resolve({ code, signal });
        }),
      );
      await sleep(700);
      expect(exitedAt, `${command} finished before the signal; the file is not big enough to test this`).toBeUndefined();
      const signalledAt = performance.now();
      cli.kill('SIGINT');
      const { code, signal } = await exited;
      expect(code === 130 || signal === 'SIGINT', `code ${code}, signal ${signal}`).toBe(true);
      expect(exitedAt! - signalledAt).toBeLessThan(1_000);
    },
    30_000,
  );
});

describe('kill -9 of meshspec during apply (built binary)', () => {
  it('the orphaned child group is recorded; the next apply stops it before re-running, and removes leftover temp files', async () => {
    // Same plugin as above, but the forever step ends at once when HANG=0 (the second run).
    const dir = hangProject(
      'meshspec-kill9-',
      'killed',
      PLUGIN(builtCoreUrl()).replace("await step.exec.run('sh'", "if (process.env.HANG === '0') return; await step.exec.run('sh'"),
    );
    const bin = join(REPO, 'packages/cli/dist/bin.js');

    const first = spawn(process.execPath, [bin, 'apply', 'topology.yaml'], {
      cwd: dir,
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => first.on('exit', () => resolve()));
    const pidFile = join(dir, 'child.pid');
    const stateDir = join(dir, '.meshspec', 'killed');
    // The child writes its pid as it starts; meshspec records its group just after spawning it. Wait for
    // both, so a loaded machine cannot make the kill land between the two.
    const recorded = () => existsSync(join(stateDir, 'running')) && readdirSync(join(stateDir, 'running')).length > 0;
    for (let i = 0; i < 400 && !(existsSync(pidFile) && recorded()); i++) await sleep(50);
    expect(existsSync(pidFile), 'the step never started its child').toBe(true);
    const grandchild = Number(readFileSync(pidFile, 'utf8').trim());
    first.kill('SIGKILL');
    await exited;
    // The situation the issue describes: meshspec is gone, its child's group lives on, recorded in the state dir.
    expect(alive(grandchild), 'the orphan should outlive a SIGKILLed meshspec (nothing can stop that)').toBe(true);
    expect(readdirSync(join(stateDir, 'running')).length).toBe(1);
    // A forced quit in the middle of a state write leaves this behind.
    writeFileSync(join(stateDir, 'state.json.999999.0badc0de.tmp'), '{"half":');

    const second = spawn(process.execPath, [bin, 'apply', 'topology.yaml'], {
      cwd: dir,
      env: { ...process.env, CI: 'true', HANG: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    second.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => second.on('exit', (c) => resolve(c)));
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/stopped a process an earlier meshspec left running when it was killed: sh -c/);
    expect(stderr).toMatch(/removed 1 temporary file an interrupted write left behind: .*state\.json\.999999\.0badc0de\.tmp/);
    for (let i = 0; i < 200 && alive(grandchild); i++) await sleep(50);
    expect(alive(grandchild), 'the orphan survived the next apply').toBe(false);
    expect(existsSync(join(stateDir, 'state.json.999999.0badc0de.tmp'))).toBe(false);
    expect(readdirSync(join(stateDir, 'running'))).toEqual([]);
  }, 60_000);
});

describe('a second Ctrl-C (built binary)', () => {
  it('quits at once with a summary of what it cuts short; the child group is killed', async () => {
    // A step that ignores SIGTERM for a while, so the first Ctrl-C cannot finish before the second.
    const dir = hangProject(
      'meshspec-forced-',
      'forced',
      PLUGIN(builtCoreUrl()).replace('\'sleep 600 & echo $! > "$0"; wait\'', '\'trap "" TERM; sleep 600 & echo $! > "$0"; wait\''),
    );
    const cli = spawn(process.execPath, [join(REPO, 'packages/cli/dist/bin.js'), 'apply', 'topology.yaml'], {
      cwd: dir,
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    cli.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
    const grandchild = await hangingChild(dir, () => stderr);
    cli.kill('SIGINT');
    await sleep(200);
    const second = performance.now();
    cli.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(performance.now() - second).toBeLessThan(1_000);
    expect(stderr).toContain('forced quit');
    expect(stderr).toMatch(/killing 1 running command:\n {4}sh -c /);
    expect(stderr).toContain('the next apply re-runs the interrupted ones');
    for (let i = 0; i < 200 && alive(grandchild); i++) await sleep(50);
    expect(alive(grandchild)).toBe(false);
  }, 30_000);
});
