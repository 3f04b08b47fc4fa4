// The smi types are derived from its schema; they must be exactly what the hand-written types were.
import { describe, expectTypeOf, it } from 'vitest';
import type { BackendSpec, ResolvedSmiSection, ResolvedSplitSpec, SmiSection, SplitSpec } from './schema.js';

interface WantBackend {
  cluster?: string;
  service?: string;
  weight: number;
}
interface WantSplit {
  namespace: string;
  service: string;
  port?: number;
  clusters?: string[];
  backends?: WantBackend[];
}

describe('smi section types (from smiSchema)', () => {
  it('are the section as written', () => {
    expectTypeOf<BackendSpec>().toEqualTypeOf<WantBackend>();
    expectTypeOf<SplitSpec>().toEqualTypeOf<WantSplit>();
    expectTypeOf<SmiSection>().toEqualTypeOf<{ extensionVersion?: string; splits?: WantSplit[] }>();
  });

  it('resolve extensionVersion, splits and each split port from the schema defaults', () => {
    expectTypeOf<ResolvedSmiSection>().toEqualTypeOf<{ extensionVersion: string; splits: ResolvedSplitSpec[] }>();
    expectTypeOf<ResolvedSplitSpec>().toEqualTypeOf<{
      namespace: string;
      service: string;
      port: number;
      clusters?: string[];
      backends?: WantBackend[];
    }>();
  });
});
