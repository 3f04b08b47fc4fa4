// Test helper: the fake toolchain (kind, docker, helm, linkerd, linkerd-smi, kubectl on PATH) plus the
// simulated clusters they act on, wired into a Session exactly like production code wires the real ones:
// the real execa CommandRunner and the real helm driver run the fake executables.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCommandRunner } from '../../packages/core/src/exec/execa-runner.js';
import type { CommandRunner } from '../../packages/core/src/exec/types.js';
import type { Logger } from '../../packages/core/src/log/types.js';
import { createHelmDriver } from '../../packages/core/src/tools/helm.js';
import type { HelmDriver } from '../../packages/core/src/tools/helm-types.js';
import { FakeClusters } from './cluster.js';

export { FakeClusters } from './cluster.js';
export { internetPullsByImage, readPulls, type ImagePull } from './image-pulls.js';

/** Directory of the fake executables; put it first on PATH. */
export const FAKE_BIN = join(dirname(fileURLToPath(import.meta.url)), 'bin');

/** One line of the call log (see README.md). */
export interface FakeCall {
  tool: 'kind' | 'docker' | 'helm' | 'linkerd' | 'linkerd-smi' | 'kubectl';
  argv: string[];
  stdin?: string;
  cwd: string;
  /** When the call started / ended (ISO 8601, ms). */
  ts: string;
  endTs: string;
  pid: number;
  exitCode: number;
  /** The MESHSPEC_FAKE_FAIL rule that made the call fail. */
  injected?: string;
  /** helm only: the values files' merged content (the files are gone after the call). */
  values?: Record<string, unknown>;
}

export interface FakeToolchainOptions {
  /** MESHSPEC_FAKE_FAIL rules (see README.md). */
  fail?: string[];
  /** How long `kind create cluster` takes (ms); default 300, so parallel creates visibly overlap. */
  kindCreateMs?: number;
  linkerdVersion?: string;
  linkerdSmiVersion?: string;
  /** MESHSPEC_FAKE_SLEEP rules `<glob>[@<context>]=<ms>`: how long matching calls take (timing models). */
  sleep?: string[];
  /** MESHSPEC_FAKE_PULL_MS: one image pull from the internet, per distinct image per cluster (default 0). */
  pullMs?: number;
}

export interface FakeToolchain {
  /** Root temp dir (holds log, state, tmp); removed by `cleanup()`. */
  root: string;
  logFile: string;
  stateDir: string;
  /** Environment for child processes: PATH with the fakes first and the MESHSPEC_FAKE_* variables. */
  env: Record<string, string>;
  clusters: FakeClusters;
  /** Parsed call log, in completion order (sort by `ts` for start order). */
  readLog(): FakeCall[];
  /** A real execa runner that runs the fakes (a new env, e.g. without failures, needs a new runner). */
  runner(logger: Logger, overrides?: FakeToolchainOptions & { verbose?: boolean }): CommandRunner;
  /** The real helm driver over `runner`, with values files in a private temp dir. */
  helm(runner: CommandRunner): HelmDriver;
  cleanup(): void;
}

export function withFakeToolchain(options: FakeToolchainOptions = {}): FakeToolchain {
  for (const tool of ['kind', 'docker', 'helm', 'linkerd', 'linkerd-smi', 'kubectl']) chmodSync(join(FAKE_BIN, tool), 0o755);
  const root = mkdtempSync(join(tmpdir(), 'meshspec-fake-'));
  const logFile = join(root, 'calls.jsonl');
  const stateDir = join(root, 'fake-state');
  const envFor = (o: FakeToolchainOptions): Record<string, string> => ({
    PATH: `${FAKE_BIN}${delimiter}${process.env.PATH ?? ''}`,
    MESHSPEC_FAKE_LOG: logFile,
    MESHSPEC_FAKE_STATE: stateDir,
    MESHSPEC_FAKE_FAIL: (o.fail ?? []).join(';'),
    MESHSPEC_FAKE_KIND_CREATE_MS: String(o.kindCreateMs ?? 300),
    ...(o.sleep?.length ? { MESHSPEC_FAKE_SLEEP: o.sleep.join(';') } : {}),
    ...(o.pullMs ? { MESHSPEC_FAKE_PULL_MS: String(o.pullMs) } : {}),
    ...(o.linkerdVersion ? { MESHSPEC_FAKE_LINKERD_VERSION: o.linkerdVersion } : {}),
    ...(o.linkerdSmiVersion ? { MESHSPEC_FAKE_LINKERD_SMI_VERSION: o.linkerdSmiVersion } : {}),
  });
  const env = envFor(options);
  return {
    root,
    logFile,
    stateDir,
    env,
    clusters: new FakeClusters(stateDir, { ...(options.pullMs ? { pullMs: options.pullMs } : {}) }),
    readLog: () =>
      existsSync(logFile)
        ? readFileSync(logFile, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as FakeCall)
        : [],
    runner: (logger, overrides = {}) =>
      createCommandRunner({ logger, verbose: overrides.verbose ?? false, env: envFor({ ...options, ...overrides }) }),
    helm: (runner) => createHelmDriver(runner, { tmpDir: join(root, 'helm-tmp') }),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** `tool argv...` as one string, for matching calls in assertions. */
export const line = (call: Pick<FakeCall, 'tool' | 'argv'>) => [call.tool, ...call.argv].join(' ');

/** Calls that change something (create/install/apply/delete/...), as opposed to reads and renders. */
export function isMutating(call: FakeCall): boolean {
  const l = line(call);
  if (call.tool === 'kind') return /^kind (create|delete) /.test(l);
  if (call.tool === 'docker') return /^docker (network (create|rm|connect) |run |start |rm |cp )/.test(l);
  if (call.tool === 'helm') return /^helm (upgrade|install|uninstall|rollback|delete) /.test(l);
  if (call.tool === 'kubectl') return /^kubectl (apply|create|delete|patch|label|annotate|replace) /.test(l);
  return false; // linkerd/linkerd-smi only render manifests; meshspec applies them through the API
}
