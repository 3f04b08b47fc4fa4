// The harness itself: when a component dies during start-up, the error shows its log and nothing it
// started is left running.
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { advertiseAddressOf, FAKE_NODE, NODE_LEASE_SECONDS, resolveAssets, startControlPlanes } from './harness/control-plane.js';
import { rawRequest } from './harness/raw-request.js';

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
    const config = JSON.parse(readFileSync(kubeconfig, 'utf8')) as {
      contexts: { name: string }[];
      clusters: { cluster: { server: string } }[];
    };
    expect(config.contexts.map((c) => c.name)).toEqual(inject('contexts'));
    expect(config.clusters.map((c) => new URL(c.cluster.server).hostname)).toEqual(inject('contexts').map((_, i) => `127.0.${i + 1}.1`));
  });

  it('each API server advertises its own never-bound TEST-NET-1 address, so the `kubernetes` EndpointSlice and Endpoints exist (tools such as `linkerd install` 2.13 refuse without them)', async () => {
    const kubeconfig = inject('kubeconfig');
    for (const [i, context] of inject('contexts').entries()) {
      const expected = advertiseAddressOf(i + 1);
      expect(expected).toMatch(/^192\.0\.2\.\d+$/);
      // The endpoint reconciler writes them shortly after start-up.
      let slices: { items: { addressType: string; endpoints?: { addresses: string[] }[] }[] } = { items: [] };
      for (let attempt = 0; attempt < 40 && slices.items.length === 0; attempt++) {
        const res = await rawRequest(
          kubeconfig,
          context,
          'GET',
          '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dkubernetes',
        );
        expect(res.status, context).toBe(200);
        slices = res.body as typeof slices;
        if (slices.items.length === 0) await new Promise((r) => setTimeout(r, 250));
      }
      expect(
        slices.items.map((s) => s.endpoints?.flatMap((e) => e.addresses)),
        context,
      ).toEqual([[expected]]);
      const endpoints = await rawRequest(kubeconfig, context, 'GET', '/api/v1/namespaces/default/endpoints/kubernetes');
      expect(endpoints.status, context).toBe(200);
      expect(
        (endpoints.body as { subsets: { addresses: { ip: string }[] }[] }).subsets.flatMap((s) => s.addresses.map((a) => a.ip)),
        context,
      ).toEqual([expected]);
    }
  });

  it('traffic the API server sends into the cluster network (webhooks behind Services) goes to a unix socket nobody serves, never to a non-loopback address', async () => {
    const kubeconfig = inject('kubeconfig');
    const context = inject('contexts')[0]!;
    const ns = `it-harness-egress-${process.pid}`;
    const webhookName = `${ns}.meshspec.dev`;
    expect(
      (await rawRequest(kubeconfig, context, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }))
        .status,
    ).toBe(201);
    // failurePolicy Fail, limited to this namespace: the API server must call it, and the call's error says where it went.
    const webhook = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: webhookName },
      webhooks: [
        {
          name: webhookName,
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          failurePolicy: 'Fail',
          timeoutSeconds: 10,
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
          rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }],
          clientConfig: { service: { namespace: ns, name: 'nobody', port: 443 } },
        },
      ],
    };
    try {
      expect(
        (await rawRequest(kubeconfig, context, 'POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', webhook))
          .status,
      ).toBe(201);
      expect(
        (
          await rawRequest(kubeconfig, context, 'POST', `/api/v1/namespaces/${ns}/services`, {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: { name: 'nobody' },
            spec: { ports: [{ port: 443 }] },
          })
        ).status,
      ).toBe(201);
      const probe = () =>
        rawRequest(kubeconfig, context, 'POST', `/api/v1/namespaces/${ns}/configmaps`, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'probe' },
        });
      // The API server resolves the webhook's Service from its informer cache, which may not have seen the
      // Service created a moment ago (a loaded machine showed `service "nobody" not found`): wait for that.
      let started = Date.now();
      let denied = await probe();
      for (let i = 0; i < 50 && (denied.body as { message?: string }).message?.includes('service "nobody" not found') === true; i++) {
        await new Promise((r) => setTimeout(r, 200));
        started = Date.now();
        denied = await probe();
      }
      expect(denied.status).toBe(500);
      const message = (denied.body as { message: string }).message;
      expect(message).toContain(webhookName);
      expect(message).toContain('no-cluster-network.sock');
      // Failing at the socket is immediate; a dial into the network would wait for the 10 s timeout.
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await rawRequest(
        kubeconfig,
        context,
        'DELETE',
        `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${webhookName}`,
      );
      await rawRequest(kubeconfig, context, 'DELETE', `/api/v1/namespaces/${ns}`);
    }
  });

  it(`kwok holds the fake Node's Lease (${NODE_LEASE_SECONDS}s), so the Node stays Ready in long tests`, async () => {
    expect(inject('controllers'), 'needs kwok: run `bash scripts/test-assets/provision.sh`').toBe(true);
    const kubeconfig = inject('kubeconfig');
    for (const context of inject('contexts')) {
      const lease = await rawRequest(
        kubeconfig,
        context,
        'GET',
        `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${FAKE_NODE}`,
      );
      expect(lease.status, context).toBe(200);
      const spec = (lease.body as { spec: { leaseDurationSeconds: number; renewTime: string } }).spec;
      expect(spec.leaseDurationSeconds, context).toBe(NODE_LEASE_SECONDS);
      // Renewed, not just created: the last renewal is younger than the lease's duration.
      expect(Date.now() - Date.parse(spec.renewTime), context).toBeLessThan(NODE_LEASE_SECONDS * 1000);
    }
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
