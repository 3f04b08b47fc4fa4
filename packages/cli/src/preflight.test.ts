// apply checks, before running any step, that the tools the pending steps need are on PATH: the seed path's
// linkerd-smi is reported up front (nothing run, exit 1); the HTTPRoute path does not ask for it.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, stackFrames } from './__fixtures__/run-cli.js';

const temp = mkdtempSync(join(tmpdir(), 'meshspec-preflight-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A PATH holding only fake `linkerd` and `helm` (never run by these tests: the check only looks them up). */
function pathWithout(name: string): string {
  const dir = join(temp, `bin-${name}`);
  mkdirSync(dir, { recursive: true });
  for (const tool of ['linkerd', 'helm']) {
    writeFileSync(join(dir, tool), '#!/bin/sh\nexit 0\n');
    chmodSync(join(dir, tool), 0o755);
  }
  return dir;
}

const topology = (version: string) => `apiVersion: meshspec.dev/v1alpha1
kind: Topology
metadata: { name: preflight }
clusters: { a: { context: ctx-a }, b: { context: ctx-b } }
linkerd: { version: ${version}, export: [{ namespace: test, service: podinfo }] }
smi: { splits: [{ namespace: test, service: podinfo }] }
`;

describe('apply preflight (fake tools on PATH)', () => {
  it('the seed path (Linkerd 2.13, TrafficSplit): a missing linkerd-smi fails apply before any step runs', async () => {
    const dir = join(temp, 'seed');
    mkdirSync(dir);
    writeFileSync(join(dir, 'topology.yaml'), topology('stable-2.13.3'));
    const { code, stdout, stderr } = await runCli(['apply', 'topology.yaml', '--only', 'smi:*'], { cwd: dir, env: { PATH: pathWithout('smi') } });
    expect(code).toBe(1);
    expect(stderr).toContain('meshspec: not found on PATH, needed by this apply: linkerd-smi (smi: renders the linkerd-smi extension');
    expect(stderr).toContain('meshspec doctor');
    expect(stdout).toBe('');
    // Nothing ran: no step was recorded.
    expect(existsSync(join(dir, '.meshspec/preflight/state.json'))).toBe(false);
    expect(stackFrames(stderr)).toEqual([]);
  });

  it('the HTTPRoute path (Linkerd 2.20) does not need linkerd-smi', async () => {
    const dir = join(temp, 'modern');
    mkdirSync(dir);
    writeFileSync(join(dir, 'topology.yaml'), topology('edge-26.6.3'));
    const { stderr } = await runCli(['apply', 'topology.yaml', '--only', 'smi:*', '--kubeconfig', join(dir, 'topology.yaml')], { cwd: dir, env: { PATH: pathWithout('modern') } });
    expect(stderr).not.toContain('not found on PATH, needed by this apply');
  });

  it('kubectl is needed only for kustomize entries of workloads.manifests', async () => {
    const dir = join(temp, 'workloads');
    mkdirSync(dir);
    writeFileSync(join(dir, 'app.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x, namespace: default }\n');
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [app.yaml]\n');
    const yaml = (entry: string) => `apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: wl }\nclusters: { a: { context: ctx-a } }\nworkloads: { manifests: [${entry}] }\n`;
    const apply = async () => (await runCli(['apply', 'topology.yaml', '--kubeconfig', join(dir, 'app.yaml')], { cwd: dir, env: { PATH: pathWithout('workloads') } })).stderr;
    writeFileSync(join(dir, 'topology.yaml'), yaml('{ name: app, path: app.yaml }'));
    expect(await apply()).not.toContain('not found on PATH, needed by this apply');
    writeFileSync(join(dir, 'topology.yaml'), yaml('{ name: app, kustomize: . }'));
    expect(await apply()).toContain('not found on PATH, needed by this apply: kubectl (workloads: renders kustomize directories');
  });
});
