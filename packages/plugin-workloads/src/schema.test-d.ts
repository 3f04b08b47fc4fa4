// The workloads types are derived from its schema; they must be exactly what the hand-written types were.
import { describe, expectTypeOf, it } from 'vitest';
import type { DemoOptions, DemoSection, ManifestEntry, WorkloadsSection } from './schema.js';

interface WantDemo {
  namespace?: string;
  podinfoImage?: string;
  nginxImage?: string;
  loadGenerators?: boolean;
  slowCookerImage?: string;
  clusterDns?: string;
  inject?: boolean;
}
interface WantManifest {
  name: string;
  path?: string;
  kustomize?: string;
  clusters?: string[];
  namespace?: string;
}

describe('workloads section types (from workloadsSchema)', () => {
  it('are the section as written; demo is settings or false', () => {
    expectTypeOf<DemoSection>().toEqualTypeOf<WantDemo>();
    expectTypeOf<ManifestEntry>().toEqualTypeOf<WantManifest>();
    expectTypeOf<WorkloadsSection>().toEqualTypeOf<{ demo?: WantDemo | false; manifests?: WantManifest[] }>();
  });

  it('resolve every demo option', () => {
    expectTypeOf<DemoOptions>().toEqualTypeOf<Required<WantDemo>>();
  });
});
