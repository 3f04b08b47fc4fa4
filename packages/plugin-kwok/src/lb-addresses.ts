// What the simulated load-balancer controller decides, apart from the controller itself: the plugin's
// index re-exports these, and importing lb-controller.ts for them would load node:https (and undici's
// TLS stack, ~20 ms) into every `meshspec` start (issue 11, start-up).
export const SIMULATED_LB_LABEL = 'meshspec.dev/simulated-load-balancer';

export interface ServiceView {
  namespace: string;
  name: string;
  type: string | undefined;
  /** Addresses already in its status. */
  addresses: string[];
}

const toInt = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
const toIp = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');

/** `a.b.c.d-a.b.c.e` -> every address of it, in order. */
export function addressesOf(range: string): string[] {
  const m = /^(\d+\.\d+\.\d+\.\d+)-(\d+\.\d+\.\d+\.\d+)$/.exec(range.trim());
  if (!m) throw new Error(`--range ${range} is not a range a.b.c.d-a.b.c.e`);
  const [start, end] = [toInt(m[1]!), toInt(m[2]!)];
  return Array.from({ length: Math.max(0, end - start + 1) }, (_, i) => toIp(start + i));
}

/**
 * Which LoadBalancer Services get which address now: pending ones (no address yet), in namespace/name
 * order, each the lowest address of `pool` no Service holds. When the pool runs out the rest stay
 * pending, as they would with MetalLB.
 */
export function assignAddresses(services: ServiceView[], pool: string[]): { namespace: string; name: string; ip: string }[] {
  const used = new Set(services.flatMap((s) => s.addresses));
  const free = pool.filter((ip) => !used.has(ip));
  const pending = services
    .filter((s) => s.type === 'LoadBalancer' && s.addresses.length === 0)
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  return pending.flatMap((s) => {
    const ip = free.shift();
    return ip ? [{ namespace: s.namespace, name: s.name, ip }] : [];
  });
}
