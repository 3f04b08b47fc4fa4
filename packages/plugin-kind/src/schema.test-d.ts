// The kind types are derived from its schemas (section and cluster keys); they must be exactly what the
// hand-written types were.
import type { ClusterSpec } from '@meshspec/core/plugin';
import { describe, expectTypeOf, it } from 'vitest';
import type { KindClusterSpec, KindSection, ResolvedKindSection } from './schema.js';

describe('kind section types (from kindSectionSchema)', () => {
  it('are the section as written', () => {
    expectTypeOf<Omit<KindSection, 'registryMirror'>>().toEqualTypeOf<{
      nodeImage?: string;
      workers?: number;
      network?: string;
      apiServerPort?: number;
    }>();
    expectTypeOf<NonNullable<KindSection['registryMirror']>['enabled']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<NonNullable<KindSection['registryMirror']>['image']>().toEqualTypeOf<string | undefined>();
  });

  it('resolve nodeImage, workers and network; apiServerPort has no default (kind picks a port)', () => {
    expectTypeOf<Omit<ResolvedKindSection, 'registryMirror'>>().toEqualTypeOf<{
      nodeImage: string;
      workers: number;
      network: string;
      apiServerPort?: number;
    }>();
    // The mirror object has no default of its own (ajv fills nested defaults only inside a present object).
    expectTypeOf<NonNullable<ResolvedKindSection['registryMirror']>['enabled']>().toEqualTypeOf<boolean>();
  });
});

describe('cluster keys (from core CORE_CLUSTER_PROPERTIES and kindClusterSchema)', () => {
  it('core knows context, and any key a plugin adds', () => {
    expectTypeOf<ClusterSpec['context']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ClusterSpec['anything']>().toEqualTypeOf<unknown>();
  });

  it('kind adds its typed keys', () => {
    expectTypeOf<KindClusterSpec['podSubnet']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<KindClusterSpec['serviceSubnet']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<KindClusterSpec['workers']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<KindClusterSpec['nodeImage']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<KindClusterSpec['apiServerAddress']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<KindClusterSpec['apiServerPort']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<KindClusterSpec['context']>().toEqualTypeOf<string | undefined>();
  });
});
