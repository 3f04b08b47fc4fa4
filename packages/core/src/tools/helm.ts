// HelmDriver over the helm CLI. Releases are installed idempotently with `upgrade --install`; values go
// through a private temp file (never argv, where `ps` and logs would show them).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { CommandError } from '../errors.js';
import type { CommandRunner, RunResult } from '../exec/types.js';
import type { HelmDriver, HelmRelease } from './helm-types.js';

export interface HelmDriverOptions {
  /** Where per-call values files are written (in a 0700 subdirectory, removed after the call). */
  tmpDir: string;
  /** Passed as `--kubeconfig`; otherwise helm uses $KUBECONFIG / ~/.kube/config. */
  kubeconfig?: string;
  /** The helm executable; default `helm`. */
  helm?: string;
}

/** Extra time the runner allows beyond helm's own `--timeout`, so helm reports its own timeout first. */
const RUNNER_MARGIN_MS = 60_000;
const DEFAULT_HELM_TIMEOUT = '5m0s';

type ReleaseRef = Pick<HelmRelease, 'release' | 'namespace' | 'kubeContext'>;

export function createHelmDriver(runner: CommandRunner, options: HelmDriverOptions): HelmDriver {
  const helm = options.helm ?? 'helm';
  const kubeconfigArgs = options.kubeconfig ? ['--kubeconfig', options.kubeconfig] : [];
  const target = (r: ReleaseRef) => ['--namespace', r.namespace, '--kube-context', r.kubeContext, ...kubeconfigArgs];

  const upgradeArgs = (r: HelmRelease, valuesFile: string | undefined) => [
    'upgrade',
    '--install',
    r.release,
    r.chart,
    ...(r.repo ? ['--repo', r.repo] : []),
    ...(r.version ? ['--version', r.version] : []),
    '--namespace',
    r.namespace,
    '--create-namespace',
    '--kube-context',
    r.kubeContext,
    ...kubeconfigArgs,
    ...(r.wait ? ['--wait'] : []),
    ...(r.wait || r.timeout ? ['--timeout', r.timeout ?? DEFAULT_HELM_TIMEOUT] : []),
    ...(valuesFile ? ['-f', valuesFile] : []),
  ];

  const hasValues = (r: HelmRelease) => r.values !== undefined && Object.keys(r.values).length > 0;

  return {
    async upgradeInstall(release, callOptions = {}) {
      let dir: string | undefined;
      try {
        let valuesFile: string | undefined;
        if (hasValues(release)) {
          await mkdir(options.tmpDir, { recursive: true, mode: 0o700 });
          dir = await mkdtemp(join(options.tmpDir, `helm-${release.release}-`));
          valuesFile = join(dir, 'values.yaml');
          await writeFile(valuesFile, stringify(release.values), { mode: 0o600 });
        }
        const timeoutMs = parseHelmDuration(release.timeout ?? DEFAULT_HELM_TIMEOUT);
        await runner.run(helm, upgradeArgs(release, valuesFile), {
          ...(callOptions.signal ? { signal: callOptions.signal } : {}),
          ...(timeoutMs !== undefined ? { timeout: timeoutMs + RUNNER_MARGIN_MS } : {}),
        });
      } finally {
        if (dir) await rm(dir, { recursive: true, force: true });
      }
    },

    async uninstall(release, callOptions = {}) {
      const result = await runner.run(helm, ['uninstall', release.release, ...target(release), '--wait'], {
        reject: false,
        ...(callOptions.signal ? { signal: callOptions.signal } : {}),
      });
      if (result.exitCode === 0 || isReleaseNotFound(result.stderr)) return;
      throw commandFailed(result);
    },

    describe(release) {
      const line = upgradeArgs(release, hasValues(release) ? '<values.yaml>' : undefined);
      const keys = hasValues(release) ? `  # values: ${Object.keys(release.values ?? {}).join(', ')}` : '';
      return `${[helm, ...line].join(' ')}${keys}`;
    },

    async status(release) {
      // `helm get metadata` (helm >= 3.13) has the chart version; `helm status -o json` no longer does.
      const meta = await runner.run(helm, ['get', 'metadata', release.release, ...target(release), '-o', 'json'], { reject: false });
      if (meta.exitCode === 0) return parseStatus(meta.stdout);
      if (isReleaseNotFound(meta.stderr)) return undefined;
      if (!/unknown command/i.test(meta.stderr)) throw commandFailed(meta);
      const result = await runner.run(helm, ['status', release.release, ...target(release), '-o', 'json'], { reject: false });
      if (result.exitCode === 0) return parseStatus(result.stdout);
      if (isReleaseNotFound(result.stderr)) return undefined;
      throw commandFailed(result);
    },
  };
}

/** `helm get metadata -o json` ({status, version: chart version, revision}) or `helm status -o json` ({info.status, version: revision}). */
interface HelmStatusJson {
  status?: string;
  revision?: number;
  info?: { status?: string };
  chart?: string | { metadata?: { version?: string } };
  version?: number | string;
}

export function parseStatus(json: string): { status: string; chartVersion?: string; revision: number } {
  const parsed = JSON.parse(json) as HelmStatusJson;
  if (parsed.revision !== undefined) {
    // helm get metadata
    const chartVersion = typeof parsed.version === 'string' ? parsed.version : undefined;
    return { status: parsed.status ?? 'unknown', ...(chartVersion ? { chartVersion } : {}), revision: Number(parsed.revision) };
  }
  const chartVersion = typeof parsed.chart === 'object' ? parsed.chart.metadata?.version : undefined;
  return { status: parsed.info?.status ?? 'unknown', ...(chartVersion ? { chartVersion } : {}), revision: Number(parsed.version ?? 0) };
}

function commandFailed(result: RunResult): CommandError {
  const stderr = result.stderr.trim();
  return new CommandError(
    `${result.command} exited with code ${result.exitCode}\n${stderr}`,
    result.command,
    result.exitCode,
    stderr,
    'exit',
  );
}

function isReleaseNotFound(stderr: string): boolean {
  return /release: not found/i.test(stderr);
}

/** Parses Go durations as helm accepts them (`90s`, `5m`, `1h30m`, `300ms`); undefined when unparseable. */
export function parseHelmDuration(text: string): number | undefined {
  const unit: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * unit[p[2]!]!, 0);
}
