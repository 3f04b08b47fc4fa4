// The real KubeClient against real kube-apiservers (started by global-setup.ts).
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { KubeError } from '../../packages/core/src/errors.js';
import { createKubeClientFactory } from '../../packages/core/src/kube/client.js';
import type { KubeClient, KubeObject } from '../../packages/core/src/kube/types.js';
import { rawRequest } from './harness/raw-request.js';

const kubeconfig = inject('kubeconfig');
const contexts = inject('contexts');
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;

let kube: KubeClient;
beforeAll(() => {
  kube = createKubeClientFactory({ kubeconfigPath: kubeconfig }).forContext(contexts[0]!);
});

function crdYaml(group: string, kind: string, plural: string): string {
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.${group}
spec:
  group: ${group}
  scope: Namespaced
  names: { kind: ${kind}, plural: ${plural}, singular: ${kind.toLowerCase()}, listKind: ${kind}List }
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: { type: integer }
`;
}

describe('KubeClient integration (real kube-apiserver)', () => {
  it('applies a Namespace, a CRD and its custom resource from one multi-document YAML, in any order, then reports all unchanged', async () => {
    const ns = unique('it-crd');
    const group = `${unique('g')}.meshspec.dev`;
    // Custom resource first and Namespace last: the client must reorder, wait for Established and refresh discovery.
    const yaml = `apiVersion: ${group}/v1
kind: Widget
metadata: { name: w1, namespace: ${ns} }
spec: { size: 3 }
---
${crdYaml(group, 'Widget', 'widgets')}---
apiVersion: v1
kind: Namespace
metadata: { name: ${ns} }
`;
    const first = await kube.apply(yaml);
    expect(first.objects).toEqual([
      { ref: `Namespace/${ns}`, outcome: 'created' },
      { ref: `CustomResourceDefinition/widgets.${group}`, outcome: 'created' },
      { ref: `Widget/${ns}/w1`, outcome: 'created' },
    ]);
    const widget = await kube.get(`${group}/v1`, 'Widget', 'w1', ns);
    expect((widget?.spec as { size: number }).size).toBe(3);

    const second = await kube.apply(yaml);
    expect(second.objects.map((o) => o.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);

    const third = await kube.apply(yaml.replace('size: 3', 'size: 4'));
    expect(third.objects.map((o) => o.outcome)).toEqual(['unchanged', 'unchanged', 'configured']);
  });

  it('applies admission webhooks after the objects they guard: a fail-closed webhook in the same apply does not block them', async () => {
    const ns = unique('it-webhook');
    // The webhook's backend never exists, so any ConfigMap write it matches is refused (failurePolicy Fail):
    // the ConfigMaps in this apply only succeed because the client applies webhook configurations last.
    const objects: KubeObject[] = [
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name: ns },
        webhooks: [
          {
            name: `deny.${ns}.meshspec.dev`,
            clientConfig: { service: { name: 'nowhere', namespace: ns, path: '/validate' } },
            rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['configmaps'] }],
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } },
            failurePolicy: 'Fail',
            sideEffects: 'None',
            admissionReviewVersions: ['v1'],
          },
        ],
      },
      ...Array.from({ length: 12 }, (_, i): KubeObject => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `cm-${i}`, namespace: ns },
        data: { i: String(i) },
      })),
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    ];
    try {
      const result = await kube.apply(objects);
      // Namespace first, ConfigMaps in the order given (applied in parallel), the webhook last.
      expect(result.objects.map((o) => o.ref)).toEqual([
        `Namespace/${ns}`,
        ...Array.from({ length: 12 }, (_, i) => `ConfigMap/${ns}/cm-${i}`),
        `ValidatingWebhookConfiguration/${ns}`,
      ]);
      expect((await kube.list('v1', 'ConfigMap', ns)).filter((c) => c.metadata.name.startsWith('cm-'))).toHaveLength(12);
      // And the webhook is really in force: a further ConfigMap write in that namespace is refused.
      await expect(
        kube.apply([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late', namespace: ns }, data: {} }]),
      ).rejects.toThrow(/webhook|nowhere/i);
    } finally {
      await kube.delete('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', ns);
    }
  });

  it('uses defaultNamespace only for namespaced kinds (resolved through discovery)', async () => {
    const ns = unique('it-defns');
    const role = unique('it-role');
    const result = await kube.apply(
      [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } },
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: role }, rules: [] },
      ],
      { defaultNamespace: ns },
    );
    expect(result.objects.map((o) => o.ref)).toEqual([`Namespace/${ns}`, `ConfigMap/${ns}/settings`, `ClusterRole/${role}`]);
    expect(await kube.get('v1', 'ConfigMap', 'settings', ns)).toBeDefined();
    expect((await kube.get('rbac.authorization.k8s.io/v1', 'ClusterRole', role))?.metadata.namespace).toBeUndefined();
  });

  it('reports a field-manager conflict naming the object, the field, the other manager and the fix; force takes over', async () => {
    const ns = unique('it-conflict');
    await kube.apply(
      [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared', namespace: ns }, data: { owner: 'other' } },
      ],
      { fieldManager: 'other-tool' },
    );

    const mine: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'shared', namespace: ns },
      data: { owner: 'meshspec' },
    };
    const error = await kube.apply([mine]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeError);
    const message = (error as KubeError).message;
    expect(message).toContain(`ConfigMap/${ns}/shared`);
    expect(message).toContain('.data.owner');
    expect(message).toContain('"other-tool"');
    expect(message).toContain('force: true');
    expect((error as KubeError).details).toMatchObject({ context: contexts[0], reason: 'conflict' });

    const forced = await kube.apply([mine], { force: true });
    expect(forced.objects).toEqual([{ ref: `ConfigMap/${ns}/shared`, outcome: 'configured' }]);
    expect((await kube.get('v1', 'ConfigMap', 'shared', ns))?.data).toEqual({ owner: 'meshspec' });
  });

  it('applies a set of large ConfigMaps (> 1 MB in total, each too big for a last-applied annotation)', async () => {
    const ns = unique('it-large');
    const big = (i: number) => 'x'.repeat(700 * 1024) + String(i);
    const maps: KubeObject[] = [0, 1, 2].map((i) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `big-${i}`, namespace: ns },
      data: { blob: big(i) },
    }));
    const result = await kube.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, ...maps]);
    expect(result.objects.map((o) => o.outcome)).toEqual(['created', 'created', 'created', 'created']);
    const stored = await kube.get('v1', 'ConfigMap', 'big-2', ns);
    expect((stored?.data as { blob: string }).blob).toBe(big(2));
    expect(stored?.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBeUndefined();
    expect((await kube.apply(maps)).objects.map((o) => o.outcome)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  });

  it('lists by label selector, labels with a merge patch (null removes), and deletes', async () => {
    const ns = unique('it-crud');
    await kube.apply([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: ns, labels: { tier: 'x' } }, data: {} },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: ns, labels: { tier: 'y' } }, data: {} },
    ]);
    const listed = await kube.list('v1', 'ConfigMap', ns, 'tier=x');
    expect(listed.map((o) => [o.kind, o.metadata.name])).toEqual([['ConfigMap', 'a']]);

    await kube.label('v1', 'ConfigMap', 'b', ns, { tier: null, mesh: 'on' });
    expect((await kube.get('v1', 'ConfigMap', 'b', ns))?.metadata.labels).toEqual({ mesh: 'on' });
    await expect(kube.label('v1', 'ConfigMap', 'missing', ns, { a: 'b' })).rejects.toThrow(/does not exist/);

    expect(await kube.delete('v1', 'ConfigMap', 'a', ns)).toBe(true);
    expect(await kube.delete('v1', 'ConfigMap', 'a', ns)).toBe(false);
    expect(await kube.get('v1', 'ConfigMap', 'a', ns)).toBeUndefined();
  });

  it('keeps clusters independent: an object applied in one context is absent in another', async () => {
    expect(contexts.length).toBeGreaterThanOrEqual(2);
    const ns = unique('it-multi');
    await kube.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }]);
    const other = createKubeClientFactory({ kubeconfigPath: kubeconfig }).forContext(contexts[1]!);
    expect(await other.get('v1', 'Namespace', ns)).toBeUndefined();
    expect(await kube.get('v1', 'Namespace', ns)).toBeDefined();
  });

  it('a wait that times out says what it awaited and what it last saw', async () => {
    const error = await kube
      .waitFor('v1', 'ConfigMap', 'never-created', 'default', (o) => o !== undefined, {
        timeoutMs: 1_500,
        intervalMs: 200,
        description: 'ConfigMap default/never-created to appear',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeError);
    expect((error as Error).message).toMatch(
      /timed out after 1\.5s waiting for ConfigMap default\/never-created to appear on context it1; last observed: object does not exist/,
    );
  });

  it('a wait stops promptly with CancelledError when its signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const error = await kube
      .waitFor('v1', 'ConfigMap', 'never-created', 'default', (o) => o !== undefined, {
        timeoutMs: 60_000,
        intervalMs: 5_000,
        signal: controller.signal,
      })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('CancelledError');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('an unknown context is a clear error listing the known ones', async () => {
    const error = await createKubeClientFactory({ kubeconfigPath: kubeconfig })
      .forContext('nope')
      .get('v1', 'Namespace', 'default')
      .catch((e: unknown) => e);
    expect((error as Error).message).toContain('kube context "nope" is not in kubeconfig');
    expect((error as Error).message).toContain(contexts[0]!);
  });

  it('waitForLoadBalancer returns the address once a load-balancer controller sets the Service status', async () => {
    const ns = unique('it-lb');
    await kube.apply([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'gateway', namespace: ns },
        spec: { type: 'LoadBalancer', selector: { app: 'gw' }, ports: [{ port: 4143 }] },
      },
    ]);
    const waiting = kube.waitForLoadBalancer('gateway', ns, { timeoutMs: 30_000, intervalMs: 200 });
    await new Promise((r) => setTimeout(r, 600));
    // Play MetalLB: set status.loadBalancer through the status subresource.
    const patched = await rawRequest(
      kubeconfig,
      contexts[0]!,
      'PATCH',
      `/api/v1/namespaces/${ns}/services/gateway/status`,
      { status: { loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } } },
      'application/merge-patch+json',
    );
    expect(patched.status).toBe(200);
    expect(await waiting).toBe('172.18.255.200');
  });

  // Issue 8 problem 4: a `kubernetes.io/service-account-token` Secret applied at the same time as its
  // ServiceAccount was deleted by the real token controller (it saw no ServiceAccount), and linkerd
  // multicluster link then failed with "could not find service account token secret".
  it('applies a ServiceAccount before its token Secret in one apply: the token controller fills the Secret instead of deleting it', async () => {
    expect(inject('controllers'), 'the token controller runs in kube-controller-manager: run `bash scripts/test-assets/provision.sh`').toBe(
      true,
    );
    const ns = unique('it-satoken');
    const token = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/service-account-token',
      metadata: { name: 'mirror-token', namespace: ns, annotations: { 'kubernetes.io/service-account.name': 'mirror' } },
    };
    // The Secret first and the ServiceAccount behind many objects, as in a rendered chart: any order works.
    const filler = Array.from({ length: 24 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `filler-${i}`, namespace: ns },
      data: { i: String(i) },
    }));
    await kube.apply([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      token,
      ...filler,
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'mirror', namespace: ns } },
    ]);
    const filled = await kube.waitFor(
      'v1',
      'Secret',
      'mirror-token',
      ns,
      (o) => o === undefined || typeof (o['data'] as Record<string, string> | undefined)?.['token'] === 'string',
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(filled, 'the token controller deleted the token Secret: it was applied before its ServiceAccount existed').toBeDefined();
    expect(Buffer.from((filled!['data'] as Record<string, string>)['token']!, 'base64').toString()).toMatch(/^ey/);
    // ... and it stays (the controller does not come back for it).
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await kube.get('v1', 'Secret', 'mirror-token', ns)).toBeDefined();
  });

  it('waitForRollout completes for a Deployment scheduled onto the kwok node, and its Service gets endpoints', async () => {
    expect(
      inject('controllers'),
      'rollouts need kube-controller-manager, kube-scheduler and kwok: run `bash scripts/test-assets/provision.sh`',
    ).toBe(true);
    const ns = unique('it-rollout');
    await kube.apply([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: ns },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'registry.invalid/web:1', ports: [{ containerPort: 8080 }] }] },
          },
        },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: ns },
        spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
      },
    ]);
    await kube.waitForRollout('Deployment', 'web', ns, { timeoutMs: 120_000 });
    const deployment = await kube.get('apps/v1', 'Deployment', 'web', ns);
    expect((deployment?.status as { availableReplicas: number }).availableReplicas).toBe(2);

    const endpoints = await kube.waitFor(
      'v1',
      'Endpoints',
      'web',
      ns,
      (o) => ((o as { subsets?: { addresses?: unknown[] }[] } | undefined)?.subsets?.[0]?.addresses?.length ?? 0) === 2,
      {
        timeoutMs: 60_000,
        description: 'two ready endpoints for Service web',
      },
    );
    expect(endpoints).toBeDefined();

    // A new template rolls out again; the wait must not return before the controller saw the new generation.
    await kube.apply([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: ns },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'registry.invalid/web:2', ports: [{ containerPort: 8080 }] }] },
          },
        },
      },
    ]);
    await kube.waitForRollout('Deployment', 'web', ns, { timeoutMs: 120_000 });
    const after = (await kube.get('apps/v1', 'Deployment', 'web', ns)) as KubeObject & {
      metadata: { generation: number };
      status: { observedGeneration: number; updatedReplicas: number };
    };
    expect(after.status.observedGeneration).toBeGreaterThanOrEqual(after.metadata.generation);
    expect(after.status.updatedReplicas).toBe(2);
  });
});
