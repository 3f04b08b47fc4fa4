// Generic IPv4 address helpers (CIDRs, ranges, allocation). IPv6 is recognised so it can be skipped.
export {
  parseIpv4,
  formatIpv4,
  parseCidr,
  parseIpv4Cidr,
  networkOf,
  hasHostBits,
  formatCidr,
  blockSize,
  cidrToRange,
  rangeToCidr,
  parseIpv4Range,
  formatRange,
  rangeSize,
  overlaps,
  contains,
  type Ipv4Range,
  type Ipv4Cidr,
  type Ipv6Cidr,
  type Cidr,
} from './ipv4.js';
export { allocateSubnets, findFreeSubnet, carveRanges, type AllocateSubnetsOptions, type CarveRangesOptions } from './allocate.js';
export {
  assignClusterSubnets,
  clusterSubnetDiagnostics,
  explicitSubnets,
  SUBNET_POOL,
  DEFAULT_POD_SUBNET_START,
  DEFAULT_SERVICE_SUBNET_START,
  DEFAULT_SUBNET_PREFIX,
  type ClusterSubnetSpec,
} from './cluster-subnets.js';
