// What plugin-linkerd publishes to smi, ingress and workloads: the one source of these facts.
import type { Topology } from '@meshspec/core/plugin';
import { factsOf } from '@meshspec/core/testing';
import { describe, expect, it } from 'vitest';
import { linkerdPlugin } from './plugin.js';
import type { LinkerdSection } from './schema.js';

const topology = (linkerd: LinkerdSection | undefined): Topology => ({
  apiVersion: 'meshspec.dev/v1alpha1',
  kind: 'Topology',
  metadata: { name: 't' },
  clusters: { east: {}, west: {} },
  ...(linkerd ? { linkerd } : {}),
});
const facts = (linkerd: LinkerdSection | undefined) => factsOf(linkerdPlugin, topology(linkerd));

describe('linkerd facts', () => {
  it('version and capabilities come from Linkerd’s own table (the default version when none is written)', () => {
    expect(facts({ version: 'stable-2.13.3' }).capabilities).toMatchObject({
      smiRemoved: false,
      needsLinkerdSmi023: true,
      installsGatewayApiCrds: true,
    });
    expect(facts({ version: 'edge-22.12.1' }).capabilities?.needsLinkerdSmi023).toBe(false);
    expect(facts({}).version?.minor).toBe(20);
    expect(facts({}).capabilities).toMatchObject({ smiRemoved: true, installsGatewayApiCrds: false });
    expect(facts(undefined)).toMatchObject({ used: false, version: undefined, capabilities: undefined, cli: 'linkerd' });
  });

  it('links are resolved: full-mesh by default, none without the multicluster extension', () => {
    expect(facts({}).links).toEqual([
      { from: 'east', to: 'west', mode: 'gateway' },
      { from: 'west', to: 'east', mode: 'gateway' },
    ]);
    expect(facts({ multicluster: { enabled: false }, links: 'full-mesh' }).links).toEqual([]);
  });

  it('names mirrors and knows where one exists', () => {
    const f = facts({ export: [{ namespace: 'test', service: 'podinfo' }] });
    expect(f.mirrorName('podinfo', 'west')).toBe('podinfo-west');
    expect(f.mirrorIn('east', 'test', 'podinfo', 'west')).toBe('podinfo-west');
    expect(f.mirrorIn('east', 'test', 'frontend', 'west')).toBeUndefined();
  });

  it('tells a multicluster gateway identity from a workload one', () => {
    const f = facts({});
    expect(f.isGatewayIdentity('linkerd-gateway.linkerd-multicluster.serviceaccount.identity.linkerd.cluster.local')).toBe(true);
    expect(f.isGatewayIdentity('default.test.serviceaccount.identity.linkerd.cluster.local')).toBe(false);
  });
});
