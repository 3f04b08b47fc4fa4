// Pure readiness checks on objects as the API returns them, each with a one-line description of the
// state it saw, so a wait that times out can say how far things got.
import type { KubeObject } from './types.js';

export interface Readiness {
  ready: boolean;
  /** Human summary of the observed state, e.g. `2/3 replicas available`. */
  state: string;
}

type Num = number | undefined;
interface Workload {
  metadata: { generation?: Num };
  spec?: { replicas?: Num; updateStrategy?: { type?: string } };
  status?: Record<string, unknown>;
}

const n = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** Mirrors `kubectl rollout status`: the controller saw the latest spec and every replica is updated and available. */
export function rolloutReadiness(kind: 'Deployment' | 'DaemonSet' | 'StatefulSet', obj: KubeObject | undefined): Readiness {
  if (!obj) return { ready: false, state: `${kind} does not exist` };
  const w = obj as unknown as Workload;
  const status = w.status ?? {};
  const generation = n(w.metadata.generation);
  const observed = n(status.observedGeneration);
  const generationState = `generation ${generation}, observedGeneration ${observed}`;
  if (observed < generation) return { ready: false, state: `controller has not observed the latest spec yet (${generationState})` };

  if (kind === 'DaemonSet') {
    const desired = n(status.desiredNumberScheduled);
    const updated = n(status.updatedNumberScheduled);
    const available = n(status.numberAvailable);
    const state = `${updated}/${desired} pods updated, ${available}/${desired} available (${generationState})`;
    return { ready: updated === desired && available === desired, state };
  }

  const replicas = w.spec?.replicas ?? 1;
  const updated = n(status.updatedReplicas);
  const available = n(status.availableReplicas);
  const total = n(status.replicas);
  let state = `${updated}/${replicas} replicas updated, ${available}/${replicas} available`;
  if (total > replicas) state += `, ${total - replicas} old replica(s) still terminating`;
  state += ` (${generationState})`;
  let ready = updated === replicas && available === replicas && total <= replicas;
  if (kind === 'StatefulSet') {
    const ready_ = n(status.readyReplicas);
    const revisionsMatch =
      w.spec?.updateStrategy?.type === 'OnDelete' ||
      status.updateRevision === undefined ||
      status.currentRevision === status.updateRevision;
    ready = ready && ready_ === replicas && revisionsMatch;
    if (!revisionsMatch) state += `, currentRevision ${String(status.currentRevision)} != updateRevision ${String(status.updateRevision)}`;
  }
  return { ready, state };
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
}

/** A CRD is usable once Established; NamesAccepted=False will never resolve by waiting. */
export function crdReadiness(obj: KubeObject | undefined): Readiness & { failed?: string } {
  if (!obj) return { ready: false, state: 'CustomResourceDefinition does not exist' };
  const conditions = (obj.status as { conditions?: Condition[] } | undefined)?.conditions ?? [];
  const established = conditions.find((c) => c.type === 'Established');
  const names = conditions.find((c) => c.type === 'NamesAccepted');
  if (names?.status === 'False')
    return {
      ready: false,
      state: `NamesAccepted=False: ${names.message ?? names.reason ?? ''}`,
      failed: names.message ?? names.reason ?? 'names not accepted',
    };
  if (established?.status === 'True') return { ready: true, state: 'Established' };
  return {
    ready: false,
    state: conditions.length
      ? conditions.map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`).join(', ')
      : 'no conditions yet',
  };
}

/** The first LoadBalancer ingress address (IP, else hostname) of a Service. */
export function loadBalancerAddress(obj: KubeObject | undefined): Readiness & { address?: string } {
  if (!obj) return { ready: false, state: 'Service does not exist' };
  const spec = obj.spec as { type?: string } | undefined;
  const ingress =
    (obj.status as { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } | undefined)?.loadBalancer?.ingress ?? [];
  const address = ingress.map((i) => i.ip ?? i.hostname).find((a): a is string => !!a);
  if (address) return { ready: true, state: `address ${address}`, address };
  if (spec?.type !== 'LoadBalancer')
    return {
      ready: false,
      state: `Service type is ${spec?.type ?? 'ClusterIP'}, not LoadBalancer, so it will never get an external address`,
    };
  return {
    ready: false,
    state:
      'type LoadBalancer but no ingress address assigned yet (is a load-balancer implementation such as MetalLB running and does its pool have free addresses?)',
  };
}
