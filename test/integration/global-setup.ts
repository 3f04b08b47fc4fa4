// vitest globalSetup for the 'integration' project: starts real control planes once for the whole run,
// hands their kubeconfig to the tests, and tears every process down afterwards (also on failure).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { resolveAssets, startControlPlanes, type ControlPlanes } from './harness/control-plane.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Kubeconfig (0600) with one context per test cluster. */
    kubeconfig: string;
    /** Context names, one per cluster (`it1`, `it2`, ...). */
    contexts: string[];
    /** Whether controller-manager, scheduler and kwok run (rollouts, endpoints). */
    controllers: boolean;
    /** Path of the pinned helm binary, or '' when it is not built. */
    helm: string;
    /** provision.sh's bin dir (symlinks to the pinned binaries). */
    binDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  const assets = resolveAssets();
  const count = Number(process.env.MESHSPEC_IT_CLUSTERS ?? '2');
  if (!Number.isInteger(count) || count < 1 || count > 20)
    throw new Error(`MESHSPEC_IT_CLUSTERS must be an integer 1..20, got ${process.env.MESHSPEC_IT_CLUSTERS}`);
  const workDir = mkdtempSync(join(tmpdir(), 'meshspec-it-'));
  const log = (m: string) => process.stderr.write(`[integration] ${m}\n`);

  let planes: ControlPlanes | undefined;
  const teardown = async () => {
    await planes?.stop();
    planes = undefined;
    if (process.env.MESHSPEC_IT_KEEP) log(`kept ${workDir} (MESHSPEC_IT_KEEP is set)`);
    else rmSync(workDir, { recursive: true, force: true });
  };

  try {
    planes = await startControlPlanes({ count, workDir, assets, log });
  } catch (e) {
    // startControlPlanes stopped what it started; keep the logs for the person reading the failure.
    log(`control planes failed to start; logs kept in ${workDir}`);
    throw e;
  }
  log(
    `${count} cluster(s) up in ${((Date.now() - started) / 1000).toFixed(1)}s; kubeconfig ${planes.kubeconfig}${assets.controllers ? '' : ' (API only: controller binaries not built)'}`,
  );

  const contexts = planes.clusters.map((c) => c.context);
  project.provide('kubeconfig', planes.kubeconfig);
  project.provide('contexts', contexts);
  project.provide(
    'controllers',
    planes.clusters.every((c) => c.controllers),
  );
  project.provide('helm', assets.helm ?? '');
  project.provide('binDir', assets.binDir);
  // Also for tools run by tests (helm, kubectl) and for debugging with MESHSPEC_IT_KEEP.
  process.env.MESHSPEC_IT_KUBECONFIG = planes.kubeconfig;
  process.env.MESHSPEC_IT_CONTEXTS = contexts.join(',');
  return teardown;
}
