// The ingress types are derived from its schema; they must be exactly what the hand-written types were.
import { describe, expectTypeOf, it } from 'vitest';
import type { ExposeSpec, IngressController, IngressOptions, IngressSection, ResolvedExposeSpec } from './schema.js';

interface WantExpose {
  namespace: string;
  service: string;
  port: number;
  path?: string;
  clusters?: string[];
}

describe('ingress section types (from ingressSchema)', () => {
  it('are the section as written', () => {
    expectTypeOf<IngressController>().toEqualTypeOf<'ingress-nginx' | 'envoy-gateway'>();
    expectTypeOf<ExposeSpec>().toEqualTypeOf<WantExpose>();
    expectTypeOf<IngressSection>().toEqualTypeOf<{
      controller?: 'ingress-nginx' | 'envoy-gateway';
      envoyGatewayVersion?: string;
      chartVersion?: string;
      className?: string;
      hostPattern?: string;
      inject?: boolean;
      expose?: WantExpose[];
    }>();
  });

  it('resolve every option, expose and each entry path', () => {
    expectTypeOf<ResolvedExposeSpec>().toEqualTypeOf<{
      namespace: string;
      service: string;
      port: number;
      path: string;
      clusters?: string[];
    }>();
    expectTypeOf<IngressOptions>().toEqualTypeOf<{
      controller: 'ingress-nginx' | 'envoy-gateway';
      envoyGatewayVersion: string;
      chartVersion: string;
      className: string;
      hostPattern: string;
      inject: boolean;
      expose: ResolvedExposeSpec[];
    }>();
  });
});
