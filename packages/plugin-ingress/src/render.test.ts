import { describe, expect, it } from 'vitest';
import { controllerValues, envoyGatewayNamespace, hostFor, renderGatewayObjects, renderHttpRoute, renderIngress } from './render.js';
import { DEFAULT_HOST_PATTERN, ingressOptions, resolveExpose } from './schema.js';

describe('ingress renderers', () => {
  it('Ingress matches its golden file', async () => {
    const host = hostFor(DEFAULT_HOST_PATTERN, { service: 'frontend', namespace: 'test', cluster: 'demo', context: 'kind-demo' });
    expect(host).toBe('frontend-kind-demo.127-0-0-1.sslip.io');
    const ingress = renderIngress(resolveExpose({ namespace: 'test', service: 'frontend', port: 8080 }), host, { className: 'nginx' });
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
    expect(controllerValues(ingressOptions())).toEqual({
      controller: { ingressClass: 'nginx', ingressClassResource: { name: 'nginx' }, podAnnotations: { 'linkerd.io/inject': 'enabled' } },
    });
    expect((controllerValues(ingressOptions({ inject: false })) as any).controller.podAnnotations).toBeUndefined();
  });

  it('routes a custom path with Prefix matching', () => {
    const ingress = renderIngress({ namespace: 'n', service: 's', port: 80, path: '/api' }, 'h', { className: 'internal' }) as any;
    expect(ingress.spec.ingressClassName).toBe('internal');
    expect(ingress.spec.rules[0].http.paths[0]).toEqual({
      path: '/api',
      pathType: 'Prefix',
      backend: { service: { name: 's', port: { number: 80 } } },
    });
  });
});

describe('Envoy Gateway (Gateway API) renderers', () => {
  it('namespace, EnvoyProxy, GatewayClass and Gateway match their golden file', async () => {
    const objects = [envoyGatewayNamespace(ingressOptions()), ...renderGatewayObjects()];
    await expect(JSON.stringify(objects, null, 2) + '\n').toMatchFileSnapshot('./__golden__/envoy-gateway-objects.json');
  });

  it('the HTTPRoute for the demo frontend matches its golden file', async () => {
    const host = hostFor(DEFAULT_HOST_PATTERN, { service: 'frontend', namespace: 'test', cluster: 'east', context: 'kind-east' });
    await expect(
      JSON.stringify(renderHttpRoute(resolveExpose({ namespace: 'test', service: 'frontend', port: 8080 }), host), null, 2) + '\n',
    ).toMatchFileSnapshot('./__golden__/httproute-frontend.json');
  });

  it('routes to Services, not pod IPs, so Linkerd balances and splits', () => {
    expect(renderGatewayObjects().find((o) => o.kind === 'EnvoyProxy')!['spec']).toEqual({ routingType: 'Service' });
  });

  it('meshes the namespace Envoy Gateway creates its proxies in only when inject is on', () => {
    expect(envoyGatewayNamespace(ingressOptions()).metadata.annotations).toEqual({ 'linkerd.io/inject': 'enabled' });
    expect(envoyGatewayNamespace(ingressOptions({ inject: false })).metadata.annotations).toBeUndefined();
  });

  it('a custom path becomes a PathPrefix match', () => {
    const route = renderHttpRoute({ namespace: 'n', service: 's', port: 80, path: '/api' }, 'h') as any;
    expect(route.metadata.name).toBe('s-ingress');
    expect(route.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/api' } }]);
  });
});
