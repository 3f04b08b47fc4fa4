import { describe, expect, it } from 'vitest';
import { KubeError } from '../errors.js';
import { applyBody, applyOrder, describeApplyConflict, parseManifestText, refOf } from './manifests.js';
import { crdReadiness, loadBalancerAddress, rolloutReadiness } from './readiness.js';
import { sameContent } from './client.js';
import type { KubeObject } from './types.js';

const obj = (apiVersion: string, kind: string, name: string, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name },
  ...extra,
});

describe('parseManifestText', () => {
  it('parses multi-document YAML, skipping empty documents and flattening Lists', () => {
    const text = `---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n# only a comment\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: x}}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: y}}\n`;
    expect(parseManifestText(text).map(refOf)).toEqual(['Namespace/a', 'ConfigMap/x', 'ConfigMap/y']);
  });

  it.each([
    ['invalid YAML, with its position', 'apiVersion: v1\nkind: [unclosed\n', /document 1 at line \d+/],
    ['a document that is not an object', '- a\n- b\n', /not a Kubernetes object/],
    ['an object without a name', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n', /lacks metadata.name/],
    ['an object without apiVersion', 'kind: ConfigMap\nmetadata: {name: x}\n', /lacks apiVersion/],
  ])('rejects %s', (_what, text, message) => {
    expect(() => parseManifestText(text)).toThrow(KubeError);
    expect(() => parseManifestText(text)).toThrow(message);
  });
});

describe('applyOrder', () => {
  it('puts Namespaces first, then CRDs, then the rest in their original order', () => {
    const cr = obj('example.com/v1', 'Widget', 'w');
    const crd = obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com');
    const ns = obj('v1', 'Namespace', 'n');
    const cm = obj('v1', 'ConfigMap', 'c');
    const order = applyOrder([cr, cm, crd, ns]);
    expect([...order.namespaces, ...order.crds, ...order.serviceAccounts, ...order.rest].map(refOf)).toEqual([
      'Namespace/n',
      'CustomResourceDefinition/widgets.example.com',
      'Widget/w',
      'ConfigMap/c',
    ]);
  });

  // Issue 8 problem 4: a token Secret applied in parallel with its ServiceAccount was deleted by the token controller.
  it('puts ServiceAccounts in their own group before the rest, so a token Secret never goes out with its ServiceAccount', () => {
    const token = obj('v1', 'Secret', 'sa-token', {
      type: 'kubernetes.io/service-account-token',
      metadata: { name: 'sa-token', annotations: { 'kubernetes.io/service-account.name': 'sa' } },
    });
    const sa = obj('v1', 'ServiceAccount', 'sa');
    const order = applyOrder([token, obj('v1', 'ConfigMap', 'c'), sa, obj('v1', 'Namespace', 'n')]);
    expect(order.serviceAccounts.map(refOf)).toEqual(['ServiceAccount/sa']);
    expect(order.rest.map(refOf)).toEqual(['Secret/sa-token', 'ConfigMap/c']);
  });
});

describe('applyBody', () => {
  it('drops server-populated metadata so a fetched object can be re-applied', () => {
    const fetched = obj('v1', 'ConfigMap', 'c', { data: { a: '1' } });
    Object.assign(fetched.metadata, {
      namespace: 'n',
      resourceVersion: '5',
      uid: 'u',
      managedFields: [{}],
      creationTimestamp: 't',
      generation: 2,
      labels: { l: 'v' },
    });
    expect(applyBody(fetched)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'n', labels: { l: 'v' } },
      data: { a: '1' },
    });
  });
});

describe('describeApplyConflict', () => {
  it('names the object, the fields, the other manager and the fix', () => {
    const status = {
      kind: 'Status' as const,
      message: 'Apply failed with 2 conflicts: conflict with "kubectl-edit" using v1: .data.a, .data.b',
      reason: 'Conflict',
      details: {
        causes: [
          { type: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using v1', field: '.data.a' },
          { type: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using v1', field: '.data.b' },
        ],
      },
    };
    const text = describeApplyConflict(status, 'ConfigMap/n/c', 'meshspec');
    expect(text).toContain('ConfigMap/n/c');
    expect(text).toContain('fields .data.a, .data.b owned by field manager "kubectl-edit"');
    expect(text).toContain('force: true');
    expect(text).toContain('--force-conflicts');
  });

  it('is undefined for a 409 that is not a field conflict (e.g. AlreadyExists)', () => {
    expect(describeApplyConflict({ message: 'object is being deleted', reason: 'AlreadyExists' }, 'x', 'm')).toBeUndefined();
  });
});

describe('rolloutReadiness', () => {
  const deployment = (generation: number, spec: Record<string, unknown>, status: Record<string, unknown>) =>
    ({ ...obj('apps/v1', 'Deployment', 'd'), metadata: { name: 'd', generation }, spec, status }) as KubeObject;
  it.each([
    [
      'not observed yet',
      deployment(2, { replicas: 2 }, { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }),
      false,
      /not observed/,
    ],
    [
      'partially available',
      deployment(1, { replicas: 3 }, { observedGeneration: 1, replicas: 3, updatedReplicas: 3, availableReplicas: 2 }),
      false,
      /2\/3 available/,
    ],
    [
      'old replicas terminating',
      deployment(1, { replicas: 2 }, { observedGeneration: 1, replicas: 3, updatedReplicas: 2, availableReplicas: 2 }),
      false,
      /1 old replica/,
    ],
    [
      'complete',
      deployment(1, { replicas: 2 }, { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 }),
      true,
      /2\/2 available/,
    ],
    [
      'replicas default to 1',
      deployment(1, {}, { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 }),
      true,
      /1\/1/,
    ],
    ['scaled to zero', deployment(1, { replicas: 0 }, { observedGeneration: 1 }), true, /0\/0/],
  ])('Deployment %s', (_name, d, ready, state) => {
    const r = rolloutReadiness('Deployment', d);
    expect(r.ready).toBe(ready);
    expect(r.state).toMatch(state);
  });

  it('DaemonSet needs every scheduled pod updated and available', () => {
    const ds = (available: number) =>
      ({
        ...obj('apps/v1', 'DaemonSet', 'x'),
        metadata: { name: 'x', generation: 1 },
        status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: available },
      }) as KubeObject;
    expect(rolloutReadiness('DaemonSet', ds(2))).toMatchObject({ ready: false });
    expect(rolloutReadiness('DaemonSet', ds(3))).toMatchObject({ ready: true });
  });

  it('StatefulSet also needs the update revision current', () => {
    const sts = (current: string) =>
      ({
        ...obj('apps/v1', 'StatefulSet', 's'),
        metadata: { name: 's', generation: 1 },
        spec: { replicas: 1 },
        status: {
          observedGeneration: 1,
          replicas: 1,
          readyReplicas: 1,
          updatedReplicas: 1,
          availableReplicas: 1,
          currentRevision: current,
          updateRevision: 'r2',
        },
      }) as KubeObject;
    expect(rolloutReadiness('StatefulSet', sts('r1')).ready).toBe(false);
    expect(rolloutReadiness('StatefulSet', sts('r2')).ready).toBe(true);
  });

  it('a missing object is not ready', () =>
    expect(rolloutReadiness('Deployment', undefined)).toEqual({ ready: false, state: 'Deployment does not exist' }));
});

describe('crdReadiness and loadBalancerAddress', () => {
  const crd = (conditions: unknown[]) =>
    ({ ...obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'c'), status: { conditions } }) as KubeObject;
  it('CRD: Established=True is ready; NamesAccepted=False fails fast', () => {
    expect(crdReadiness(crd([{ type: 'Established', status: 'True' }])).ready).toBe(true);
    expect(crdReadiness(crd([{ type: 'NamesAccepted', status: 'False', message: 'plural name taken' }])).failed).toBe('plural name taken');
    expect(crdReadiness(crd([])).state).toBe('no conditions yet');
  });

  it('Service: first ingress IP or hostname; explains non-LoadBalancer services', () => {
    const svc = (type: string, ingress: unknown[]) =>
      ({ ...obj('v1', 'Service', 's'), spec: { type }, status: { loadBalancer: { ingress } } }) as KubeObject;
    expect(loadBalancerAddress(svc('LoadBalancer', [{ ip: '172.18.255.1' }])).address).toBe('172.18.255.1');
    expect(loadBalancerAddress(svc('LoadBalancer', [{ hostname: 'lb.example' }])).address).toBe('lb.example');
    expect(loadBalancerAddress(svc('LoadBalancer', [])).state).toMatch(/no ingress address/);
    expect(loadBalancerAddress(svc('ClusterIP', [])).state).toMatch(/not LoadBalancer/);
  });
});

describe('sameContent', () => {
  const ns = (rv: string, extra: Record<string, unknown> = {}) =>
    ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'n', resourceVersion: rv, labels: { a: '1' }, ...extra },
      status: { phase: 'Active' },
    }) as KubeObject;
  it.each([
    ['same resourceVersion', ns('1'), ns('1'), true],
    ['only managedFields and resourceVersion changed', ns('1'), ns('2', { managedFields: [{ manager: 'before-first-apply' }] }), true],
    ['only status changed', ns('1'), { ...ns('2'), status: { phase: 'Terminating' } }, true],
    ['a label changed', ns('1'), ns('2', { labels: { a: '2' } }), false],
  ])('%s -> %s', (_what, before, after, same) => expect(sameContent(before, after)).toBe(same));
});

describe('sameContent and the applied-configuration hash', () => {
  it('an apply that only added the hash annotation to an existing object left it unchanged', () => {
    const before = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', resourceVersion: '1' }, data: { a: '1' } } as KubeObject;
    const after = {
      ...before,
      metadata: { name: 'c', resourceVersion: '2', annotations: { 'meshspec.dev/applied-hash': 'sha256:x' } },
    } as KubeObject;
    expect(sameContent(before, after)).toBe(true);
    expect(
      sameContent(before, { ...after, metadata: { ...after.metadata, annotations: { ...after.metadata.annotations, other: 'y' } } }),
    ).toBe(false);
  });
});
