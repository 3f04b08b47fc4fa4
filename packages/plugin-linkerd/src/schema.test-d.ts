// The linkerd types are derived from its schema; they must be exactly what the hand-written types were.
import { describe, expectTypeOf, it } from 'vitest';
import type { ExportEntry, GatewayApiSection, LinkerdSection, LinkPair, ResolvedLinkerdSection } from './schema.js';

type WantLinkPair = { from: string; to: string };
type WantExport = { namespace: string; service: string };
type WantGatewayApi = { install?: boolean; version?: string; manifest?: string };

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
      multicluster?: { enabled?: boolean; gateway?: boolean };
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
      multicluster: { enabled: boolean; gateway: boolean };
      installGatewayApi: boolean;
      gatewayApi: { install: boolean; version: string; manifest?: string };
      links: 'full-mesh' | 'none' | WantLinkPair[];
      clusterNetworks: string[];
      export: WantExport[];
    }>();
  });
});
