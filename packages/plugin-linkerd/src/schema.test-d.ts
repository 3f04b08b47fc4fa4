// The linkerd types are derived from its schema; they must be exactly what the hand-written types were
// (plus the link and export modes).
import { describe, expectTypeOf, it } from 'vitest';
import type { ExportEntry, GatewayApiSection, LinkerdSection, LinkPair, ResolvedLinkerdSection } from './schema.js';

interface WantLinkPair {
  from: string;
  to: string;
  mode?: 'gateway' | 'flat';
}
interface WantExport {
  namespace: string;
  service: string;
  mode?: 'mirror' | 'remote-discovery' | 'federated';
}
interface WantGatewayApi {
  install?: boolean;
  version?: string;
  manifest?: string;
}

describe('linkerd section types (from linkerdSectionSchema)', () => {
  it('are the section as written', () => {
    expectTypeOf<LinkPair>().toEqualTypeOf<WantLinkPair>();
    expectTypeOf<ExportEntry>().toEqualTypeOf<WantExport>();
    expectTypeOf<GatewayApiSection>().toEqualTypeOf<WantGatewayApi>();
    expectTypeOf<LinkerdSection>().toEqualTypeOf<{
      version?: string;
      cliPath?: string;
      trustAnchorValidity?: string;
      issuerValidity?: string;
      issuerRenewBefore?: string;
      viz?: boolean;
      multicluster?: { enabled?: boolean; gateway?: boolean; linkMode?: 'gateway' | 'flat'; podNetworksRoutable?: boolean };
      installGatewayApi?: boolean;
      gatewayApi?: WantGatewayApi;
      links?: 'full-mesh' | 'none' | WantLinkPair[];
      clusterNetworks?: string[];
      export?: WantExport[];
    }>();
  });

  it('resolve every defaulted key, nested ones too; gatewayApi.manifest stays optional', () => {
    expectTypeOf<ResolvedLinkerdSection>().toEqualTypeOf<{
      version: string;
      cliPath: string;
      trustAnchorValidity: string;
      issuerValidity: string;
      issuerRenewBefore: string;
      viz: boolean;
      // linkMode has no schema default: it follows `gateway` (see link-modes.ts).
      multicluster: { enabled: boolean; gateway: boolean; linkMode?: 'gateway' | 'flat'; podNetworksRoutable?: boolean };
      installGatewayApi: boolean;
      gatewayApi: { install: boolean; version: string; manifest?: string };
      links: 'full-mesh' | 'none' | WantLinkPair[];
      clusterNetworks: string[];
      export: WantExport[];
    }>();
  });
});
