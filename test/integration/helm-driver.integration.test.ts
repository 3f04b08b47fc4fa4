// The helm driver with the real helm binary, through the real command runner, into a real cluster.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createCommandRunner } from '../../packages/core/src/exec/execa-runner.js';
import { createKubeClientFactory } from '../../packages/core/src/kube/client.js';
import type { KubeClient } from '../../packages/core/src/kube/types.js';
import type { Logger } from '../../packages/core/src/log/types.js';
import { createHelmDriver } from '../../packages/core/src/tools/helm.js';
import type { HelmDriver, HelmRelease } from '../../packages/core/src/tools/helm-types.js';

const kubeconfig = inject('kubeconfig');
const context = inject('contexts')[0]!;
const helmBinary = inject('helm');

/** A chart small enough to read: a ConfigMap carrying a value, and a Deployment when `replicas` > 0. */
function writeTinyChart(dir: string): string {
  const chart = join(dir, 'tiny');
  mkdirSync(join(chart, 'templates'), { recursive: true });
  writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: tiny\nversion: 0.1.0\nappVersion: "1.0"\n');
  writeFileSync(join(chart, 'values.yaml'), 'message: default-message\nreplicas: 0\n');
  writeFileSync(
    join(chart, 'templates', 'configmap.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-settings\ndata:\n  message: {{ .Values.message | quote }}\n',
  );
  writeFileSync(
    join(chart, 'templates', 'deployment.yaml'),
    `{{- if gt (int .Values.replicas) 0 }}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-app
spec:
  replicas: {{ .Values.replicas }}
  selector: { matchLabels: { app: {{ .Release.Name }} } }
  template:
    metadata: { labels: { app: {{ .Release.Name }} } }
    spec:
      containers:
      - name: app
        image: registry.invalid/app:1
{{- end }}
`,
  );
  return chart;
}

const quietLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {}, child: () => quietLogger };

let helm: HelmDriver;
let kube: KubeClient;
let chart: string;
beforeAll(() => {
  expect(helmBinary, 'the helm binary is not built: run `bash scripts/test-assets/provision.sh helm`').not.toBe('');
  const home = mkdtempSync(join(tmpdir(), 'meshspec-helm-it-'));
  // Keep helm's caches and repository config out of the user's home.
  const runner = createCommandRunner({
    logger: quietLogger,
    env: { HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data') },
  });
  helm = createHelmDriver(runner, { tmpDir: join(home, 'tmp'), kubeconfig, helm: helmBinary });
  kube = createKubeClientFactory({ kubeconfigPath: kubeconfig }).forContext(context);
  chart = writeTinyChart(home);
});

describe('HelmDriver integration (real helm, real kube-apiserver)', () => {
  it('upgrade --install applies values; running it again bumps the revision but leaves objects unchanged; uninstall removes it', async () => {
    const release: HelmRelease = {
      release: 'tiny',
      chart,
      namespace: 'helm-it',
      kubeContext: context,
      values: { message: 'from-meshspec' },
      timeout: '2m',
    };
    expect(await helm.status(release)).toBeUndefined();

    await helm.upgradeInstall(release);
    const first = await helm.status(release);
    expect(first).toEqual({ status: 'deployed', chartVersion: '0.1.0', revision: 1 });
    const settings = await kube.get('v1', 'ConfigMap', 'tiny-settings', 'helm-it');
    expect(settings?.data).toEqual({ message: 'from-meshspec' });

    await helm.upgradeInstall(release);
    expect((await helm.status(release))?.revision).toBe(2);
    const again = await kube.get('v1', 'ConfigMap', 'tiny-settings', 'helm-it');
    expect(again?.metadata.resourceVersion).toBe(settings?.metadata.resourceVersion);

    await helm.upgradeInstall({ ...release, values: { message: 'changed' } });
    expect((await kube.get('v1', 'ConfigMap', 'tiny-settings', 'helm-it'))?.data).toEqual({ message: 'changed' });
    expect((await helm.status(release))?.revision).toBe(3);

    await helm.uninstall(release);
    expect(await helm.status(release)).toBeUndefined();
    expect(await kube.get('v1', 'ConfigMap', 'tiny-settings', 'helm-it')).toBeUndefined();
    await helm.uninstall(release); // absent release: no error
  });

  it('--wait returns once the chart Deployment is ready on the kwok node', async () => {
    expect(
      inject('controllers'),
      'helm --wait needs kube-controller-manager, kube-scheduler and kwok: run `bash scripts/test-assets/provision.sh`',
    ).toBe(true);
    const release: HelmRelease = {
      release: 'waiter',
      chart,
      namespace: 'helm-wait-it',
      kubeContext: context,
      values: { replicas: 2 },
      wait: true,
      timeout: '2m',
    };
    await helm.upgradeInstall(release);
    const deployment = await kube.get('apps/v1', 'Deployment', 'waiter-app', 'helm-wait-it');
    expect((deployment?.status as { readyReplicas?: number } | undefined)?.readyReplicas).toBe(2);
    expect((await helm.status(release))?.status).toBe('deployed');
  });

  it("a failing install surfaces helm's own error through CommandError", async () => {
    const error = await helm
      .upgradeInstall({ release: 'broken', chart: join(chart, 'does-not-exist'), namespace: 'helm-it', kubeContext: context })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('CommandError');
    expect((error as Error).message).toMatch(/exited with code 1[\s\S]*does-not-exist/);
  });
});
