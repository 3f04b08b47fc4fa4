// The Gateway API CRDs step on real kube-apiservers: the real v1.2.1 standard-channel CRDs (from
// ../shared/conformance, given as a local manifest path) apply server-side and become Established, the
// step is ordered before `linkerd install --crds` in the plan, and re-running it changes nothing.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { KubeObject } from '@meshspec/core';
import { linkerdPlugin } from '@meshspec/plugin-linkerd';
import { CONFORMANCE, conformancePath } from '../conformance/index.js';
import { createRealDrivers, openTopology, StepRunner } from './fixtures/real-steps.js';

const kubeconfig = inject('kubeconfig');
const contexts = inject('contexts');
const GATEWAY_API_CRDS = ['gatewayclasses', 'gateways', 'grpcroutes', 'httproutes', 'referencegrants'].map(
  (p) => `${p}.gateway.networking.k8s.io`,
);

let steps: StepRunner;

beforeAll(async () => {
  expect(contexts.length, 'these tests need two clusters (MESHSPEC_IT_CLUSTERS >= 2)').toBeGreaterThanOrEqual(2);
  const manifest = conformancePath(CONFORMANCE.gatewayApiCrds('v1.2.1'));
  const drivers = createRealDrivers({ kubeconfig, binDir: inject('binDir'), helm: inject('helm') });
  const yaml = `apiVersion: meshspec.dev/v1alpha1
kind: Topology
metadata: { name: it-gateway-api }
clusters:
  east: { context: ${contexts[0]} }
  west: { context: ${contexts[1]} }
linkerd:
  version: edge-26.6.3
  gatewayApi: { version: v1.2.1, manifest: ${JSON.stringify(manifest)} }
`;
  steps = new StepRunner(await openTopology(yaml, [linkerdPlugin], drivers), drivers);
});

const established = (crd: KubeObject | undefined) =>
  ((crd?.['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).some(
    (c) => c.type === 'Established' && c.status === 'True',
  );

describe('Gateway API CRDs step integration (real kube-apiserver, real v1.2.1 standard CRDs)', () => {
  it('is planned per cluster before linkerd install --crds, which needs it', () => {
    const order = steps.session.plan.steps.map((s) => s.id);
    for (const c of ['east', 'west']) {
      expect(order.indexOf(`linkerd:gateway-api@${c}`)).toBeGreaterThanOrEqual(0);
      expect(order.indexOf(`linkerd:gateway-api@${c}`)).toBeLessThan(order.indexOf(`linkerd:crds@${c}`));
      expect(steps.step(`linkerd:crds@${c}`).needs).toContain(`linkerd:gateway-api@${c}`);
    }
  });

  it('applies the real CRDs server-side in each cluster; they are Established, standard channel v1.2.1', async () => {
    for (const cluster of ['east', 'west']) {
      const outputs = await steps.run(`linkerd:gateway-api@${cluster}`);
      expect((outputs['crds'] as string[]).sort()).toEqual(GATEWAY_API_CRDS);
      for (const name of GATEWAY_API_CRDS) {
        const crd = await steps.kube(cluster).get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', name);
        expect(established(crd), `${name} Established in ${cluster}`).toBe(true);
        expect(crd?.metadata.annotations).toMatchObject({
          'gateway.networking.k8s.io/bundle-version': 'v1.2.1',
          'gateway.networking.k8s.io/channel': 'standard',
        });
        expect(
          (crd?.metadata['managedFields'] as { manager: string; operation: string }[]).some(
            (f) => f.manager === 'meshspec' && f.operation === 'Apply',
          ),
        ).toBe(true);
      }
      expect(await steps.status(`linkerd:gateway-api@${cluster}`)).toBe(true);
    }
  });

  it('a second run changes nothing (same resourceVersions)', async () => {
    const versions = async () =>
      Promise.all(
        GATEWAY_API_CRDS.map(
          async (n) =>
            (await steps.kube('east').get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', n))?.metadata['resourceVersion'],
        ),
      );
    const before = await versions();
    await steps.run('linkerd:gateway-api@east');
    expect(await versions()).toEqual(before);
  });
});
