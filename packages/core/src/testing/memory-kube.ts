import { parseAllDocuments } from 'yaml';
import { KubeError } from '../errors.js';
import type { ApplyOptions, ApplyResult, KubeClient, KubeObject, WaitOptions } from '../kube/types.js';

const key = (apiVersion: string, kind: string, name: string, namespace?: string) => `${apiVersion}/${kind}/${namespace ?? ''}/${name}`;

/**
 * An in-memory KubeClient for unit tests of plugins: apply stores objects, reads return them, and waits
 * succeed at once when the stored object satisfies them (fail otherwise). Real API behaviour is tested
 * against real kube-apiservers in the integration suite.
 */
export class MemoryKube implements KubeClient {
  readonly objects = new Map<string, KubeObject>();
  readonly applied: KubeObject[] = [];
  constructor(readonly context = 'test') {}

  async apply(objects: KubeObject[] | string, options: ApplyOptions = {}): Promise<ApplyResult> {
    const list = typeof objects === 'string' ? parseManifests(objects) : objects;
    const result: ApplyResult = { objects: [] };
    for (const obj of list) {
      const ns = obj.metadata.namespace ?? options.defaultNamespace;
      const k = key(obj.apiVersion, obj.kind, obj.metadata.name, ns);
      const prev = this.objects.get(k);
      const next = structuredClone({ ...obj, metadata: { ...obj.metadata, ...(ns ? { namespace: ns } : {}) } });
      this.objects.set(k, prev ? { ...prev, ...next } : next);
      this.applied.push(next);
      result.objects.push({
        ref: `${obj.kind}/${ns ? ns + '/' : ''}${obj.metadata.name}`,
        outcome: prev ? (JSON.stringify(prev) === JSON.stringify(next) ? 'unchanged' : 'configured') : 'created',
      });
    }
    return result;
  }

  async get(apiVersion: string, kind: string, name: string, namespace?: string) {
    return this.objects.get(key(apiVersion, kind, name, namespace));
  }

  async list(apiVersion: string, kind: string, namespace?: string, labelSelector?: string) {
    const wanted = parseSelector(labelSelector);
    return [...this.objects.values()].filter(
      (o) =>
        o.apiVersion === apiVersion &&
        o.kind === kind &&
        (namespace === undefined || o.metadata.namespace === namespace) &&
        Object.entries(wanted).every(([k, v]) => o.metadata.labels?.[k] === v),
    );
  }

  async delete(apiVersion: string, kind: string, name: string, namespace?: string) {
    return this.objects.delete(key(apiVersion, kind, name, namespace));
  }

  async label(apiVersion: string, kind: string, name: string, namespace: string | undefined, labels: Record<string, string | null>) {
    const obj = this.objects.get(key(apiVersion, kind, name, namespace));
    if (!obj) throw new KubeError(`${kind} ${namespace}/${name} not found`, { context: this.context });
    const next = { ...(obj.metadata.labels ?? {}) };
    for (const [k, v] of Object.entries(labels)) v === null ? delete next[k] : (next[k] = v);
    obj.metadata.labels = next;
  }

  async waitForCrdEstablished(name: string) {
    if (!this.objects.get(key('apiextensions.k8s.io/v1', 'CustomResourceDefinition', name)))
      throw new KubeError(`CRD ${name} not found`, { context: this.context });
  }

  async waitForRollout(kind: string, name: string, namespace: string) {
    if (!this.objects.get(key('apps/v1', kind, name, namespace)))
      throw new KubeError(`${kind} ${namespace}/${name} not found`, { context: this.context });
  }

  async waitForLoadBalancer(name: string, namespace: string) {
    const svc = this.objects.get(key('v1', 'Service', name, namespace)) as
      { status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } } | undefined;
    const ingress = svc?.status?.loadBalancer?.ingress?.[0];
    const address = ingress?.ip ?? ingress?.hostname;
    if (!address) throw new KubeError(`Service ${namespace}/${name} has no LoadBalancer address`, { context: this.context });
    return address;
  }

  async waitFor(
    apiVersion: string,
    kind: string,
    name: string,
    namespace: string | undefined,
    predicate: (o: KubeObject | undefined) => boolean,
    options: WaitOptions & { description?: string } = {},
  ) {
    const obj = this.objects.get(key(apiVersion, kind, name, namespace));
    if (!predicate(obj))
      throw new KubeError(`timed out waiting for ${options.description ?? `${kind} ${name}`}`, { context: this.context });
    return obj;
  }
}

export function parseManifests(text: string): KubeObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => !!o && typeof o === 'object' && 'kind' in o);
}

function parseSelector(selector?: string): Record<string, string> {
  if (!selector) return {};
  return Object.fromEntries(selector.split(',').map((part) => part.split('=') as [string, string]));
}
