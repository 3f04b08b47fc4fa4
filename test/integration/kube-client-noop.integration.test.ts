// No-op apply without writes, against a real kube-apiserver: the client decides "unchanged" from one
// LIST per kind and namespace (the applied-configuration hash plus the live values of the fields it
// sends) and PATCHes only what changed, drifted or disappeared. Requests are counted through the
// client factory's onRequest hook; "another actor" (kubectl edit, a deletion) acts through rawRequest.
import { describe, expect, inject, it } from 'vitest';
import { createKubeClientFactory } from '../../packages/core/src/kube/client.js';
import type { KubeObject } from '../../packages/core/src/kube/types.js';
import { rawRequest } from './harness/raw-request.js';

const kubeconfig = inject('kubeconfig');
const contexts = inject('contexts');
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;

interface Sent {
  method: string;
  path: string;
}

/** A fresh client (cold discovery, as in a new `meshspec apply`) that records every request it sends. */
function countingClient() {
  const sent: Sent[] = [];
  const kube = createKubeClientFactory({
    kubeconfigPath: kubeconfig,
    onRequest: ({ method, path }) => sent.push({ method, path }),
  }).forContext(contexts[0]!);
  return { kube, sent };
}
const writes = (sent: Sent[]) => sent.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

/** Namespaced objects, cluster-scoped ones, a CRD and its custom resources, a Deployment the server defaults heavily. */
function fixture(
  ns: string,
  group: string,
  overrides: { size?: number; data?: Record<string, string>; verbs?: string[] } = {},
): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `widgets.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } },
            },
          },
        ],
      },
    },
    ...[1, 2, 3].map((i) => ({
      apiVersion: `${group}/v1`,
      kind: 'Widget',
      metadata: { name: `w${i}`, namespace: ns },
      spec: { size: i === 1 ? (overrides.size ?? 1) : i },
    })),
    ...[1, 2, 3, 4].map((i) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm${i}`, namespace: ns, labels: { app: 'noop' } },
      data: i === 1 ? (overrides.data ?? { a: '1', b: '2' }) : { a: String(i) },
    })),
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token', namespace: ns }, stringData: { token: 'not-a-real-secret' } },
    ...[1, 2].map((i) => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `svc${i}`, namespace: ns },
      spec: { selector: { app: `svc${i}` }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    })),
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              {
                name: 'web',
                image: 'registry.invalid/web:1',
                ports: [{ containerPort: 8080 }],
                resources: { limits: { cpu: '1', memory: '64Mi' } },
              },
            ],
          },
        },
      },
    },
    ...[1, 2].map((i) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: `${ns}-reader${i}` },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: i === 1 ? (overrides.verbs ?? ['get', 'list']) : ['get'] }],
    })),
  ];
}
const OBJECTS = 15;

async function firstApply() {
  const ns = unique('it-noop');
  const group = `${unique('g')}.meshspec.dev`;
  const { kube } = countingClient();
  const first = await kube.apply(fixture(ns, group));
  expect(first.objects).toHaveLength(OBJECTS);
  expect(first.objects.every((o) => o.outcome === 'created')).toBe(true);
  return { ns, group };
}

describe('KubeClient no-op apply without writes (real kube-apiserver)', () => {
  it('a no-op re-apply sends no write, and reads namespaced, cluster-scoped and custom objects with one LIST per kind and namespace', async () => {
    const { ns, group } = await firstApply();
    const { kube, sent } = countingClient();
    const again = await kube.apply(fixture(ns, group));
    expect(again.objects.map((o) => o.outcome)).toEqual(Array(OBJECTS).fill('unchanged'));
    expect(writes(sent)).toEqual([]);

    const gets = sent.filter((r) => r.method === 'GET').map((r) => r.path);
    const count = (path: string) => gets.filter((p) => p === path).length;
    expect(count(`/api/v1/namespaces/${ns}/configmaps`)).toBe(1);
    expect(count(`/api/v1/namespaces/${ns}/services`)).toBe(1);
    expect(count(`/apis/${group}/v1/namespaces/${ns}/widgets`)).toBe(1);
    expect(count('/apis/rbac.authorization.k8s.io/v1/clusterroles')).toBe(1);
    // No GET per object where a kind has several in a namespace (singletons are one GET either way).
    expect(gets.filter((p) => /\/(configmaps|services|widgets|clusterroles)\/[^/]+$/.test(p))).toEqual([]);
  });

  it('a changed object is server-side applied, and only it; a field dropped from the manifest is removed', async () => {
    const { ns, group } = await firstApply();
    const { kube, sent } = countingClient();
    const changed = await kube.apply(fixture(ns, group, { size: 5, data: { a: '1' } }));
    const outcome = Object.fromEntries(changed.objects.map((o) => [o.ref, o.outcome]));
    expect(outcome[`Widget/${ns}/w1`]).toBe('configured');
    expect(outcome[`ConfigMap/${ns}/cm1`]).toBe('configured');
    expect(changed.objects.filter((o) => o.outcome !== 'unchanged')).toHaveLength(2);
    expect(writes(sent).sort()).toEqual([
      `PATCH /api/v1/namespaces/${ns}/configmaps/cm1`,
      `PATCH /apis/${group}/v1/namespaces/${ns}/widgets/w1`,
    ]);
    expect((await kube.get(`${group}/v1`, 'Widget', 'w1', ns))?.spec).toEqual({ size: 5 });
    expect((await kube.get('v1', 'ConfigMap', 'cm1', ns))?.data).toEqual({ a: '1' });
  });

  it('kubectl edit of fields meshspec owns (namespaced, cluster-scoped, custom resource, Secret) is repaired on the next apply; a label someone added is left alone', async () => {
    const { ns, group } = await firstApply();
    // What `kubectl edit` sends: a patch (an Update operation) under its own field manager.
    const edit = async (path: string, patch: unknown) => {
      const res = await rawRequest(
        kubeconfig,
        contexts[0]!,
        'PATCH',
        `${path}?fieldManager=kubectl-edit`,
        patch,
        'application/merge-patch+json',
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    await edit(`/api/v1/namespaces/${ns}/configmaps/cm2`, { data: { a: 'edited' } });
    await edit(`/apis/rbac.authorization.k8s.io/v1/clusterroles/${ns}-reader1`, {
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['*'] }],
    });
    await edit(`/apis/${group}/v1/namespaces/${ns}/widgets/w2`, { spec: { size: 99 } });
    await edit(`/api/v1/namespaces/${ns}/secrets/token`, { data: { token: Buffer.from('stolen').toString('base64') } });
    await edit(`/apis/apps/v1/namespaces/${ns}/deployments/web`, { spec: { replicas: 3 } });
    await edit(`/api/v1/namespaces/${ns}/configmaps/cm3`, { metadata: { labels: { 'added-by': 'someone' } } });

    const { kube, sent } = countingClient();
    const repaired = await kube.apply(fixture(ns, group));
    const changed = repaired.objects
      .filter((o) => o.outcome !== 'unchanged')
      .map((o) => `${o.ref} ${o.outcome}`)
      .sort();
    expect(changed).toEqual([
      `ClusterRole/${ns}-reader1 configured`,
      `ConfigMap/${ns}/cm2 configured`,
      `Deployment/${ns}/web configured`,
      `Secret/${ns}/token configured`,
      `Widget/${ns}/w2 configured`,
    ]);
    expect(writes(sent)).toHaveLength(5);
    expect((await kube.get('v1', 'ConfigMap', 'cm2', ns))?.data).toEqual({ a: '2' });
    expect((await kube.get('rbac.authorization.k8s.io/v1', 'ClusterRole', `${ns}-reader1`))?.rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] },
    ]);
    expect((await kube.get(`${group}/v1`, 'Widget', 'w2', ns))?.spec).toEqual({ size: 2 });
    const secret = (await kube.get('v1', 'Secret', 'token', ns)) as KubeObject & { data: { token: string } };
    expect(Buffer.from(secret.data.token, 'base64').toString()).toBe('not-a-real-secret');
    expect(((await kube.get('apps/v1', 'Deployment', 'web', ns))?.spec as { replicas: number }).replicas).toBe(1);
    expect((await kube.get('v1', 'ConfigMap', 'cm3', ns))?.metadata.labels).toEqual({ app: 'noop', 'added-by': 'someone' });

    // Repaired means settled: the apply after that writes nothing.
    const settled = countingClient();
    await settled.kube.apply(fixture(ns, group));
    expect(writes(settled.sent)).toEqual([]);
  });

  it('objects deleted by someone else (namespaced, cluster-scoped, custom resource) are recreated', async () => {
    const { ns, group } = await firstApply();
    for (const path of [
      `/api/v1/namespaces/${ns}/configmaps/cm4`,
      `/apis/rbac.authorization.k8s.io/v1/clusterroles/${ns}-reader2`,
      `/apis/${group}/v1/namespaces/${ns}/widgets/w3`,
    ]) {
      const res = await rawRequest(kubeconfig, contexts[0]!, 'DELETE', path);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const { kube, sent } = countingClient();
    const result = await kube.apply(fixture(ns, group));
    expect(
      result.objects
        .filter((o) => o.outcome !== 'unchanged')
        .map((o) => `${o.ref} ${o.outcome}`)
        .sort(),
    ).toEqual([`ClusterRole/${ns}-reader2 created`, `ConfigMap/${ns}/cm4 created`, `Widget/${ns}/w3 created`]);
    expect(writes(sent)).toHaveLength(3);
    expect(await kube.get('v1', 'ConfigMap', 'cm4', ns)).toBeDefined();
  });

  it('an object another field manager applied first still conflicts (meshspec never applied it, so it is not drift)', async () => {
    const { ns } = await firstApply();
    const { kube, sent } = countingClient();
    await kube.apply([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'theirs', namespace: ns }, data: { owner: 'other' } }], {
      fieldManager: 'other-tool',
    });
    // Only the default field manager stamps the hash (one annotation cannot have two owners): the other
    // tool's object carries none, so the conflict names only the field in dispute.
    expect((await kube.get('v1', 'ConfigMap', 'theirs', ns))?.metadata.annotations).toBeUndefined();
    sent.length = 0;
    const error = await kube
      .apply([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'theirs', namespace: ns }, data: { owner: 'meshspec' } }])
      .catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(/conflicts: Apply failed with 1 conflict: conflict with "other-tool": \.data\.owner/);
    expect(writes(sent)).toEqual([`PATCH /api/v1/namespaces/${ns}/configmaps/theirs`]);
  });
});
