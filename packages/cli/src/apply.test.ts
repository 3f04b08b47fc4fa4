// `meshspec apply` / `destroy` end to end with a plugin loaded from a project's meshspec.config.mjs, whose
// steps only write files and sleep: parallelism, JSON events, skip-if-unchanged, failure isolation and
// resume, reverse-order destroy, and the lock.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtCoreUrl, runCli, stackFrames } from './__fixtures__/run-cli.js';
import { WORK_EDGES, writeWorkProject } from './__fixtures__/work-plugin.js';

const temp = mkdtempSync(join(tmpdir(), 'meshspec-apply-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

beforeAll(() => {
  builtCoreUrl(); // fails with "run `pnpm build` first" instead of a confusing import error per test
});

let projects = 0;
function project(): string {
  const dir = join(temp, `project-${++projects}`);
  writeWorkProject(dir);
  return dir;
}

interface StepEvent {
  id: string;
  event: 'start' | 'end';
  t: number;
}

function events(dir: string): StepEvent[] {
  const file = join(dir, 'events.log');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as StepEvent);
}

const started = (dir: string) =>
  events(dir)
    .filter((e) => e.event === 'start')
    .map((e) => e.id);
const ALL = Object.keys(WORK_EDGES);

describe('apply', () => {
  it('runs independent steps in parallel and reports success', async () => {
    const dir = project();
    const { code, stdout, stderr } = await runCli(['apply', 'topology.yaml'], { cwd: dir });
    expect(stderr).toMatch(/^done: 6 completed \(\d+\.\ds\)\n$/);
    expect(code).toBe(0);
    expect(started(dir).sort()).toEqual([...ALL].sort());
    // Plain (CI) output names every step.
    for (const id of ALL) expect(stdout).toContain(id);

    const at = (id: string, event: 'start' | 'end') => events(dir).find((e) => e.id === id && e.event === event)!.t;
    // Both 400ms steps were running at the same time.
    expect(at('work:slow@a', 'start')).toBeLessThan(at('work:slow@b', 'end'));
    expect(at('work:slow@b', 'start')).toBeLessThan(at('work:slow@a', 'end'));
    // ... and each step started only after what it needs had ended.
    for (const [id, needs] of Object.entries(WORK_EDGES))
      for (const need of needs) expect(at(id, 'start')).toBeGreaterThanOrEqual(at(need, 'end'));
  });

  it('--concurrency 1 runs one step at a time', async () => {
    const dir = project();
    const { code } = await runCli(['apply', 'topology.yaml', '--concurrency', '1'], { cwd: dir });
    expect(code).toBe(0);
    const log = events(dir);
    // Strictly alternating start/end of the same step: no overlap at all.
    for (let i = 0; i < log.length; i += 2) {
      expect([log[i]!.event, log[i + 1]!.event]).toEqual(['start', 'end']);
      expect(log[i]!.id).toBe(log[i + 1]!.id);
    }
  });

  // The work plugin's steps declare no resource: they share the `other` limit.
  it.each([
    ['--parallel', (dir: string) => runCli(['apply', 'topology.yaml', '--parallel', 'other=1'], { cwd: dir })],
    [
      'config parallel',
      (dir: string) => {
        writeFileSync(join(dir, 'meshspec.config.mjs'), "export default { plugins: ['./work-plugin.mjs'], parallel: { other: 1 } };\n");
        return runCli(['apply', 'topology.yaml'], { cwd: dir });
      },
    ],
  ])('%s other=1 runs the undeclared steps one at a time', async (_how, apply) => {
    const dir = project();
    const { code } = await apply(dir);
    expect(code).toBe(0);
    const log = events(dir);
    expect(log).toHaveLength(ALL.length * 2);
    for (let i = 0; i < log.length; i += 2) expect(log[i]!.id).toBe(log[i + 1]!.id);
  });

  it.each([
    ['helm=0', /--parallel 'helm=0': the limit must be a whole number >= 1, e.g. helm=2/],
    ['helm=2,Kind=1', /--parallel 'Kind=1': resource names are lower-case words/],
  ])('--parallel %s is a usage error (exit 2) before anything runs', async (value, message) => {
    const dir = project();
    const { code, stderr } = await runCli(['apply', 'topology.yaml', '--parallel', value], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(events(dir)).toEqual([]);
  });

  it('a config parallel that is not a whole number is refused, naming the key', async () => {
    const dir = project();
    writeFileSync(join(dir, 'meshspec.config.mjs'), "export default { plugins: ['./work-plugin.mjs'], parallel: { helm: 'lots' } };\n");
    const { code, stderr } = await runCli(['apply', 'topology.yaml'], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toMatch(/parallel\.helm: the limit must be a whole number >= 1/);
  });

  it('--output json emits one event per line for every step and the run', async () => {
    const dir = project();
    const { code, stdout, stderr } = await runCli(['apply', 'topology.yaml', '-o', 'json'], { cwd: dir });
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; id?: string; ok?: boolean; cluster?: string; ts: string });
    expect(
      lines
        .filter((e) => e.type === 'step-start')
        .map((e) => e.id)
        .sort(),
    ).toEqual([...ALL].sort());
    expect(
      lines
        .filter((e) => e.type === 'step-done')
        .map((e) => e.id)
        .sort(),
    ).toEqual([...ALL].sort());
    expect(lines.find((e) => e.id === 'work:slow@b')).toMatchObject({ cluster: 'b' });
    expect(lines.at(-1)).toMatchObject({ type: 'run-done', ok: true, cancelled: false });
    for (const e of lines) expect(Number.isNaN(Date.parse(e.ts))).toBe(false);
  });

  it('a second apply finds everything up to date and runs nothing', async () => {
    const dir = project();
    expect((await runCli(['apply', 'topology.yaml'], { cwd: dir })).code).toBe(0);
    const before = events(dir).length;
    const second = await runCli(['apply', 'topology.yaml', '-o', 'json'], { cwd: dir });
    expect(second.code).toBe(0);
    expect(events(dir).length).toBe(before);
    const lines = second.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; id?: string; reason?: string });
    expect(lines.filter((e) => e.type === 'step-start')).toEqual([]);
    expect(
      lines
        .filter((e) => e.type === 'step-skip')
        .map((e) => e.id)
        .sort(),
    ).toEqual([...ALL].sort());
    // The plan says so too.
    const plan = await runCli(['plan', 'topology.yaml'], { cwd: dir });
    expect(plan.stdout).toContain("Plan for topology 'apply-test': 6 steps (6 up to date)");
    const text = await runCli(['apply', 'topology.yaml'], { cwd: dir });
    expect(text.stderr).toMatch(/^done: 0 completed, 6 up to date /);
  });

  it('writes meshspec.log in the state dir (0600): the run, each step started, debug lines included', async () => {
    const dir = project();
    expect((await runCli(['apply', 'topology.yaml'], { cwd: dir })).code).toBe(0);
    const file = join(dir, '.meshspec', 'apply-test', 'meshspec.log');
    expect(existsSync(file), 'meshspec.log was not written').toBe(true);
    const { statSync } = await import('node:fs');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/debug meshspec apply \S*topology\.yaml \(pid \d+\)/);
    for (const id of ALL) expect(text).toContain(`running ${id}`);
  });

  it('changed inputs rerun only the steps they define', async () => {
    const dir = project();
    expect((await runCli(['apply', 'topology.yaml'], { cwd: dir })).code).toBe(0);
    const before = events(dir).length;
    writeFileSync(join(dir, 'topology.yaml'), readFileSync(join(dir, 'topology.yaml'), 'utf8').replace('sleepMs: 400', 'sleepMs: 50'));
    expect((await runCli(['apply', 'topology.yaml'], { cwd: dir })).code).toBe(0);
    // Every step's inputs include sleepMs, so all six ran again.
    expect(
      events(dir)
        .slice(before)
        .filter((e) => e.event === 'start')
        .map((e) => e.id)
        .sort(),
    ).toEqual([...ALL].sort());
  });

  it('a failing step: exit 1, its dependents skipped, the independent branch completes; the rerun does only what is left', async () => {
    const dir = project();
    writeFileSync(join(dir, 'fail-flaky'), '');
    const first = await runCli(['apply', 'topology.yaml'], { cwd: dir });
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('failed: 4 completed, 1 skipped, 1 failed');
    expect(first.stderr).toContain('✖ work:flaky@a (cluster a): flaky step failed on purpose (fail-flaky marker present)');
    expect(first.stderr).toMatch(/- work:after-flaky@a skipped: .*work:flaky@a/);
    expect(first.stderr).toContain('state is saved; rerun `meshspec apply` to run only what is left');
    expect(stackFrames(first.stderr)).toEqual([]);
    expect(started(dir)).not.toContain('work:after-flaky@a');
    expect(
      events(dir)
        .filter((e) => e.event === 'end')
        .map((e) => e.id)
        .sort(),
    ).toEqual(['work:final@b', 'work:root', 'work:slow@a', 'work:slow@b']);

    rmSync(join(dir, 'fail-flaky'));
    const before = events(dir).length;
    const second = await runCli(['apply', 'topology.yaml'], { cwd: dir });
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/^done: 2 completed, 4 up to date /);
    expect(
      events(dir)
        .slice(before)
        .filter((e) => e.event === 'start')
        .map((e) => e.id),
    ).toEqual(['work:flaky@a', 'work:after-flaky@a']);
  });

  it('--output json reports the failure as an event', async () => {
    const dir = project();
    writeFileSync(join(dir, 'fail-flaky'), '');
    const { code, stdout } = await runCli(['apply', 'topology.yaml', '-o', 'json'], { cwd: dir });
    expect(code).toBe(1);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; id?: string; error?: string; ok?: boolean });
    expect(lines.find((e) => e.type === 'step-fail')).toMatchObject({
      id: 'work:flaky@a',
      error: expect.stringContaining('fail-flaky marker present'),
    });
    expect(lines.find((e) => e.type === 'step-skip')).toMatchObject({ id: 'work:after-flaky@a' });
    expect(lines.at(-1)).toMatchObject({ type: 'run-done', ok: false });
  });
});

describe('destroy', () => {
  it('runs destroy hooks in reverse dependency order, then a new apply starts from scratch', async () => {
    const dir = project();
    expect((await runCli(['apply', 'topology.yaml'], { cwd: dir })).code).toBe(0);
    const { code, stderr } = await runCli(['destroy', 'topology.yaml'], { cwd: dir });
    expect(stderr).toMatch(/^done: 6 destroyed /);
    expect(code).toBe(0);
    const order = readFileSync(join(dir, 'destroyed.log'), 'utf8').trim().split('\n');
    expect([...order].sort()).toEqual([...ALL].sort());
    for (const [id, needs] of Object.entries(WORK_EDGES))
      for (const need of needs) expect(order.indexOf(id)).toBeLessThan(order.indexOf(need));
    expect(order.at(-1)).toBe('work:root');

    const before = events(dir).length;
    expect((await runCli(['apply', 'topology.yaml'], { cwd: dir })).code).toBe(0);
    expect(events(dir).length - before).toBe(2 * ALL.length);
  });
});

describe('the lock', () => {
  it('a second apply while another meshspec holds the lock exits 1 naming the holder', async () => {
    const dir = project();
    const stateDir = join(dir, '.meshspec/apply-test');
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    // This test's own process is certainly alive, so the lock cannot be taken over as stale.
    const holder = { pid: process.pid, hostname: hostname(), command: 'meshspec apply topology.yaml', startedAt: new Date().toISOString() };
    writeFileSync(join(stateDir, 'lock'), `${JSON.stringify(holder)}\n`, { mode: 0o600 });

    const { code, stdout, stderr } = await runCli(['apply', 'topology.yaml'], { cwd: dir });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(`meshspec: another meshspec (pid ${process.pid}, \`meshspec apply topology.yaml\``);
    expect(stderr).toContain(`holds the lock for topology apply-test; wait for it or, if it is gone, remove ${join(stateDir, 'lock')}`);
    expect(stackFrames(stderr)).toEqual([]);
    expect(events(dir)).toEqual([]);
    // The holder's lock is left alone.
    expect(JSON.parse(readFileSync(join(stateDir, 'lock'), 'utf8'))).toEqual(holder);

    const destroy = await runCli(['destroy', 'topology.yaml'], { cwd: dir });
    expect(destroy.code).toBe(1);
    expect(destroy.stderr).toContain('holds the lock for topology apply-test');
  });

  it('a lock left by a process that is gone is taken over with a warning', async () => {
    const dir = project();
    const stateDir = join(dir, '.meshspec/apply-test');
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    // Pids above the kernel's pid_max (4194304 at most) never exist.
    writeFileSync(
      join(stateDir, 'lock'),
      JSON.stringify({
        pid: 99_999_999,
        hostname: hostname(),
        command: 'meshspec apply topology.yaml',
        startedAt: new Date().toISOString(),
      }),
    );
    const { code, stderr } = await runCli(['apply', 'topology.yaml'], { cwd: dir });
    expect(code).toBe(0);
    expect(stderr).toContain('taking over the lock of topology apply-test from pid 99999999');
    expect(existsSync(join(stateDir, 'lock'))).toBe(false);
  });
});
