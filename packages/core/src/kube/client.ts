// The real KubeClient: server-side apply with CRD ordering, reads, label patches and waits, one client
// per kube context. Credentials and TLS come from the kubeconfig via @kubernetes/client-node.
import { CancelledError, KubeError } from '../errors.js';
import { createDiscovery, type Discovery, type ResourceInfo } from './discovery.js';
import { applyBody, applyOrder, checkObject, describeApplyConflict, groupOf, parseManifestText, refOf } from './manifests.js';
import { mapInOrder } from './map-in-order.js';
import { appliedHash, APPLIED_HASH_ANNOTATION, judgeUnchanged, stableJson, withAppliedHash } from './unchanged.js';
import { crdReadiness, loadBalancerAddress, rolloutReadiness } from './readiness.js';
import { createRestClient, statusMessage, type KubeStatus, type RestClient, type RestResponse } from './rest.js';
import type { ApplyOptions, ApplyResult, KubeClient, KubeClientFactory, KubeObject, WaitOptions } from './types.js';

export interface KubeClientFactoryOptions {
  /** Kubeconfig file; default: $KUBECONFIG / ~/.kube/config (the usual loading rules). */
  kubeconfigPath?: string;
  /** Server-side apply field manager used when an apply does not name one. */
  fieldManager?: string;
  /**
   * Called before every request a client sends (discovery included), e.g. to count writes. Observes
   * only; it cannot change the request.
   */
  onRequest?: (request: { context: string; method: string; path: string }) => void;
}

const DEFAULT_WAIT_TIMEOUT_MS = 5 * 60_000;
const DEFAULT_INTERVAL_MS = 1_000;
const CRD_WAIT_TIMEOUT_MS = 60_000;
/** How long apply keeps refreshing discovery for a kind whose CRD was just established. */
const DISCOVERY_RETRY_MS = 10_000;
/** Server-side applies in flight at once for one apply call. */
const APPLY_CONCURRENCY = 8;
const GATEKEEPER_KINDS = new Set(['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'APIService']);
const isGatekeeper = (o: KubeObject) => GATEKEEPER_KINDS.has(o.kind);

export function createKubeClientFactory(options: KubeClientFactoryOptions = {}): KubeClientFactory {
  const clients = new Map<string, KubeClient>();
  return {
    forContext(context) {
      let client = clients.get(context);
      if (!client) clients.set(context, (client = createKubeClient(context, options)));
      return client;
    },
  };
}

interface Connection {
  rest: RestClient;
  discovery: Discovery;
  /** Namespace for namespaced objects that carry none and get no defaultNamespace. */
  contextNamespace: string;
}

function createKubeClient(context: string, options: KubeClientFactoryOptions): KubeClient {
  const defaultFieldManager = options.fieldManager ?? 'meshspec';
  let connection: Promise<Connection> | undefined;

  // Connect lazily: forContext() is synchronous and the library is only loaded when a cluster is used.
  const connect = () =>
    (connection ??= (async () => {
      const { KubeConfig } = await import('@kubernetes/client-node');
      const kc = new KubeConfig();
      const where = options.kubeconfigPath ?? (process.env.KUBECONFIG ? `$KUBECONFIG (${process.env.KUBECONFIG})` : '~/.kube/config');
      try {
        if (options.kubeconfigPath) kc.loadFromFile(options.kubeconfigPath);
        else kc.loadFromDefault();
      } catch (e) {
        throw new KubeError(`cannot read kubeconfig ${where}: ${(e as Error).message}`, { context, reason: 'kubeconfig' });
      }
      const ctx = kc.getContextObject(context);
      if (!ctx) {
        const known = kc.getContexts().map((c) => c.name);
        throw new KubeError(
          `kube context "${context}" is not in kubeconfig ${where} (it has: ${known.join(', ') || 'no contexts'}). Create the cluster first, or set the cluster's \`context\` in topology.yaml.`,
          { context, reason: 'no-context' },
        );
      }
      kc.setCurrentContext(context);
      const rest = observed(createRestClient(kc), context, options.onRequest);
      return { rest, discovery: createDiscovery(rest, context), contextNamespace: ctx.namespace ?? 'default' };
    })().catch((e: unknown) => {
      connection = undefined;
      throw e;
    }));

  const fail = (message: string, object?: string, reason?: string) =>
    new KubeError(message, { context, ...(object ? { object } : {}), ...(reason ? { reason } : {}) });

  async function send<T>(c: Connection, req: Parameters<RestClient['request']>[0], what: string): Promise<RestResponse<T>> {
    try {
      return await c.rest.request<T>(req);
    } catch (e) {
      if (req.signal?.aborted) throw new CancelledError(`cancelled: ${what} on context ${context}`);
      throw fail(
        `cannot reach the API server of context ${context} (${c.rest.server}) for ${what}: ${(e as Error).message}`,
        undefined,
        'unreachable',
      );
    }
  }

  /** URL path of an object (or its collection when name is undefined). */
  async function pathOf(
    c: Connection,
    apiVersion: string,
    kind: string,
    name: string | undefined,
    namespace: string | undefined,
    signal?: AbortSignal,
  ) {
    const info = await c.discovery.resolve(apiVersion, kind, signal ? { signal } : {});
    return { info, path: resourcePath(apiVersion, info, info.namespaced ? namespace : undefined, name) };
  }

  async function get(
    apiVersion: string,
    kind: string,
    name: string,
    namespace?: string,
    signal?: AbortSignal,
  ): Promise<KubeObject | undefined> {
    const c = await connect();
    const { info, path } = await pathOf(c, apiVersion, kind, name, namespace ?? c.contextNamespace, signal);
    const res = await send<KubeObject>(c, { method: 'GET', path, ...(signal ? { signal } : {}) }, `get ${kind} ${name}`);
    if (res.status === 404) return undefined;
    if (res.status !== 200)
      throw fail(
        `get ${refOf({ kind, metadata: { name, ...(info.namespaced && namespace ? { namespace } : {}) } })} failed on context ${context}: ${statusMessage(res)}`,
        `${kind}/${name}`,
      );
    return res.body;
  }

  /** Everything an apply of one object needs before talking to the server about it. */
  interface PreparedApply {
    ref: string;
    /** Object URL. */
    path: string;
    /** Collection URL (kind + namespace): objects sharing it are looked up with one LIST. */
    collection: string;
    name: string;
    /** The body as sent, carrying its applied-configuration hash. */
    body: KubeObject;
  }

  async function prepare(
    c: Connection,
    input: KubeObject,
    opts: ApplyOptions,
    fieldManager: string,
    retryDiscoveryMs: number,
  ): Promise<PreparedApply> {
    const info = await c.discovery.resolve(input.apiVersion, input.kind, {
      retryForMs: retryDiscoveryMs,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    let body = applyBody(input);
    if (info.namespaced)
      body.metadata = { ...body.metadata, namespace: body.metadata.namespace ?? opts.defaultNamespace ?? c.contextNamespace };
    else if (body.metadata.namespace !== undefined) {
      // Cluster-scoped kinds have no namespace; a stray one (often from a defaulting tool) is dropped.
      const { namespace: _ns, ...metadata } = body.metadata;
      body.metadata = metadata;
    }
    // Only the default field manager stamps the hash: one annotation cannot be owned by two managers, and a
    // partial apply by another manager (rotate's restart patch) must not replace the full apply's hash.
    if (fieldManager === defaultFieldManager) body = withAppliedHash(body, appliedHash(body, fieldManager, opts.force === true));
    return {
      ref: refOf(body),
      path: resourcePath(body.apiVersion, info, body.metadata.namespace, body.metadata.name),
      collection: resourcePath(body.apiVersion, info, body.metadata.namespace, undefined),
      name: body.metadata.name,
      body,
    };
  }

  /**
   * The live objects of a batch, read with one LIST per collection (kind + namespace) instead of a GET
   * per object; a collection with a single object is read with a GET (same one request, smaller answer).
   * A collection the server would not list (e.g. RBAC allows get but not list) maps to `unknown`, and
   * those objects are simply applied.
   */
  async function readLive(
    c: Connection,
    prepared: PreparedApply[],
    signal?: AbortSignal,
  ): Promise<Map<string, KubeObject | undefined | 'unknown'>> {
    const live = new Map<string, KubeObject | undefined | 'unknown'>();
    const byCollection = new Map<string, PreparedApply[]>();
    for (const p of prepared) byCollection.set(p.collection, [...(byCollection.get(p.collection) ?? []), p]);
    const sig = signal ? { signal } : {};
    await mapInOrder([...byCollection.values()], APPLY_CONCURRENCY, async (group) => {
      if (group.length === 1) {
        const p = group[0]!;
        const res = await send<KubeObject>(c, { method: 'GET', path: p.path, ...sig }, `get ${p.ref}`);
        live.set(p.path, res.status === 200 ? res.body : res.status === 404 ? undefined : 'unknown');
        return;
      }
      const found = new Map<string, KubeObject>();
      let cont: string | undefined;
      do {
        const res = await send<{ items?: KubeObject[]; metadata?: { continue?: string } }>(
          c,
          {
            method: 'GET',
            path: group[0]!.collection,
            query: { limit: '500', continue: cont },
            ...sig,
          },
          `list ${group[0]!.body.kind}`,
        );
        if (res.status !== 200) {
          for (const p of group) live.set(p.path, 'unknown');
          return;
        }
        for (const item of res.body.items ?? []) found.set(item.metadata.name, item);
        cont = res.body.metadata?.continue || undefined;
      } while (cont);
      // List items come without apiVersion/kind; restore them so they compare like the applied object.
      for (const p of group) {
        const item = found.get(p.name);
        live.set(p.path, item ? { ...item, apiVersion: p.body.apiVersion, kind: p.body.kind } : undefined);
      }
    });
    return live;
  }

  /** Applies the prepared objects whose live state differs; the rest are `unchanged` without a write. */
  async function applyPrepared(
    c: Connection,
    p: PreparedApply,
    live: KubeObject | undefined | 'unknown',
    opts: ApplyOptions,
    fieldManager: string,
  ) {
    const signal = opts.signal ? { signal: opts.signal } : {};
    let before: RestResponse<KubeObject> | undefined;
    if (live === 'unknown') {
      before = await send<KubeObject>(c, { method: 'GET', path: p.path, ...signal }, `get ${p.ref}`);
      if (before.status !== 200 && before.status !== 404)
        throw fail(`get ${p.ref} failed on context ${context}: ${statusMessage(before)}`, p.ref);
    }
    const current = live === 'unknown' ? (before!.status === 200 ? before!.body : undefined) : live;
    const verdict = judgeUnchanged(p.body, current);
    if (verdict.unchanged) return { ref: p.ref, outcome: 'unchanged' as const };
    // Drift from exactly what meshspec last applied is repaired: an edit (kubectl edit, an Update) moved
    // the field to the editor's manager, so only a forced apply can take it back. A changed configuration
    // meeting another manager's field is still a conflict, as always.
    const force = opts.force || verdict.drift;

    const res = await send<KubeObject>(
      c,
      {
        method: 'PATCH',
        path: p.path,
        query: { fieldManager, force: force ? true : undefined },
        body: p.body,
        contentType: 'application/apply-patch+yaml',
        ...signal,
      },
      `apply ${p.ref}`,
    );
    if (res.status === 409) {
      const conflict = describeApplyConflict(res.body as KubeStatus, p.ref, fieldManager);
      throw fail(`${conflict ?? `apply of ${p.ref} conflicts: ${statusMessage(res)}`} (context ${context})`, p.ref, 'conflict');
    }
    if (res.status !== 200 && res.status !== 201)
      throw fail(
        `apply of ${p.ref} failed on context ${context}: ${statusMessage(res)}`,
        p.ref,
        (res.body as KubeStatus | undefined)?.reason ?? `http-${res.status}`,
      );

    const outcome: ApplyResult['objects'][number]['outcome'] =
      !current || res.status === 201 ? 'created' : sameContent(current, res.body) ? 'unchanged' : 'configured';
    return { ref: p.ref, outcome };
  }

  /** Applies a group of independent objects: one read of the live state, then writes only where needed. */
  async function applyBatch(
    c: Connection,
    objects: KubeObject[],
    opts: ApplyOptions,
    fieldManager: string,
    limit: number,
    retryFor: (o: KubeObject) => number,
  ) {
    if (objects.length === 0) return [];
    if (opts.signal?.aborted) throw new CancelledError(`apply cancelled on context ${context}`);
    const prepared = await mapInOrder(objects, APPLY_CONCURRENCY, (o) => prepare(c, o, opts, fieldManager, retryFor(o)));
    const live = await readLive(c, prepared, opts.signal);
    return mapInOrder(prepared, limit, (p) => {
      if (opts.signal?.aborted) throw new CancelledError(`apply cancelled on context ${context}`);
      return applyPrepared(c, p, live.get(p.path), opts, fieldManager);
    });
  }

  async function waitFor(
    apiVersion: string,
    kind: string,
    name: string,
    namespace: string | undefined,
    predicate: (obj: KubeObject | undefined) => boolean,
    waitOptions: WaitOptions & {
      description?: string;
      describeState?: (obj: KubeObject | undefined) => string;
      failFast?: (obj: KubeObject | undefined) => string | undefined;
    } = {},
  ): Promise<KubeObject | undefined> {
    const timeoutMs = waitOptions.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
    const interval = waitOptions.intervalMs ?? DEFAULT_INTERVAL_MS;
    const target = `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
    const what = waitOptions.description ?? target;
    const describe = waitOptions.describeState ?? defaultState;
    const deadline = Date.now() + timeoutMs;
    let lastState = 'not checked yet';
    for (;;) {
      if (waitOptions.signal?.aborted) throw new CancelledError(`cancelled while waiting for ${what} on context ${context}`);
      try {
        const obj = await get(apiVersion, kind, name, namespace, waitOptions.signal);
        if (predicate(obj)) return obj;
        lastState = describe(obj);
        const fatal = waitOptions.failFast?.(obj);
        if (fatal) throw fail(`${what} on context ${context} cannot become ready: ${fatal}`, target, 'wait-failed');
      } catch (e) {
        if (e instanceof CancelledError || (e instanceof KubeError && e.details.reason === 'wait-failed')) throw e;
        if (e instanceof KubeError && (e.details.reason === 'no-context' || e.details.reason === 'kubeconfig')) throw e;
        // Transient (API restarting, kind not yet served): keep polling, remember why.
        lastState = `error: ${(e as Error).message}`;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw fail(
          `timed out after ${formatMs(timeoutMs)} waiting for ${what} on context ${context}; last observed: ${lastState}`,
          target,
          'timeout',
        );
      }
      await sleep(Math.min(interval, remaining), waitOptions.signal);
    }
  }

  const client: KubeClient = {
    context,

    async apply(objects, opts = {}) {
      const list = typeof objects === 'string' ? parseManifestText(objects) : objects;
      list.forEach((o, i) => checkObject(o, `object ${i + 1} of the apply`));
      const fieldManager = opts.fieldManager ?? defaultFieldManager;
      const c = await connect();
      const { namespaces, crds, serviceAccounts, rest } = applyOrder(list);
      const result: ApplyResult = { objects: [] };

      const none = () => 0;

      // Namespaces and CRDs one by one, in manifest order (as before); each phase reads its live objects once.
      result.objects.push(...(await applyBatch(c, namespaces, opts, fieldManager, 1, none)));
      result.objects.push(...(await applyBatch(c, crds, opts, fieldManager, 1, none)));
      // Custom resources in this batch need their CRDs served before they can be applied.
      for (const crd of crds) {
        await client.waitForCrdEstablished(crd.metadata.name, {
          timeoutMs: CRD_WAIT_TIMEOUT_MS,
          intervalMs: 250,
          ...(opts.signal ? { signal: opts.signal } : {}),
        });
        const spec = crd.spec as { group?: string; versions?: { name: string }[] } | undefined;
        for (const v of spec?.versions ?? []) c.discovery.invalidate(`${spec?.group}/${v.name}`);
      }
      const servedByBatch = new Set(crds.map((crd) => (crd.spec as { group?: string } | undefined)?.group));
      const retry = (obj: KubeObject) => (servedByBatch.has(groupOf(obj.apiVersion)) ? DISCOVERY_RETRY_MS : 0);

      // Independent objects go in parallel (an apply is a round trip each); ServiceAccounts before the
      // rest (see applyOrder: token Secrets and Pods name them); admission webhooks and aggregated APIs
      // go last, one by one, so the Services and Deployments behind them exist first.
      result.objects.push(...(await applyBatch(c, serviceAccounts, opts, fieldManager, APPLY_CONCURRENCY, retry)));
      result.objects.push(
        ...(await applyBatch(
          c,
          rest.filter((o) => !isGatekeeper(o)),
          opts,
          fieldManager,
          APPLY_CONCURRENCY,
          retry,
        )),
      );
      result.objects.push(...(await applyBatch(c, rest.filter(isGatekeeper), opts, fieldManager, 1, retry)));
      return result;
    },

    get: (apiVersion, kind, name, namespace) => get(apiVersion, kind, name, namespace),

    async list(apiVersion, kind, namespace, labelSelector) {
      const c = await connect();
      const { path } = await pathOf(c, apiVersion, kind, undefined, namespace);
      const items: KubeObject[] = [];
      let cont: string | undefined;
      do {
        const res = await send<{ items?: KubeObject[]; metadata?: { continue?: string } }>(
          c,
          { method: 'GET', path, query: { labelSelector, limit: '500', continue: cont } },
          `list ${kind}`,
        );
        if (res.status !== 200)
          throw fail(`list ${kind}${namespace ? ` in ${namespace}` : ''} failed on context ${context}: ${statusMessage(res)}`, kind);
        // List items come without apiVersion/kind; restore them so items look like applied objects.
        for (const item of res.body.items ?? []) items.push({ ...item, apiVersion, kind });
        cont = res.body.metadata?.continue || undefined;
      } while (cont);
      return items;
    },

    async delete(apiVersion, kind, name, namespace) {
      const c = await connect();
      const { path } = await pathOf(c, apiVersion, kind, name, namespace ?? c.contextNamespace);
      const res = await send(
        c,
        { method: 'DELETE', path, body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' } },
        `delete ${kind} ${name}`,
      );
      if (res.status === 404) return false;
      if (res.status !== 200 && res.status !== 202)
        throw fail(`delete ${kind} ${name} failed on context ${context}: ${statusMessage(res)}`, `${kind}/${name}`);
      return true;
    },

    async label(apiVersion, kind, name, namespace, labels) {
      const c = await connect();
      const { path } = await pathOf(c, apiVersion, kind, name, namespace ?? c.contextNamespace);
      const ref = refOf({ kind, metadata: { name, ...(namespace ? { namespace } : {}) } });
      const res = await send(
        c,
        { method: 'PATCH', path, body: { metadata: { labels } }, contentType: 'application/merge-patch+json' },
        `label ${ref}`,
      );
      if (res.status === 404) throw fail(`cannot label ${ref} on context ${context}: it does not exist`, ref, 'not-found');
      if (res.status !== 200) throw fail(`label ${ref} failed on context ${context}: ${statusMessage(res)}`, ref);
    },

    async waitForCrdEstablished(name, waitOptions = {}) {
      await waitFor('apiextensions.k8s.io/v1', 'CustomResourceDefinition', name, undefined, (o) => crdReadiness(o).ready, {
        timeoutMs: CRD_WAIT_TIMEOUT_MS,
        ...waitOptions,
        description: `CustomResourceDefinition ${name} to be Established`,
        describeState: (o) => crdReadiness(o).state,
        failFast: (o) => crdReadiness(o).failed,
      });
    },

    async waitForRollout(kind, name, namespace, waitOptions = {}) {
      await waitFor('apps/v1', kind, name, namespace, (o) => rolloutReadiness(kind, o).ready, {
        ...waitOptions,
        description: `rollout of ${kind} ${namespace}/${name}`,
        describeState: (o) => rolloutReadiness(kind, o).state,
      });
    },

    async waitForLoadBalancer(name, namespace, waitOptions = {}) {
      const svc = await waitFor('v1', 'Service', name, namespace, (o) => loadBalancerAddress(o).ready, {
        ...waitOptions,
        description: `a LoadBalancer address for Service ${namespace}/${name}`,
        describeState: (o) => loadBalancerAddress(o).state,
      });
      return loadBalancerAddress(svc).address!;
    },

    waitFor: (apiVersion, kind, name, namespace, predicate, waitOptions) =>
      waitFor(apiVersion, kind, name, namespace, predicate, waitOptions),
  };
  return client;
}

/**
 * Did an apply leave the object as it was? Same resourceVersion means no write at all. A write that only
 * touched bookkeeping also counts as unchanged: the API server migrates managedFields on the first apply
 * to an object whose applied fields are empty (e.g. a bare Namespace), controllers update status, and the
 * first apply by this version of meshspec adds the applied-configuration hash to an existing object.
 */
export function sameContent(before: KubeObject, after: KubeObject): boolean {
  if (before.metadata.resourceVersion === after.metadata.resourceVersion) return true;
  const strip = (o: KubeObject) => {
    const { resourceVersion: _r, managedFields: _m, annotations, ...metadata } = o.metadata;
    const { [APPLIED_HASH_ANNOTATION]: _h, ...rest } = annotations ?? {};
    const { status: _s, ...body } = o;
    return stableJson({ ...body, metadata: Object.keys(rest).length > 0 ? { ...metadata, annotations: rest } : metadata });
  };
  return strip(before) === strip(after);
}

function observed(rest: RestClient, context: string, onRequest: KubeClientFactoryOptions['onRequest']): RestClient {
  if (!onRequest) return rest;
  return {
    server: rest.server,
    request: (req) => {
      onRequest({ context, method: req.method, path: req.path });
      return rest.request(req);
    },
  };
}

function resourcePath(apiVersion: string, info: ResourceInfo, namespace: string | undefined, name: string | undefined): string {
  const root = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${root}${ns}/${info.name}${name !== undefined ? `/${encodeURIComponent(name)}` : ''}`;
}

function defaultState(obj: KubeObject | undefined): string {
  if (!obj) return 'object does not exist';
  const status = (obj as { status?: unknown }).status;
  if (status === undefined) return `exists (resourceVersion ${String(obj.metadata.resourceVersion)}), no status`;
  const text = JSON.stringify(status);
  return `status ${text.length > 400 ? `${text.slice(0, 400)}…` : text}`;
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
