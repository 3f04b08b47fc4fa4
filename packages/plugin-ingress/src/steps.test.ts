import { KubeError, type Topology } from '@meshspec/core/plugin';
import { kindPlugin } from '@meshspec/plugin-kind';
import { createTestStepContext, MemoryKube, testStepsContext, withEngineFacts } from '@meshspec/core/testing';
import { describe, expect, it } from 'vitest';
import { resolveExpose, type IngressSection } from './schema.js';
import { ingressSteps as ingressStepsRaw, ingressSummary, routeStep } from './steps.js';
import { ingressPlugin } from './index.js';

const ingressSteps = withEngineFacts(ingressPlugin, ingressStepsRaw, [kindPlugin]);

const stepsCtx = { stateDir: '/state', topologyDir: '/topo', contextOf: (c: string) => `kind-${c}` };
function topology(ingress: IngressSection): Topology {
  return {
    apiVersion: 'meshspec.dev/v1alpha1',
    kind: 'Topology',
    metadata: { name: 't' },
    clusters: { demo: { context: 'kind-demo' }, demo3: { context: 'kind-demo3' } },
    kindClusters: {},
    ingress,
  };
}
const frontend = { namespace: 'test', service: 'frontend', port: 8080 };

describe('ingress steps', () => {
  it('controller per cluster, a route per exposed service where it is exposed', () => {
    const section = { expose: [frontend, { namespace: 'test', service: 'podinfo', port: 9898, clusters: ['demo3'] }] };
    expect(ingressSteps(topology(section), section, stepsCtx).map((s) => s.id)).toEqual([
      'ingress:controller@demo',
      'ingress:route:test/frontend@demo',
      'ingress:controller@demo3',
      'ingress:route:test/frontend@demo3',
      'ingress:route:test/podinfo@demo3',
    ]);
    expect(ingressSteps(topology(section), undefined, stepsCtx)).toEqual([]);
  });

  it('controller installs the pinned chart with the injection annotation and waits for the rollout', async () => {
    const section = { expose: [frontend] };
    const t = topology(section);
    const [controller] = ingressSteps(t, section, stepsCtx);
    expect(controller!.after).toEqual(['kind:cluster@demo', 'linkerd:control-plane@demo', 'metallb:pools@demo']);
    expect(controller!.plan![0]).toContain(
      'helm upgrade --install ingress-nginx ingress-nginx --repo https://kubernetes.github.io/ingress-nginx --version 4.11.5 --namespace ingress-nginx --kube-context kind-demo',
    );
    const ctx = createTestStepContext(t, { step: { id: controller!.id, cluster: 'demo' } });
    // The fake helm installs nothing: put the Deployment the chart would create where the rollout wait looks.
    const kube = ctx.kube('demo') as MemoryKube;
    await kube.apply([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx' } },
    ]);
    await controller!.run(ctx);
    expect(ctx.helmCalls).toEqual([
      {
        release: 'ingress-nginx',
        chart: 'ingress-nginx',
        repo: 'https://kubernetes.github.io/ingress-nginx',
        version: '4.11.5',
        namespace: 'ingress-nginx',
        kubeContext: 'kind-demo',
        values: {
          controller: {
            ingressClass: 'nginx',
            ingressClassResource: { name: 'nginx' },
            podAnnotations: { 'linkerd.io/inject': 'enabled' },
          },
        },
      },
    ]);
  });

  it('route applies the Ingress and outputs its URL', async () => {
    const section = { expose: [frontend] };
    const t = topology(section);
    const route = ingressSteps(t, section, stepsCtx)[1]!;
    expect(route.needs).toEqual(['ingress:controller@demo']);
    expect(route.after).toEqual(['workloads:demo@demo']);
    const ctx = createTestStepContext(t, { step: { id: route.id, cluster: 'demo' } });
    expect(await route.run(ctx)).toEqual({
      host: 'frontend-kind-demo.127-0-0-1.sslip.io',
      url: 'http://frontend-kind-demo.127-0-0-1.sslip.io/',
    });
    const [ingress] = ctx.kubes.get('kind-demo')!.applied as any[];
    expect(ingress.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/service-upstream': 'true' });
    expect(await route.status!(ctx)).toBe(true);
  });

  it('route retries while the admission webhook is not answering yet, but not on other errors', async () => {
    const section = { expose: [frontend] };
    const t = topology(section);
    const route = routeStep(
      resolveExpose(frontend),
      'demo',
      section,
      testStepsContext(topology(section), ingressPlugin, stepsCtx, [kindPlugin]),
      1,
    );
    const ctx = createTestStepContext(t, { step: { id: route.id, cluster: 'demo' } });
    const kube = ctx.kube('demo') as MemoryKube;
    const realApply = kube.apply.bind(kube);
    let calls = 0;
    kube.apply = async (objects, options) => {
      if (++calls < 3)
        throw new KubeError('Internal error occurred: failed calling webhook "validate.nginx.ingress.kubernetes.io": connection refused');
      return realApply(objects, options);
    };
    await route.run(ctx);
    expect(calls).toBe(3);
    kube.apply = async () => {
      throw new KubeError('forbidden');
    };
    await expect(route.run(ctx)).rejects.toThrow('forbidden');
  });
});

describe('ingress summary', () => {
  it('prints URLs and /etc/hosts lines with the controller address, or pending', async () => {
    const section = { expose: [frontend] };
    const t = topology(section);
    const ctx = createTestStepContext(t);
    await ctx.kube('demo').apply([
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx' },
        status: { loadBalancer: { ingress: [{ ip: '172.18.0.61' }] } },
      },
    ]);
    expect(await ingressSummary(t, section, ctx)).toEqual([
      'Ingress URLs:',
      '  demo: http://frontend-kind-demo.127-0-0-1.sslip.io/ -> test/frontend:8080',
      '  demo3: http://frontend-kind-demo3.127-0-0-1.sslip.io/ -> test/frontend:8080',
      'Add to /etc/hosts:',
      '  172.18.0.61 frontend-kind-demo.127-0-0-1.sslip.io',
      '  # frontend-kind-demo3.127-0-0-1.sslip.io: address pending (Service ingress-nginx/ingress-nginx-controller has no LoadBalancer IP yet)',
    ]);
  });
});

describe('ingress steps with Envoy Gateway (Gateway API)', () => {
  const section: IngressSection = { controller: 'envoy-gateway', expose: [{ namespace: 'test', service: 'frontend', port: 8080 }] };
  const t: Topology = {
    apiVersion: 'meshspec.dev/v1alpha1',
    kind: 'Topology',
    metadata: { name: 't' },
    clusters: { east: { context: 'kind-east' }, west: { context: 'kind-west' } },
    kindClusters: {},
    ingress: section,
  };
  const sctx = { stateDir: '/s', topologyDir: '/t', contextOf: (c: string) => `kind-${c}` };

  it('per cluster: Envoy Gateway after the Gateway API CRDs and the Linkerd control plane, then the Gateway, then an HTTPRoute per service', () => {
    const steps = ingressSteps(t, section, sctx);
    expect(steps.map((s) => s.id)).toEqual([
      'ingress:controller@east',
      'ingress:gateway@east',
      'ingress:route:test/frontend@east',
      'ingress:controller@west',
      'ingress:gateway@west',
      'ingress:route:test/frontend@west',
    ]);
    const controller = steps[0]!;
    expect(controller.after).toEqual(['kind:cluster@east', 'linkerd:gateway-api@east', 'linkerd:control-plane@east', 'metallb:pools@east']);
    expect(controller.plan).toContain(
      'helm upgrade --install eg oci://docker.io/envoyproxy/gateway-helm --version v1.9.2 --namespace envoy-gateway-system --kube-context kind-east',
    );
    expect(steps[1]!.needs).toEqual(['ingress:controller@east']);
    expect(steps[2]!.needs).toEqual(['ingress:gateway@east']);
  });

  it('run: the meshed namespace first, then the chart, then the rollout wait; the route step applies the HTTPRoute and reports the URL', async () => {
    const [controller, gateway, route] = ingressSteps(t, section, sctx);
    const ctx = createTestStepContext(t, { step: { id: controller!.id, cluster: 'east' } });
    const kube = ctx.kube('east') as MemoryKube;
    // What the chart creates (helm is recorded here, so the test puts its Deployment in place).
    await kube.apply([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'envoy-gateway', namespace: 'envoy-gateway-system' } },
    ]);
    await controller!.run(ctx);
    expect(kube.applied[1]).toMatchObject({
      kind: 'Namespace',
      metadata: { name: 'envoy-gateway-system', annotations: { 'linkerd.io/inject': 'enabled' } },
    });
    expect(ctx.helmCalls[0]).toMatchObject({
      chart: 'oci://docker.io/envoyproxy/gateway-helm',
      version: 'v1.9.2',
      namespace: 'envoy-gateway-system',
    });
    await gateway!.run(ctx);
    expect(kube.applied.slice(2).map((o) => o.kind)).toEqual(['EnvoyProxy', 'GatewayClass', 'Gateway']);
    expect(await route!.run(ctx)).toEqual({
      host: 'frontend-kind-east.127-0-0-1.sslip.io',
      url: 'http://frontend-kind-east.127-0-0-1.sslip.io/',
    });
    expect(kube.applied.at(-1)).toMatchObject({ kind: 'HTTPRoute', metadata: { name: 'frontend-ingress', namespace: 'test' } });
  });
});
