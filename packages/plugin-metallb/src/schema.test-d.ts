// The metallb types are derived from its schema; they must be exactly what the hand-written types were.
import { describe, expectTypeOf, it } from 'vitest';
import type { MetallbSection, ResolvedMetallbSection } from './schema.js';

describe('metallb section types (from metallbSectionSchema)', () => {
  it('are the section as written', () => {
    expectTypeOf<MetallbSection>().toEqualTypeOf<{
      chartVersion?: string;
      namespace?: string;
      poolSize?: number;
      pools?: Record<string, string>;
      dockerSubnet?: string;
    }>();
  });

  it('resolve every defaulted key; dockerSubnet stays optional (read from the kind network without it)', () => {
    expectTypeOf<ResolvedMetallbSection>().toEqualTypeOf<{
      chartVersion: string;
      namespace: string;
      poolSize: number;
      pools: Record<string, string>;
      dockerSubnet?: string;
    }>();
  });
});
