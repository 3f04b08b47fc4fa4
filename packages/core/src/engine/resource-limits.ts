// How many steps of each resource kind may run at once. Steps declare what they mostly wait on
// (`Step.resource`); the limits keep the expensive kinds apart (every `kind create` starts a set of
// node containers: kind's issues show creates timing out beyond 2–4 at once) while leaving cheap API
// calls almost unlimited. Defaults come from the machine, so nobody has to tune them.
import { availableParallelism, freemem } from 'node:os';

/** Steps of one resource running at once; `other` covers steps that declare no resource. */
export type ResourceLimits = Readonly<Record<string, number>>;

/** The resource of a step that declares none. */
export const OTHER_RESOURCE = 'other';

export interface MachineInfo {
  cpus: number;
  freeMemoryBytes: number;
}

export function machineInfo(): MachineInfo {
  return { cpus: availableParallelism(), freeMemoryBytes: freemem() };
}

const GiB = 2 ** 30;

/**
 * - `cluster-create`: a kind cluster wants about 2 GiB and a CPU while it boots; never more than 4 at
 *   once (kind's own reports of timeouts), never fewer than 1.
 * - `helm`, `linkerd`, `kubectl`, `docker`: steps that run a CLI and then mostly wait on a cluster (rollouts): a
 *   process and a burst of CPU each, so four per CPU, at least 8, at most 16. Fewer starves real plans: on
 *   the time-to-mesh model, 4 Linkerd steps at once keep three clusters at 1.24× their critical path
 *   (their control planes, viz, multicluster and smi queue up), 8 reach it.
 * - `api`: in-process requests to an API server, barely limited.
 * - `other`: steps that say nothing, as many as the old flat default.
 */
export function defaultResourceLimits(machine: MachineInfo = machineInfo()): ResourceLimits {
  const cpus = Math.max(1, Math.floor(machine.cpus));
  const freeGiB = machine.freeMemoryBytes / GiB;
  const tools = Math.min(16, Math.max(8, cpus * 4));
  return {
    'cluster-create': Math.max(1, Math.min(4, Math.floor(freeGiB / 2), cpus)),
    helm: tools,
    linkerd: tools,
    kubectl: tools,
    docker: tools,
    api: 64,
    [OTHER_RESOURCE]: 4,
  };
}

/** Defaults for this machine, with `overrides` (config, then `--parallel`) on top. */
export function resolveResourceLimits(...overrides: (ResourceLimits | undefined)[]): ResourceLimits {
  return Object.assign({}, defaultResourceLimits(), ...overrides.filter((o) => o !== undefined)) as ResourceLimits;
}

/** Limit for a resource: its own, else `other`'s; a map without either leaves it unlimited. */
export function limitOf(limits: ResourceLimits, resource: string): number {
  return limits[resource] ?? limits[OTHER_RESOURCE] ?? Number.POSITIVE_INFINITY;
}

const RESOURCE_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * `cluster-create=2,helm=4` (the `--parallel` syntax) → limits. Every problem at once, in one message;
 * throws an Error whose message the CLI shows as a usage error.
 */
export function parseResourceLimits(text: string): ResourceLimits {
  const limits: Record<string, number> = {};
  const problems: string[] = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const [name = '', value, ...extra] = entry.split('=').map((s) => s.trim());
    const problem = checkLimit(name, value === undefined || extra.length > 0 ? undefined : value);
    if (problem) problems.push(`'${entry}': ${problem}`);
    else limits[name] = Number(value);
  }
  if (problems.length === 0 && Object.keys(limits).length === 0)
    problems.push(`'${text}': expected <resource>=<n>, e.g. cluster-create=2,helm=4`);
  if (problems.length > 0) throw new Error(problems.join('; '));
  return limits;
}

/** What is wrong with one `name=value` limit (config or CLI), or undefined. */
export function checkLimit(name: string, value: unknown): string | undefined {
  if (!RESOURCE_NAME.test(name))
    return `resource names are lower-case words joined by '-', e.g. cluster-create, helm, linkerd, kubectl, api`;
  const n = typeof value === 'string' && value !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) return `the limit must be a whole number >= 1, e.g. ${name}=2`;
  return undefined;
}
