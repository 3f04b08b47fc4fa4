import { describe, expect, it } from 'vitest';
import { kindPlugin } from '@meshspec/plugin-kind';
import { KubeError, type ApplyResult, type KubeClient, type KubeObject, type Step, type Topology } from '@meshspec/core/plugin';
import { createTestStepContext, testStepsContext } from '@meshspec/core/testing';
import { metallbPlugin } from './plugin.js';
import { applyWithWebhookRetry, isWebhookError } from './retry.js';
import type { MetallbSection } from './schema.js';

const topology = (metallb: MetallbSection): Topology => ({
  apiVersion: 'meshspec.dev/v1alpha1',
  kind: 'Topology',
  metadata: { name: 't' },
  clusters: { demo: { context: 'kind-demo' }, demo3: { context: 'kind-demo3' } },
  // The network step is kind's, read from its facts: present only with the kind section.
  kindClusters: {},
  metallb,
});
const stepsOf = (metallb: MetallbSection) =>
  metallbPlugin.steps(topology(metallb), metallb, testStepsContext(topology(metallb), metallbPlugin, {}, [kindPlugin]));
const find = (steps: Step[], id: string) => steps.find((s) => s.id === id)!;

const CONTROLLER: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'metallb-controller', namespace: 'metallb-system' },
};
const endpoints = (addresses: unknown[]): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name: 'metallb-webhook-service', namespace: 'metallb-system' },
  subsets: [{ addresses }],
});

describe('metallb steps', () => {
  it('per cluster: install (after kind:cluster) then pools (needing install and, for automatic pools, kind:network)', () => {
    expect(stepsOf({}).map((s) => [s.id, s.cluster, s.needs ?? [], s.after ?? []])).toEqual([
      ['metallb:install@demo', 'demo', [], ['kind:cluster@demo']],
      ['metallb:pools@demo', 'demo', ['metallb:install@demo', 'kind:network'], []],
      ['metallb:install@demo3', 'demo3', [], ['kind:cluster@demo3']],
      ['metallb:pools@demo3', 'demo3', ['metallb:install@demo3', 'kind:network'], []],
    ]);
  });

  it('does not need kind:network when every pool is explicit or the docker subnet is given', () => {
    const explicit = stepsOf({ pools: { demo: '172.17.0.61-172.17.0.70', demo3: '172.17.0.71-172.17.0.80' } });
    expect(find(explicit, 'metallb:pools@demo').needs).toEqual(['metallb:install@demo']);
    expect(find(explicit, 'metallb:pools@demo').plan).toEqual([
      'kubectl apply --server-side (meshspec) --context kind-demo <- IPAddressPool metallb-system/first-pool (172.17.0.61-172.17.0.70), L2Advertisement metallb-system/first-pool',
    ]);
    expect(find(stepsOf({ dockerSubnet: '172.18.0.0/16' }), 'metallb:pools@demo3').needs).toEqual(['metallb:install@demo3']);
  });

  it('has no steps without a section', () => {
    expect(metallbPlugin.steps(topology({}), undefined, testStepsContext(topology({}), metallbPlugin))).toEqual([]);
  });

  describe('metallb:install@demo', () => {
    it('installs the pinned chart and waits for the controller and a ready webhook endpoint', async () => {
      const step = find(stepsOf({}), 'metallb:install@demo');
      const ctx = createTestStepContext(topology({}), { step: { id: step.id, cluster: 'demo' } });
      await ctx.kube('demo').apply([CONTROLLER, endpoints([{ ip: '10.244.1.5' }])]);
      await step.run(ctx);
      expect(ctx.helmCalls).toEqual([
        {
          release: 'metallb',
          chart: 'metallb',
          repo: 'https://metallb.github.io/metallb',
          version: '0.14.9',
          namespace: 'metallb-system',
          kubeContext: 'kind-demo',
          wait: true,
          timeout: '5m',
        },
      ]);
    });

    it('fails while the webhook service has no ready address', async () => {
      const step = find(stepsOf({}), 'metallb:install@demo');
      const ctx = createTestStepContext(topology({}), { step: { id: step.id, cluster: 'demo' } });
      await ctx.kube('demo').apply([CONTROLLER, endpoints([])]);
      await expect(step.run(ctx)).rejects.toThrow(
        'timed out waiting for ready endpoints of service metallb-system/metallb-webhook-service',
      );
    });

    it('status is true only for the deployed release of the pinned chart version', async () => {
      const step = find(stepsOf({ chartVersion: '0.14.9' }), 'metallb:install@demo');
      const ctx = createTestStepContext(topology({}), { step: { id: step.id, cluster: 'demo' } });
      expect(await step.status!(ctx)).toBe(false);
      ctx.helm.status = async () => ({ status: 'deployed', chartVersion: '0.14.9', revision: 1 });
      expect(await step.status!(ctx)).toBe(true);
      ctx.helm.status = async () => ({ status: 'deployed', chartVersion: '0.13.12', revision: 1 });
      expect(await step.status!(ctx)).toBe(false);
    });

    it('destroy uninstalls the release', async () => {
      const step = find(stepsOf({}), 'metallb:install@demo');
      const ctx = createTestStepContext(topology({}), { step: { id: step.id, cluster: 'demo' } });
      const uninstalled: unknown[] = [];
      ctx.helm.uninstall = async (r) => void uninstalled.push(r);
      await step.destroy!(ctx);
      expect(uninstalled).toEqual([{ release: 'metallb', namespace: 'metallb-system', kubeContext: 'kind-demo' }]);
    });
  });

  describe('metallb:pools', () => {
    it.each([
      ['demo', '172.18.255.245-172.18.255.254'],
      ['demo3', '172.18.255.235-172.18.255.244'],
    ])('applies the automatic pool of %s carved from the kind network', async (cluster, range) => {
      const step = find(stepsOf({}), `metallb:pools@${cluster}`);
      const ctx = createTestStepContext(topology({}), {
        step: { id: step.id, cluster },
        outputs: { 'kind:network': { subnet: '172.18.0.0/16', gateway: '172.18.0.1' } },
      });
      await expect(step.run(ctx)).resolves.toEqual({ range });
      const kube = ctx.kubes.get(`kind-${cluster}`)!;
      expect(kube.applied.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
        'IPAddressPool/metallb-system/first-pool',
        'L2Advertisement/metallb-system/first-pool',
      ]);
      expect(kube.applied[0]).toMatchObject({ spec: { addresses: [range] } });
    });

    it('applies an explicit pool as written', async () => {
      const section = { pools: { demo: '172.17.0.61-172.17.0.70', demo3: '172.17.0.71-172.17.0.80' } };
      const step = find(stepsOf(section), 'metallb:pools@demo3');
      const ctx = createTestStepContext(topology(section), { step: { id: step.id, cluster: 'demo3' } });
      await expect(step.run(ctx)).resolves.toEqual({ range: '172.17.0.71-172.17.0.80' });
    });

    it('fails as a step error when the kind network has no room', async () => {
      const step = find(stepsOf({ poolSize: 200 }), 'metallb:pools@demo');
      const ctx = createTestStepContext(topology({}), {
        step: { id: step.id, cluster: 'demo' },
        outputs: { 'kind:network': { subnet: '172.18.0.0/24' } },
      });
      await expect(step.run(ctx)).rejects.toMatchObject({
        name: 'StepError',
        stepId: 'metallb:pools@demo',
        message: expect.stringContaining('no room for 2 pools of 200 addresses'),
      });
    });

    it('destroy deletes the advertisement and the pool', async () => {
      const step = find(stepsOf({}), 'metallb:pools@demo');
      const ctx = createTestStepContext(topology({}), {
        step: { id: step.id, cluster: 'demo' },
        outputs: { 'kind:network': { subnet: '172.18.0.0/16' } },
      });
      await step.run(ctx);
      await step.destroy!(ctx);
      expect(ctx.kubes.get('kind-demo')!.objects.size).toBe(0);
    });
  });
});

describe('applyWithWebhookRetry', () => {
  const flaky = (failures: Error[]) => {
    let calls = 0;
    const kube = {
      apply: async (): Promise<ApplyResult> => {
        const failure = failures[calls++];
        if (failure) throw failure;
        return { objects: [] };
      },
    } as unknown as KubeClient;
    return { kube, calls: () => calls };
  };
  const webhookDown = new KubeError(
    'Internal error occurred: failed calling webhook "ipaddresspoolvalidationwebhook.metallb.io": connection refused',
  );

  it('retries webhook errors until the apply goes through', async () => {
    const { kube, calls } = flaky([webhookDown, webhookDown]);
    const retries: number[] = [];
    await applyWithWebhookRetry(kube, [], { attempts: 6, delayMs: 0, onRetry: (n) => retries.push(n) });
    expect(calls()).toBe(3);
    expect(retries).toEqual([1, 2]);
  });

  it('gives up after the last attempt, with the webhook error', async () => {
    const { kube, calls } = flaky([webhookDown, webhookDown, webhookDown]);
    await expect(applyWithWebhookRetry(kube, [], { attempts: 2, delayMs: 0 })).rejects.toBe(webhookDown);
    expect(calls()).toBe(2);
  });

  it('does not retry other errors', async () => {
    const forbidden = new KubeError('ipaddresspools.metallb.io is forbidden: User cannot create resource');
    const { kube, calls } = flaky([forbidden]);
    await expect(applyWithWebhookRetry(kube, [], { attempts: 6, delayMs: 0 })).rejects.toBe(forbidden);
    expect(calls()).toBe(1);
    expect(isWebhookError(forbidden)).toBe(false);
  });

  it('stops waiting when cancelled', async () => {
    const { kube } = flaky([webhookDown, webhookDown]);
    const abort = new AbortController();
    const pending = applyWithWebhookRetry(kube, [], { attempts: 6, delayMs: 60_000, signal: abort.signal });
    abort.abort(new Error('cancelled'));
    await expect(pending).rejects.toThrow('cancelled');
  });
});
