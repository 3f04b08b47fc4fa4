import { type Diagnostic, type Topology, type ValidateContext } from '@meshspec/core/plugin';
import { factsAccess, factsOf } from '@meshspec/core/testing';
import { linkerdPlugin } from './index.js';
import { describe, expect, it } from 'vitest';
import type { LinkerdSection } from './schema.js';
import { validateLinkerd } from './validate.js';

const ctx: Omit<ValidateContext, 'facts' | 'clusters'> = {
  source: { file: 't.yaml', text: '', positionOf: () => ({ line: 1, column: 1 }) },
  diagnostic: (path, message, fix): Diagnostic => ({
    file: 't.yaml',
    line: 1,
    column: 1,
    path: path.join('.'),
    message,
    ...(fix ? { fix } : {}),
    source: 'linkerd',
  }),
};
const topology = (linkerd: LinkerdSection): Topology => ({
  apiVersion: 'meshspec.dev/v1alpha1',
  kind: 'Topology',
  metadata: { name: 't' },
  clusters: { demo: {}, demo3: {} },
  linkerd,
});
/** The engine's ctx.facts for `t`, checked against linkerd's declared dependencies. */
const ctxFor = (t: Topology): ValidateContext => ({ ...ctx, ...factsAccess(t, linkerdPlugin) });
const check = (section: LinkerdSection) =>
  validateLinkerd(topology(section), section, ctxFor(topology(section))).map((d) => `${d.path}: ${d.message}`);

describe('validateLinkerd', () => {
  it('accepts the seed topology', () => {
    expect(check({ version: 'stable-2.13.3', links: 'full-mesh', export: [{ namespace: 'test', service: 'podinfo' }] })).toEqual([]);
    expect(validateLinkerd(topology({}), undefined, ctxFor(topology({})))).toEqual([]);
  });

  it('positions bad links, self-links and duplicates', () => {
    expect(
      check({
        links: [
          { from: 'demo', to: 'demo9' },
          { from: 'demo', to: 'demo' },
          { from: 'demo', to: 'demo3' },
          { from: 'demo', to: 'demo3' },
        ],
      }),
    ).toEqual([
      'linkerd.links.0.to: link to "demo9" is not a cluster of this topology',
      'linkerd.links.1: link from "demo" to itself',
      'linkerd.links.3: duplicate link demo -> demo3',
    ]);
    const [d] = validateLinkerd(topology({}), { links: [{ from: 'x', to: 'demo' }] }, ctxFor(topology({})));
    expect(d!.fix).toBe('use one of: demo, demo3');
  });

  it('checks CIDRs, exports, version names and the issuer renewal window', () => {
    expect(
      check({
        clusterNetworks: ['10.250.0.0/16', 'fd00::/8', '10.97.0.0/12', 'nope'],
        export: [
          { namespace: 'a', service: 'b' },
          { namespace: 'a', service: 'b' },
        ],
        version: 'edge-25.13.1',
        issuerValidity: '24h',
        issuerRenewBefore: '720h',
      }),
    ).toEqual([
      'linkerd.version: "edge-25.13.1" is not a Linkerd release name',
      'linkerd.issuerRenewBefore: issuerRenewBefore (720h) is not shorter than issuerValidity (24h): the issuer would be re-issued on every apply',
      'linkerd.clusterNetworks.2: 10.97.0.0/12 has host bits set',
      'linkerd.clusterNetworks.3: "nope" is not a CIDR',
      'linkerd.export.1: a/b is exported twice',
    ]);
  });

  it('rejects an explicit link list when the multicluster extension is off', () => {
    expect(check({ multicluster: { enabled: false }, links: [{ from: 'demo', to: 'demo3' }] })).toEqual([
      'linkerd.links: links need the multicluster extension, which multicluster.enabled turns off',
    ]);
    expect(check({ multicluster: { enabled: false } })).toEqual([]);
    // full-mesh is also the schema default (filled in before validate), so it must not be an error here
    expect(check({ multicluster: { enabled: false }, links: 'full-mesh' })).toEqual([]);
  });

  it('warns (does not reject) at each export when the multicluster extension is off: nothing will mirror it', () => {
    const s: LinkerdSection = { multicluster: { enabled: false }, export: [{ namespace: 'test', service: 'podinfo' }] };
    const found = validateLinkerd(topology(s), s, ctxFor(topology(s)));
    expect(found.map((d) => `${d.severity ?? 'error'} ${d.path}: ${d.message}`)).toEqual([
      'warning linkerd.export.0: test/podinfo is exported, but multicluster.enabled is false: no cluster links to another, so no cluster will mirror it',
    ]);
    expect(check({ export: [{ namespace: 'test', service: 'podinfo' }] })).toEqual([]);
  });

  it('has no links when the multicluster extension is off, whatever links says', () => {
    const off = topology({ multicluster: { enabled: false }, links: 'full-mesh' });
    expect(factsOf(linkerdPlugin, off).links).toEqual([]);
    expect(factsOf(linkerdPlugin, off).multicluster).toBe(false);
  });
});

describe('validateLinkerd: Gateway API', () => {
  it('warns when installGatewayApi makes Linkerd bundle its experimental CRDs instead of the pinned standard ones', () => {
    const found = validateLinkerd(
      topology({ version: 'edge-26.6.3', installGatewayApi: true }),
      { version: 'edge-26.6.3', installGatewayApi: true },
      ctxFor(topology({ version: 'edge-26.6.3', installGatewayApi: true })),
    );
    expect(found.map((d) => `${d.severity ?? 'error'} ${d.path}: ${d.message}`)).toEqual([
      'warning linkerd.installGatewayApi: installGatewayApi: true has linkerd install --crds bundle its experimental-channel Gateway API CRDs; meshspec then skips the standard-channel v1.2.1 step (gatewayApi)',
    ]);
  });

  it('rejects a Gateway API version the Linkerd release does not support', () => {
    expect(check({ version: 'edge-26.6.3', gatewayApi: { version: 'v1.0.0' } })).toEqual([
      'linkerd.gatewayApi.version: Linkerd 2.20 supports Gateway API v1.2.1-v1.5.1, not v1.0.0',
    ]);
    expect(check({ version: 'version-2.18', gatewayApi: { version: 'v1.5.1' } })).toEqual([
      'linkerd.gatewayApi.version: Linkerd 2.18 supports Gateway API v1.1.1-v1.2.1, not v1.5.1',
    ]);
    expect(check({ version: 'edge-26.6.3', gatewayApi: { version: 'v1.5.1' } })).toEqual([]);
    // Before 2.18 Linkerd installs its own: the setting is not used, so not judged.
    expect(check({ version: 'stable-2.13.3', gatewayApi: { version: 'v1.5.1' } })).toEqual([]);
  });
});
