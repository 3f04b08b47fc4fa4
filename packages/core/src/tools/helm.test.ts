import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CommandError } from '../errors.js';
import { RecordingRunner } from '../testing/recording-runner.js';
import { createHelmDriver, parseHelmDuration } from './helm.js';
import type { HelmRelease } from './helm-types.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'meshspec-helm-'));

const metallb: HelmRelease = {
  release: 'metallb',
  chart: 'metallb',
  repo: 'https://metallb.github.io/metallb',
  version: '0.14.9',
  namespace: 'metallb-system',
  kubeContext: 'kind-demo',
  values: { speaker: { frr: { enabled: false } } },
  wait: true,
  timeout: '3m',
};

describe('createHelmDriver', () => {
  it('runs upgrade --install with repo, version, namespace, context, wait and a 0600 values file removed afterwards', async () => {
    const runner = new RecordingRunner();
    let seen: { path: string; mode: number; dirMode: number; values: unknown } | undefined;
    runner.on('helm upgrade', (call) => {
      const path = call.args[call.args.indexOf('-f') + 1]!;
      seen = {
        path,
        mode: statSync(path).mode & 0o777,
        dirMode: statSync(dirname(path)).mode & 0o777,
        values: parse(readFileSync(path, 'utf8')),
      };
      return { exitCode: 0 };
    });
    const dir = tmp();
    await createHelmDriver(runner, { tmpDir: dir }).upgradeInstall(metallb);

    expect(runner.lines).toEqual([
      `helm upgrade --install metallb metallb --repo https://metallb.github.io/metallb --version 0.14.9 --namespace metallb-system --create-namespace --kube-context kind-demo --wait --timeout 3m -f ${seen?.path}`,
    ]);
    expect(seen).toMatchObject({ mode: 0o600, dirMode: 0o700, values: metallb.values });
    expect(seen!.path.startsWith(dir)).toBe(true);
    expect(existsSync(seen!.path)).toBe(false);
    expect(existsSync(dirname(seen!.path))).toBe(false);
  });

  it('removes the values file even when helm fails, and lets the CommandError through', async () => {
    const runner = new RecordingRunner().on('helm upgrade', { exitCode: 1, stderr: 'Error: INSTALLATION FAILED: boom' });
    const error = await createHelmDriver(runner, { tmpDir: tmp() })
      .upgradeInstall(metallb)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    const path = runner.calls[0]!.args[runner.calls[0]!.args.indexOf('-f') + 1]!;
    expect(existsSync(path)).toBe(false);
  });

  it('omits optional flags and the values file when not given; adds --kubeconfig when configured', async () => {
    const runner = new RecordingRunner();
    await createHelmDriver(runner, { tmpDir: tmp(), kubeconfig: '/k/config' }).upgradeInstall({
      release: 'app',
      chart: './chart',
      namespace: 'apps',
      kubeContext: 'c1',
      values: {},
    });
    expect(runner.lines).toEqual([
      'helm upgrade --install app ./chart --namespace apps --create-namespace --kube-context c1 --kubeconfig /k/config',
    ]);
  });

  it('describes the command for plans without revealing values', () => {
    const line = createHelmDriver(new RecordingRunner(), { tmpDir: tmp() }).describe({ ...metallb, values: { secretKey: 'TOPSECRET' } });
    expect(line).toBe(
      'helm upgrade --install metallb metallb --repo https://metallb.github.io/metallb --version 0.14.9 --namespace metallb-system --create-namespace --kube-context kind-demo --wait --timeout 3m -f <values.yaml>  # values: secretKey',
    );
    expect(line).not.toContain('TOPSECRET');
  });

  it('reads status and chart version from helm get metadata -o json', async () => {
    const runner = new RecordingRunner().on('helm get metadata', {
      stdout: JSON.stringify({
        name: 'metallb',
        chart: 'metallb',
        version: '0.14.9',
        appVersion: 'v0.14.9',
        namespace: 'metallb-system',
        revision: 3,
        status: 'deployed',
      }),
    });
    const status = await createHelmDriver(runner, { tmpDir: tmp() }).status(metallb);
    expect(status).toEqual({ status: 'deployed', chartVersion: '0.14.9', revision: 3 });
    expect(runner.lines).toEqual(['helm get metadata metallb --namespace metallb-system --kube-context kind-demo -o json']);
  });

  it('falls back to helm status -o json on a helm without get metadata', async () => {
    const runner = new RecordingRunner()
      .on('helm get metadata', { exitCode: 1, stderr: 'Error: unknown command "metadata" for "helm get"' })
      .on('helm status', { stdout: JSON.stringify({ name: 'metallb', info: { status: 'deployed' }, version: 2 }) });
    expect(await createHelmDriver(runner, { tmpDir: tmp() }).status(metallb)).toEqual({ status: 'deployed', revision: 2 });
  });

  it('status is undefined for a release that does not exist, and an error for other failures', async () => {
    const missing = new RecordingRunner().on('helm get metadata', { exitCode: 1, stderr: 'Error: release: not found' });
    expect(await createHelmDriver(missing, { tmpDir: tmp() }).status(metallb)).toBeUndefined();
    const broken = new RecordingRunner().on('helm get metadata', { exitCode: 1, stderr: 'Error: Kubernetes cluster unreachable' });
    await expect(createHelmDriver(broken, { tmpDir: tmp() }).status(metallb)).rejects.toThrow(/cluster unreachable/);
  });

  it('uninstall tolerates an absent release but reports other failures', async () => {
    const missing = new RecordingRunner().on('helm uninstall', {
      exitCode: 1,
      stderr: 'Error: uninstall: Release not loaded: metallb: release: not found',
    });
    await createHelmDriver(missing, { tmpDir: tmp() }).uninstall(metallb);
    expect(missing.lines).toEqual(['helm uninstall metallb --namespace metallb-system --kube-context kind-demo --wait']);
    const broken = new RecordingRunner().on('helm uninstall', { exitCode: 1, stderr: 'Error: Kubernetes cluster unreachable' });
    await expect(createHelmDriver(broken, { tmpDir: tmp() }).uninstall(metallb)).rejects.toBeInstanceOf(CommandError);
  });
});

describe('parseHelmDuration', () => {
  it.each([
    ['5m', 300_000],
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['5m0s', 300_000],
    ['300ms', 300],
    ['soon', undefined],
    ['5', undefined],
  ])('%s -> %s', (text, ms) => expect(parseHelmDuration(text)).toBe(ms));
});
