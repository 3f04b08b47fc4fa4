// The harness itself: when a component dies during start-up, the error shows its log and nothing it
// started is left running.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { resolveAssets, startControlPlanes } from './harness/control-plane.js';

/** Live (non-zombie) processes whose command line mentions `text`. */
function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (cmdline.includes(text) && !/\) [ZX] /.test(stat)) pids.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return pids;
}

describe('integration harness', () => {
  it('writes one 0600 kubeconfig with a context per cluster', async () => {
    const kubeconfig = inject('kubeconfig');
    expect(statSync(kubeconfig).mode & 0o777).toBe(0o600);
    const config = JSON.parse(readFileSync(kubeconfig, 'utf8')) as { contexts: { name: string }[]; clusters: { cluster: { server: string } }[] };
    expect(config.contexts.map((c) => c.name)).toEqual(inject('contexts'));
    expect(config.clusters.map((c) => new URL(c.cluster.server).hostname)).toEqual(inject('contexts').map((_, i) => `127.0.${i + 1}.1`));
  });

  it('a component that dies at start-up fails the start with its log, and leaves no process behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshspec-harness-'));
    const fakeApiserver = join(dir, 'kube-apiserver');
    writeFileSync(fakeApiserver, '#!/bin/sh\necho "Error: unknown flag: --meshspec-bogus" >&2\nexit 1\n');
    chmodSync(fakeApiserver, 0o755);
    const real = resolveAssets();
    const assets = { ...real, paths: { ...real.paths, 'kube-apiserver': fakeApiserver } };

    const error = await startControlPlanes({ count: 1, workDir: join(dir, 'work'), assets }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/it1\/kube-apiserver exited while waiting for it1 kube-apiserver \/readyz/);
    expect((error as Error).message).toContain('unknown flag: --meshspec-bogus');

    // etcd was up (the apiserver is only started after etcd is healthy); it must be gone now.
    expect(readFileSync(join(dir, 'work', 'it1', 'etcd.log'), 'utf8')).not.toBe('');
    expect(processesMentioning(join(dir, 'work'))).toEqual([]);
  });
});
