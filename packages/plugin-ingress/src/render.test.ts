import { describe, expect, it } from 'vitest';
import { controllerValues, hostFor, renderIngress } from './render.js';
import { DEFAULT_HOST_PATTERN, ingressOptions } from './schema.js';

describe('ingress renderers', () => {
  it('Ingress matches its golden file', async () => {
    const host = hostFor(DEFAULT_HOST_PATTERN, { service: 'frontend', namespace: 'test', cluster: 'demo', context: 'kind-demo' });
    expect(host).toBe('frontend-kind-demo.127-0-0-1.sslip.io');
    const ingress = renderIngress({ namespace: 'test', service: 'frontend', port: 8080 }, host, { className: 'nginx' });
    await expect(JSON.stringify(ingress, null, 2) + '\n').toMatchFileSnapshot('./__golden__/ingress-frontend.json');
  });

  it.each([
    ['{service}.{cluster}.example.com', 'web.east.example.com'],
    ['{namespace}-{service}-{context}.local', 'shop-web-kind-east.local'],
    ['Static.Example.com', 'static.example.com'],
  ])('host pattern %s → %s', (pattern, expected) => {
    expect(hostFor(pattern, { service: 'web', namespace: 'shop', cluster: 'east', context: 'kind-east' })).toBe(expected);
  });

  it('meshes the controller only when inject is on', () => {
    expect(controllerValues(ingressOptions())).toEqual({ controller: { ingressClass: 'nginx', ingressClassResource: { name: 'nginx' }, podAnnotations: { 'linkerd.io/inject': 'enabled' } } });
    expect((controllerValues(ingressOptions({ inject: false })) as any).controller.podAnnotations).toBeUndefined();
  });

  it('routes a custom path with Prefix matching', () => {
    const ingress = renderIngress({ namespace: 'n', service: 's', port: 80, path: '/api' }, 'h', { className: 'internal' }) as any;
    expect(ingress.spec.ingressClassName).toBe('internal');
    expect(ingress.spec.rules[0].http.paths[0]).toEqual({ path: '/api', pathType: 'Prefix', backend: { service: { name: 's', port: { number: 80 } } } });
  });
});
