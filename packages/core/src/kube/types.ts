/** A Kubernetes object as plain data. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [k: string]: unknown;
  };
  [key: string]: unknown;
}

export interface ApplyOptions {
  /** Server-side apply field manager; default `meshspec`. */
  fieldManager?: string;
  /** Take ownership of fields owned by other managers. Default false: conflicts are errors. */
  force?: boolean;
  /** Namespace for namespaced objects that carry none. */
  defaultNamespace?: string;
  signal?: AbortSignal;
}

export interface ApplyResult {
  /** `kind/namespace/name` of each object with what happened to it. */
  objects: { ref: string; outcome: 'created' | 'configured' | 'unchanged' }[];
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  signal?: AbortSignal;
}

/** One cluster's API, bound to a kube context. */
export interface KubeClient {
  readonly context: string;
  /**
   * Server-side apply of objects (or multi-document YAML text): namespaces and CRDs first, waits for
   * CRDs to be Established before their custom resources, then everything else.
   */
  apply(objects: KubeObject[] | string, options?: ApplyOptions): Promise<ApplyResult>;
  get(apiVersion: string, kind: string, name: string, namespace?: string): Promise<KubeObject | undefined>;
  list(apiVersion: string, kind: string, namespace?: string, labelSelector?: string): Promise<KubeObject[]>;
  delete(apiVersion: string, kind: string, name: string, namespace?: string): Promise<boolean>;
  /** Merge-patch labels onto an existing object. */
  label(
    apiVersion: string,
    kind: string,
    name: string,
    namespace: string | undefined,
    labels: Record<string, string | null>,
  ): Promise<void>;
  waitForCrdEstablished(name: string, options?: WaitOptions): Promise<void>;
  /** Waits until a Deployment/DaemonSet/StatefulSet has rolled out (observedGeneration, updated and available replicas). */
  waitForRollout(kind: 'Deployment' | 'DaemonSet' | 'StatefulSet', name: string, namespace: string, options?: WaitOptions): Promise<void>;
  /** Waits for a LoadBalancer Service to get an ingress IP or hostname and returns it. */
  waitForLoadBalancer(name: string, namespace: string, options?: WaitOptions): Promise<string>;
  /** Polls `predicate` on an object until it returns true. */
  waitFor(
    apiVersion: string,
    kind: string,
    name: string,
    namespace: string | undefined,
    predicate: (obj: KubeObject | undefined) => boolean,
    options?: WaitOptions & { description?: string },
  ): Promise<KubeObject | undefined>;
}

/** Produces a client per kube context, from a kubeconfig file (or the default loading rules). */
export interface KubeClientFactory {
  forContext(context: string): KubeClient;
}
