import { describe, expect, it } from 'vitest';
import { addressesOf, assignAddresses, type ServiceView } from './lb-addresses.js';

const svc = (namespace: string, name: string, type: string | undefined, addresses: string[] = []): ServiceView => ({
  namespace,
  name,
  type,
  addresses,
});
const pool = addressesOf('198.51.100.1-198.51.100.3');

describe('simulated load-balancer controller', () => {
  it('reads a range as its addresses, and refuses anything else', () => {
    expect(pool).toEqual(['198.51.100.1', '198.51.100.2', '198.51.100.3']);
    expect(() => addressesOf('198.51.100.0/24')).toThrow('--range 198.51.100.0/24 is not a range a.b.c.d-a.b.c.e');
  });

  it.each([
    {
      name: 'pending LoadBalancers get the lowest free address, in namespace/name order',
      services: [svc('b', 'x', 'LoadBalancer'), svc('a', 'y', 'LoadBalancer')],
      expected: [
        ['a', 'y', '198.51.100.1'],
        ['b', 'x', '198.51.100.2'],
      ],
    },
    {
      name: 'addresses already held are skipped, held services untouched',
      services: [svc('a', 'held', 'LoadBalancer', ['198.51.100.1']), svc('a', 'new', 'LoadBalancer')],
      expected: [['a', 'new', '198.51.100.2']],
    },
    {
      name: 'other service types are ignored',
      services: [svc('a', 'c', 'ClusterIP'), svc('a', 'n', 'NodePort'), svc('a', 'u', undefined)],
      expected: [],
    },
    {
      name: 'when the pool runs out the rest stay pending, as with MetalLB',
      services: ['p', 'q', 'r', 's'].map((n) => svc('a', n, 'LoadBalancer')),
      expected: [
        ['a', 'p', '198.51.100.1'],
        ['a', 'q', '198.51.100.2'],
        ['a', 'r', '198.51.100.3'],
      ],
    },
  ])('$name', ({ services, expected }) => {
    expect(assignAddresses(services, pool).map((a) => [a.namespace, a.name, a.ip])).toEqual(expected);
  });
});
