// Pure rendering of a cluster's MetalLB address pool objects.
import { formatRange, type Ipv4Range, type KubeObject } from '@meshspec/core/plugin';
import { POOL_NAME } from './schema.js';

/** The IPAddressPool holding the cluster's range and the L2Advertisement announcing exactly that pool (ARP on the docker bridge). */
export function renderPoolObjects(range: Ipv4Range, namespace: string): KubeObject[] {
  return [
    {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: POOL_NAME, namespace },
      spec: { addresses: [formatRange(range)] },
    },
    {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'L2Advertisement',
      metadata: { name: POOL_NAME, namespace },
      spec: { ipAddressPools: [POOL_NAME] },
    },
  ];
}
