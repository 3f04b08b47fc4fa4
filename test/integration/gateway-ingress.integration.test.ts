// The Gateway API ingress objects meshspec renders, against the real Gateway API v1.2.1 standard CRDs
// (../shared/conformance) on a real kube-apiserver: the CRD schemas (OpenAPI + CEL rules) must accept
// every GatewayClass, Gateway and HTTPRoute, for both clusters of the modern example, plus the example's
// split HTTPRoutes. (The EnvoyProxy is Envoy Gateway's own CRD, not in the recorded data: not applied here.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createKubeClientFactory, factsOf, type KubeClient, type KubeObject, type Topology } from '@meshspec/core';
import { parseManifests } from '@meshspec/core/testing';
import {
  envoyGatewayNamespace,
  gatewayApiObjects,
  hostFor,
  ingressOptions,
  renderGatewayObjects,
  renderHttpRoute,
  type IngressSection,
} from '@meshspec/plugin-ingress';
import { linkerdPlugin } from '@meshspec/plugin-linkerd';
import { renderSplitFor, resolveSmi, type SmiSection } from '@meshspec/plugin-smi';
import { CONFORMANCE, readConformanceText } from '../conformance/index.js';

const kubeconfig = inject('kubeconfig');
const contexts = inject('contexts');
const MODERN = join(import.meta.dirname, '../../examples/modern-linkerd/topology.yaml');

let kube: KubeClient;
let modern: Topology;

beforeAll(async () => {
  kube = createKubeClientFactory({ kubeconfigPath: kubeconfig }).forContext(contexts[0]!);
  await kube.apply(readConformanceText(CONFORMANCE.gatewayApiCrds('v1.2.1')));
  modern = parseManifests(readFileSync(MODERN, 'utf8'))[0] as unknown as Topology;
});

const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

describe('Gateway API ingress objects integration (real kube-apiserver, real Gateway API v1.2.1 CRDs)', () => {
  it('GatewayClass and Gateway as rendered are accepted by the real CRDs and read back unchanged', async () => {
    const objects = gatewayApiObjects(renderGatewayObjects());
    expect(objects.map((o) => o.kind)).toEqual(['GatewayClass', 'Gateway']);
    await kube.apply([envoyGatewayNamespace(ingressOptions({ controller: 'envoy-gateway' }))]);
    await kube.apply(objects);
    const gateway = await kube.get('gateway.networking.k8s.io/v1', 'Gateway', 'meshspec', 'envoy-gateway-system');
    expect(gateway?.['spec']).toMatchObject({
      gatewayClassName: 'meshspec-envoy',
      listeners: [{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } }],
    });
    // The API server adds no defaults to what meshspec renders, so the steps' status() (live spec == rendered spec) holds.
    for (const o of objects)
      expect((await kube.get(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace))?.['spec'], o.kind).toEqual(o['spec']);
    const gatewayClass = await kube.get('gateway.networking.k8s.io/v1', 'GatewayClass', 'meshspec-envoy');
    expect(gatewayClass?.['spec']).toMatchObject({
      controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
      parametersRef: { group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name: 'meshspec', namespace: 'envoy-gateway-system' },
    });
  });

  it("the modern example's HTTPRoute per exposed service, in both clusters, is accepted and attached to the Gateway", async () => {
    const section = modern['ingress'] as IngressSection;
    expect(section.controller).toBe('envoy-gateway');
    for (const cluster of Object.keys(modern.clusters)) {
      for (const expose of ingressOptions(section).expose) {
        await kube.apply([namespace(expose.namespace)]);
        const host = hostFor(ingressOptions(section).hostPattern, { ...expose, cluster, context: `kind-${cluster}` });
        const route = renderHttpRoute(expose, host);
        // Both clusters' routes share a name; apply, read back, then the next cluster's replaces it.
        await kube.apply([route]);
        const live = await kube.get('gateway.networking.k8s.io/v1', 'HTTPRoute', route.metadata.name, expose.namespace);
        expect(live?.['spec']).toMatchObject({
          hostnames: [host],
          parentRefs: [{ kind: 'Gateway', name: 'meshspec', namespace: 'envoy-gateway-system', sectionName: 'http' }],
          rules: [{ backendRefs: [{ kind: 'Service', name: expose.service, port: expose.port, weight: 1 }] }],
        });
        expect(live?.['spec'], 'no server-side defaults beyond what is rendered').toEqual(route['spec']);
      }
    }
  });

  it("the modern example's split HTTPRoutes (parentRef: the Service) are accepted by the same real CRDs", async () => {
    const split = resolveSmi(modern['smi'] as SmiSection).splits[0]!;
    await kube.apply([namespace(split.namespace)]);
    for (const cluster of Object.keys(modern.clusters)) {
      const route = renderSplitFor(split, cluster, Object.keys(modern.clusters), factsOf(linkerdPlugin, modern));
      expect(route.kind).toBe('HTTPRoute');
      await kube.apply([route]);
      const live = await kube.get(route.apiVersion, 'HTTPRoute', route.metadata.name, split.namespace);
      const refs = (live?.['spec'] as { rules: { backendRefs: { name: string; weight: number }[] }[] }).rules[0]!.backendRefs.map(
        (b) => `${b.name}=${b.weight}`,
      );
      expect(refs).toEqual(cluster === 'east' ? ['podinfo=80', 'podinfo-west=20'] : ['podinfo-east=80', 'podinfo=20']);
    }
  });
});
