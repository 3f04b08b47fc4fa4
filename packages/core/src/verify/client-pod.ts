// A short-lived client pod that sends N HTTP requests from inside a cluster and prints one line per answer.
// It is a bare Pod, not a Job: a meshed pod's proxy sidecar outlives curl, so a Job would never complete.
// The script ends with a marker and then sleeps, so the caller can still read the proxy's metrics before
// deleting the pod. Polling the log for the marker (not the pod phase) also works where pods are simulated.
import { crypto } from '../lazy-crypto.js';
import type { KubeClient, KubeObject } from '../kube/types.js';
import type { PodReader } from './types.js';

export const CLIENT_IMAGE = 'curlimages/curl:8.11.1';
export const CLIENT_CONTAINER = 'client';
export const ANSWER_PREFIX = 'meshspec-answer ';
export const ERROR_PREFIX = 'meshspec-error ';
export const DONE_MARKER = 'meshspec-verify-done';

export interface ClientPodSpec {
  namespace: string;
  url: string;
  count: number;
  /** Pod annotations, e.g. `linkerd.io/inject: enabled` (the mesh plugin decides). */
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  image?: string;
}

export interface ClientPodResult {
  pod: string;
  /** Response bodies, newlines removed, one per answered request. */
  answers: string[];
  /** One entry per request without an answer (curl's message). */
  errors: string[];
  /** False when the pod did not print the end marker in time (`answers`/`errors` hold what it printed). */
  finished: boolean;
}

/** The shell loop the pod runs (busybox sh in the curl image). */
export function clientScript(url: string, count: number): string {
  const q = `'${url.replace(/'/g, `'\\''`)}'`;
  return [
    'i=0',
    `while [ "$i" -lt ${count} ]; do`,
    `  if body=$(curl -sS --fail --max-time 5 ${q} 2>&1); then echo "${ANSWER_PREFIX}$(echo "$body" | tr -d '\\n')"; else echo "${ERROR_PREFIX}$(echo "$body" | tr -d '\\n')"; fi`,
    '  i=$((i+1))',
    'done',
    `echo ${DONE_MARKER}`,
    'sleep 600',
  ].join('\n');
}

export function renderClientPod(name: string, spec: ClientPodSpec): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: spec.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'meshspec', 'app.kubernetes.io/component': 'verify-client', ...spec.labels },
      ...(spec.annotations ? { annotations: spec.annotations } : {}),
    },
    spec: {
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 1,
      containers: [
        { name: CLIENT_CONTAINER, image: spec.image ?? CLIENT_IMAGE, command: ['sh', '-c', clientScript(spec.url, spec.count)] },
      ],
    },
  };
}

/** Splits the pod's log into answers and errors; `finished` when the end marker is there. */
export function parseClientLog(log: string): Omit<ClientPodResult, 'pod'> {
  const answers: string[] = [];
  const errors: string[] = [];
  let finished = false;
  for (const line of log.split('\n')) {
    if (line.startsWith(ANSWER_PREFIX)) answers.push(line.slice(ANSWER_PREFIX.length));
    else if (line.startsWith(ERROR_PREFIX)) errors.push(line.slice(ERROR_PREFIX.length));
    else if (line.trim() === DONE_MARKER) finished = true;
  }
  return { answers, errors, finished };
}

export interface ClientPodDeps {
  kube: KubeClient;
  pods: PodReader;
  timeoutMs: number;
  signal?: AbortSignal;
  intervalMs?: number;
}

/**
 * Creates the client pod, waits until it runs, polls its log until the end marker (or the timeout), hands
 * the result to `use` while the pod (and its proxy) still runs, and deletes the pod whatever happens.
 */
export async function withClientPod<T>(deps: ClientPodDeps, spec: ClientPodSpec, use: (result: ClientPodResult) => Promise<T>): Promise<T> {
  const name = `meshspec-verify-${crypto().randomBytes(3).toString('hex')}`;
  const interval = deps.intervalMs ?? 1_000;
  await deps.kube.apply([renderClientPod(name, spec)]);
  try {
    const deadline = Date.now() + deps.timeoutMs;
    await deps.kube.waitFor(
      'v1',
      'Pod',
      name,
      spec.namespace,
      (pod) => (pod?.['status'] as { phase?: string } | undefined)?.phase === 'Running',
      {
        timeoutMs: deps.timeoutMs,
        intervalMs: interval,
        description: 'client pod running',
        ...(deps.signal ? { signal: deps.signal } : {}),
      },
    );
    let parsed = parseClientLog('');
    for (;;) {
      parsed = parseClientLog(await deps.pods.logs(spec.namespace, name, CLIENT_CONTAINER).catch(() => ''));
      if (parsed.finished || Date.now() >= deadline) break;
      deps.signal?.throwIfAborted();
      await new Promise((r) => setTimeout(r, interval));
    }
    return await use({ pod: name, ...parsed });
  } finally {
    await deps.kube.delete('v1', 'Pod', name, spec.namespace).catch(() => false);
  }
}
