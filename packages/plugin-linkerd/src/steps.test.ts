import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { kindPlugin } from '@meshspec/plugin-kind';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redact, type Step, type Topology } from '@meshspec/core/plugin';
import { createTestStepContext, withEngineFacts } from '@meshspec/core/testing';
import { describe, expect, it } from 'vitest';
import { CERT_FILES, generateTrustAnchor, issueIssuer } from './certs.js';
import type { LinkerdSection } from './schema.js';
import { linkerdSteps as linkerdStepsRaw } from './steps.js';
import { linkerdPlugin } from './index.js';

const linkerdSteps = withEngineFacts(linkerdPlugin, linkerdStepsRaw, [kindPlugin]);

const topology = (linkerd: LinkerdSection): Topology => ({
  apiVersion: 'meshspec.dev/v1alpha1',
  kind: 'Topology',
  metadata: { name: 'linkerd-multicluster' },
  clusters: {
    demo: { context: 'kind-demo', podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16' },
    demo3: { context: 'kind-demo3', podSubnet: '10.245.0.0/16', serviceSubnet: '10.97.0.0/16' },
  },
  linkerd,
  workloads: { demo: { namespace: 'test' }, manifests: [{ name: 'extra', path: 'x' }] },
  kindClusters: {},
});
const stepsCtx = { stateDir: '/nonexistent-state', topologyDir: '/topo', contextOf: (c: string) => `kind-${c}` };
const section = (version: string): LinkerdSection => ({ version, links: 'full-mesh', export: [{ namespace: 'test', service: 'podinfo' }] });

/** The plan as a person reads it: one block per step. */
function planText(steps: Step[]): string {
  return (
    steps
      .map((s) =>
        [
          `${s.id}${s.needs?.length ? `  needs: ${s.needs.join(', ')}` : ''}${s.after?.length ? `  after: ${s.after.join(', ')}` : ''}`,
          ...(s.plan ?? []).map((l) => `  ${l}`),
        ].join('\n'),
      )
      .join('\n') + '\n'
  );
}

const byId = (steps: Step[], id: string) => {
  const step = steps.find((s) => s.id === id);
  if (!step) throw new Error(`no step ${id} in ${steps.map((s) => s.id).join(', ')}`);
  return step;
};

const LINKERD_YAML =
  'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: { name: servers.policy.linkerd.io }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: marker, namespace: linkerd }\n';
const LINK_YAML = (source: string) =>
  `apiVersion: v1\nkind: Secret\nmetadata: { name: cluster-credentials-${source}, namespace: linkerd-multicluster }\ntype: mirror.linkerd.io/remote-kubeconfig\n---\napiVersion: multicluster.linkerd.io/v1alpha1\nkind: Link\nmetadata: { name: ${source}, namespace: linkerd-multicluster }\nspec: { targetClusterName: ${source} }\n`;

describe('linkerd steps', () => {
  it('has no steps without a section', () => {
    expect(linkerdSteps(topology({}), undefined, stepsCtx)).toEqual([]);
  });

  it.each(['stable-2.13.3', 'version-2.18'])('plan for %s matches the golden', async (version) => {
    const steps = linkerdSteps(topology(section(version)), section(version), stepsCtx);
    await expect(planText(steps)).toMatchFileSnapshot(`__golden__/plan-${version}.txt`);
  });

  it('plan with link and export modes (flat and gateway links; remote-discovery, federated and mirror exports) matches the golden', async () => {
    const modes: LinkerdSection = {
      version: 'edge-26.6.3',
      viz: false,
      multicluster: { podNetworksRoutable: true },
      links: [
        { from: 'demo', to: 'demo3', mode: 'flat' },
        { from: 'demo3', to: 'demo' },
      ],
      export: [
        { namespace: 'test', service: 'podinfo', mode: 'remote-discovery' },
        { namespace: 'test', service: 'frontend', mode: 'federated' },
        { namespace: 'test', service: 'backend' },
      ],
    };
    await expect(planText(linkerdSteps(topology(modes), modes, stepsCtx))).toMatchFileSnapshot('__golden__/plan-link-modes-2.20.txt');
  });

  it('differs between 2.13 and 2.18 exactly where Linkerd changed', () => {
    const plan = (v: string) => linkerdSteps(topology(section(v)), section(v), stepsCtx);
    const old = plan('stable-2.13.3');
    const current = plan('version-2.18');
    expect(byId(old, 'linkerd:crds@demo').plan![1]).toMatch(/install --crds$/);
    expect(byId(current, 'linkerd:crds@demo').plan![1]).toMatch(/install --crds --set installGatewayAPI=false$/);
    expect(byId(old, 'linkerd:multicluster@demo3').plan![0]).toMatch(/multicluster install$/);
    expect(byId(current, 'linkerd:multicluster@demo3').plan![0]).toMatch(
      /multicluster install --set controllers\[0\]\.link\.ref\.name=demo$/,
    );
    expect(byId(old, 'linkerd:link:demo@demo3').plan![0]).toContain(
      'linkerd --context kind-demo multicluster link --cluster-name demo --api-server-address <kind:cluster@demo.apiServerUrl>',
    );
    expect(byId(current, 'linkerd:link:demo@demo3').plan![0]).toContain('multicluster link-gen --cluster-name demo');
    // clusterNetworks: Linkerd defaults + every cluster's pod and service subnets, helm-escaped.
    expect(byId(old, 'linkerd:control-plane@demo').plan![0]).toContain(
      '--set clusterNetworks=10.0.0.0/8\\,100.64.0.0/10\\,172.16.0.0/12\\,192.168.0.0/16\\,10.244.0.0/16\\,10.96.0.0/16\\,10.245.0.0/16\\,10.97.0.0/16 ',
    );
    expect(byId(current, 'linkerd:control-plane@demo').plan![0]).toContain('192.168.0.0/16\\,fd00::/8\\,10.244.0.0/16');
  });

  it('orders steps: gateway after metallb pools, link needs both ends, export after the cluster (workloads order themselves before it)', () => {
    const steps = linkerdSteps(topology(section('stable-2.13.3')), section('stable-2.13.3'), stepsCtx);
    expect(byId(steps, 'linkerd:gateway@demo').after).toEqual(['kind:cluster@demo', 'metallb:pools@demo']);
    expect(byId(steps, 'linkerd:link:demo@demo3')).toMatchObject({
      cluster: 'demo3',
      needs: ['linkerd:multicluster@demo', 'linkerd:multicluster@demo3', 'linkerd:gateway@demo'],
      after: ['kind:cluster@demo'],
    });
    expect(byId(steps, 'linkerd:export:test/podinfo@demo3').after).toEqual(['kind:cluster@demo3']);
    expect(byId(steps, 'linkerd:control-plane@demo').needs).toEqual(['linkerd:crds@demo', 'linkerd:certs']);
  });

  it('explicit links, no viz, no gateway', () => {
    const s: LinkerdSection = {
      version: 'stable-2.13.3',
      links: [{ from: 'demo3', to: 'demo' }],
      viz: false,
      multicluster: { gateway: false },
    };
    const steps = linkerdSteps(topology(s), s, stepsCtx);
    expect(steps.map((x) => x.id).filter((id) => /:(viz|gateway)@|:link:/.test(id))).toEqual(['linkerd:link:demo3@demo']);
    expect(byId(steps, 'linkerd:multicluster@demo').plan![0]).toMatch(/multicluster install --set gateway.enabled=false$/);
    expect(byId(steps, 'linkerd:link:demo3@demo').plan![0]).toMatch(/--gateway=false$/);
  });

  it('run: CRDs rendered by the CLI are applied to the right cluster', async () => {
    const t = topology(section('stable-2.13.3'));
    const step = byId(linkerdSteps(t, section('stable-2.13.3'), stepsCtx), 'linkerd:crds@demo3');
    const ctx = createTestStepContext(t, { step: { id: step.id, cluster: 'demo3' } });
    ctx.exec.on('linkerd version --client --short', { stdout: 'stable-2.13.3\n' });
    ctx.exec.on('linkerd --context kind-demo3 install --crds', { stdout: LINKERD_YAML });
    await step.run(ctx);
    expect(ctx.exec.lines).toEqual(['linkerd version --client --short', 'linkerd --context kind-demo3 install --crds']);
    expect(ctx.kubes.get('kind-demo3')!.applied.map((o) => o.metadata.name)).toEqual(['servers.policy.linkerd.io', 'marker']);
    expect(ctx.kubes.has('kind-demo')).toBe(false);
    expect(ctx.logs.filter((l) => l.startsWith('warn'))).toEqual([]);
  });

  it('run: warns when the CLI is another release', async () => {
    const t = topology(section('stable-2.13.3'));
    const step = byId(linkerdSteps(t, section('stable-2.13.3'), stepsCtx), 'linkerd:crds@demo');
    const ctx = createTestStepContext(t, { step: { id: step.id, cluster: 'demo' } });
    ctx.exec.on('linkerd version', { stdout: 'edge-25.4.4\n' });
    await step.run(ctx);
    expect(ctx.logs.some((l) => l.startsWith('warn') && l.includes('edge-25.4.4') && l.includes('stable-2.13.3'))).toBe(true);
  });

  it('run: version-2.18 accepts any 2.18 build of the CLI, and a missing CLI is a step error', async () => {
    const t = topology(section('version-2.18'));
    const step = byId(linkerdSteps(t, section('version-2.18'), stepsCtx), 'linkerd:crds@demo');
    const ctx = createTestStepContext(t, { step: { id: step.id, cluster: 'demo' } });
    ctx.exec.on('linkerd version', { stdout: 'edge-25.4.4\n' });
    await step.run(ctx);
    expect(ctx.logs.filter((l) => l.startsWith('warn'))).toEqual([]);
    expect(ctx.exec.lines[1]).toBe('linkerd --context kind-demo install --crds --set installGatewayAPI=false');
    const missing = createTestStepContext(t, { step: { id: step.id, cluster: 'demo' } });
    missing.exec.on('linkerd version', { exitCode: 127, stderr: 'not found' });
    await expect(step.run(missing)).rejects.toThrow(/install the linkerd CLI a 2.18 release/);
  });

  it('run: control plane installs with the stored identity files, then upgrades once installed', async () => {
    const t = topology(section('stable-2.13.3'));
    const step = byId(linkerdSteps(t, section('stable-2.13.3'), stepsCtx), 'linkerd:control-plane@demo');
    const ctx = createTestStepContext(t, { step: { id: step.id, cluster: 'demo' } });
    const deployments = ['linkerd-identity', 'linkerd-destination', 'linkerd-proxy-injector']
      .map((name) => `---\napiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ${name}, namespace: linkerd }\n`)
      .join('');
    ctx.exec.on(/ (install|upgrade) --identity/, {
      stdout: `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: linkerd-config, namespace: linkerd }\n${deployments}`,
    });
    expect(await step.status!(ctx)).toBe(false);
    expect(await step.run(ctx)).toMatchObject({ mode: 'install' });
    await step.run(ctx);
    const [first, second] = ctx.exec.calls;
    expect(first!.args.slice(0, 9)).toEqual([
      '--context',
      'kind-demo',
      'install',
      '--identity-trust-anchors-file',
      ctx.secrets.path(CERT_FILES.caCert),
      '--identity-issuer-certificate-file',
      ctx.secrets.path(CERT_FILES.issuerCert),
      '--identity-issuer-key-file',
      ctx.secrets.path(CERT_FILES.issuerKey),
    ]);
    expect(second!.args[2]).toBe('upgrade');
    expect(await step.status!(ctx)).toBe(true);
  });

  it.each([
    ['stable-2.13.3', 'link'],
    ['version-2.18', 'link-gen'],
  ])('run (%s): the link is rendered from the source with its kind apiServerUrl and applied in the target', async (version, verb) => {
    const t = topology(section(version));
    const step = byId(linkerdSteps(t, section(version), stepsCtx), 'linkerd:link:demo@demo3');
    const ctx = createTestStepContext(t, {
      step: { id: step.id, cluster: 'demo3' },
      outputs: { 'kind:cluster@demo': { context: 'kind-demo', apiServerUrl: 'https://172.18.0.2:6443' } },
    });
    ctx.exec.on(`linkerd --context kind-demo multicluster ${verb} `, { stdout: LINK_YAML('demo') });
    expect(await step.run(ctx)).toEqual({ apiServerUrl: 'https://172.18.0.2:6443' });
    expect(ctx.exec.lines).toEqual([
      `linkerd --context kind-demo multicluster ${verb} --cluster-name demo --api-server-address https://172.18.0.2:6443`,
    ]);
    expect(ctx.kubes.get('kind-demo3')!.applied.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Secret/cluster-credentials-demo',
      'Link/demo',
    ]);
    expect(ctx.kubes.get('kind-demo')).toBeUndefined();
    expect(await step.status!(ctx)).toBe(true);
  });

  it('run: without a kind output the link goes without --api-server-address and says why', async () => {
    const t = topology(section('stable-2.13.3'));
    const step = byId(linkerdSteps(t, section('stable-2.13.3'), stepsCtx), 'linkerd:link:demo3@demo');
    const ctx = createTestStepContext(t, { step: { id: step.id, cluster: 'demo' } });
    ctx.exec.on('linkerd', { stdout: LINK_YAML('demo3') });
    await step.run(ctx);
    expect(ctx.exec.lines).toEqual(['linkerd --context kind-demo3 multicluster link --cluster-name demo3']);
    expect(ctx.logs.some((l) => l.startsWith('warn') && l.includes('kind:cluster@demo3'))).toBe(true);
  });

  // Issue 8 problem 7: clusters given by context printed `--api-server-address <kind:cluster@east.apiServerUrl>`
  // and warned about kind at apply. The address comes from whoever provides the cluster.
  it.each([
    [
      'kind clusters: the kind control plane address',
      { kindClusters: {} },
      {},
      '--api-server-address <kind:cluster@demo.apiServerUrl>',
      'https://172.18.0.2:6443',
    ],
    ['clusters by context: the kubeconfig server (the CLI copies it; no flag)', {}, {}, '', undefined],
    [
      'clusters by context with apiServerUrl: that address',
      {},
      { apiServerUrl: 'https://east.example:6443' },
      '--api-server-address https://east.example:6443',
      'https://east.example:6443',
    ],
    [
      'kind clusters with apiServerUrl: the override wins',
      { kindClusters: {} },
      { apiServerUrl: 'https://east.example:6443' },
      '--api-server-address https://east.example:6443',
      'https://east.example:6443',
    ],
  ])('link address, %s', async (_name, extra, demoCluster, planFlag, runAddress) => {
    const base = topology(section('stable-2.13.3'));
    const { kindClusters: _k, ...rest } = base;
    const t: Topology = { ...rest, ...extra, clusters: { ...base.clusters, demo: { ...base.clusters['demo']!, ...demoCluster } } };
    const step = byId(linkerdSteps(t, section('stable-2.13.3'), stepsCtx), 'linkerd:link:demo@demo3');
    const line = step.plan![0]!;
    expect(line).toContain(`multicluster link --cluster-name demo${planFlag ? ` ${planFlag}` : ''} |`.replace(' |', ''));
    if (!planFlag) expect(line).not.toContain('--api-server-address');
    if (!planFlag) expect(line).toContain('the server of context kind-demo in the kubeconfig');
    const ctx = createTestStepContext(t, {
      step: { id: step.id, cluster: 'demo3' },
      outputs: { 'kind:cluster@demo': { context: 'kind-demo', apiServerUrl: 'https://172.18.0.2:6443' } },
    });
    ctx.exec.on('linkerd', { stdout: LINK_YAML('demo') });
    await step.run(ctx);
    expect(ctx.exec.lines).toEqual([
      `linkerd --context kind-demo multicluster link --cluster-name demo${runAddress ? ` --api-server-address ${runAddress}` : ''}`,
    ]);
    expect(ctx.logs.filter((l) => l.startsWith('warn'))).toEqual([]);
  });

  // Issue 8 problem 3: a resumed destroy re-ran steps already undone and failed on "No resources found to
  // uninstall" or an unlink against a Link CRD that was gone. "Already gone" is success.
  it.each([
    ['linkerd:viz@demo', 'viz uninstall'],
    ['linkerd:multicluster@demo', 'multicluster uninstall'],
  ])('destroy of %s when nothing is left (`%s` says "No resources found to uninstall", exit 1) succeeds', async (id, command) => {
    const t = topology({ ...section('stable-2.13.3'), viz: true });
    const step = byId(linkerdSteps(t, section('stable-2.13.3'), stepsCtx), id);
    const ctx = createTestStepContext(t, { step: { id: step.id, cluster: 'demo' } });
    ctx.exec.on(`linkerd --context kind-demo ${command}`, { exitCode: 1, stderr: 'No resources found to uninstall\n' });
    await expect(step.destroy!(ctx)).resolves.toBeUndefined();
    expect(ctx.exec.lines).toEqual([`linkerd --context kind-demo ${command}`]);
  });

  it('destroy of a 2.13 link whose Link is gone deletes the credentials by name instead of running unlink', async () => {
    const t = topology(section('stable-2.13.3'));
    const step = byId(linkerdSteps(t, section('stable-2.13.3'), stepsCtx), 'linkerd:link:demo@demo3');
    const ctx = createTestStepContext(t, { step: { id: step.id, cluster: 'demo3' } });
    await ctx.kube('demo3').apply(LINK_YAML('demo').split('---')[0]!);
    await step.destroy!(ctx);
    expect(ctx.exec.lines).toEqual([]);
    expect(ctx.kubes.get('kind-demo3')!.objects.size).toBe(0);
  });

  // Issue 8 problem 4: the multicluster step was recorded done while its token Secret was gone, so links
  // kept failing with "could not find service account token secret"; verify makes the next apply repair it.
  it('multicluster verify: true while the remote-access ServiceAccount and token Secret exist, else names what is missing', async () => {
    const t = topology(section('stable-2.13.3'));
    const step = byId(linkerdSteps(t, section('stable-2.13.3'), stepsCtx), 'linkerd:multicluster@demo');
    const ctx = createTestStepContext(t, { step: { id: step.id, cluster: 'demo' } });
    const kube = ctx.kube('demo');
    await kube.apply([
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: 'linkerd-service-mirror-remote-access-default', namespace: 'linkerd-multicluster' },
      },
      {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/service-account-token',
        metadata: { name: 'linkerd-service-mirror-remote-access-default-token', namespace: 'linkerd-multicluster' },
      },
    ]);
    expect(await step.verify!(ctx)).toBe(true);
    await kube.delete('v1', 'Secret', 'linkerd-service-mirror-remote-access-default-token', 'linkerd-multicluster');
    expect(await step.verify!(ctx)).toBe('Secret linkerd-multicluster/linkerd-service-mirror-remote-access-default-token is missing');
  });

  // The fault matrix's "load-balancer address changed": the Link keeps the address the CLI read when it
  // linked; once the source gateway's address moves, the next apply must link again.
  const gatewayService = (ip?: string) => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'linkerd-gateway', namespace: 'linkerd-multicluster' },
    ...(ip ? { status: { loadBalancer: { ingress: [{ ip }] } } } : {}),
  });
  const linkObject = (apiVersion: string, gatewayAddress?: string) => ({
    apiVersion,
    kind: 'Link',
    metadata: { name: 'demo', namespace: 'linkerd-multicluster' },
    spec: { targetClusterName: 'demo', ...(gatewayAddress ? { gatewayAddress } : {}) },
  });
  it.each<[string, string | undefined, string | undefined | null, true | string]>([
    ['the address the Link holds', '172.18.0.61', '172.18.0.61', true],
    ['one of several addresses the Link holds', '172.18.0.61', '172.18.0.60,172.18.0.61', true],
    [
      'an address that changed since the link',
      '172.18.0.99',
      '172.18.0.61',
      "Link demo in demo3 points at demo's gateway 172.18.0.61, but linkerd-gateway in demo now has address 172.18.0.99",
    ],
    [
      'a Link without an address',
      '172.18.0.61',
      undefined,
      "Link demo in demo3 points at demo's gateway (no address), but linkerd-gateway in demo now has address 172.18.0.61",
    ],
    ['no Link at all', '172.18.0.61', null, 'Link linkerd-multicluster/demo is missing in demo3'],
    ['an address still pending (status reports it; re-linking cannot help)', undefined, '172.18.0.61', true],
  ])('link verify: %s', async (_name, current, linked, expected) => {
    for (const [version, apiVersion] of [
      ['stable-2.13.3', 'multicluster.linkerd.io/v1alpha1'],
      ['version-2.18', 'multicluster.linkerd.io/v1alpha3'],
    ] as const) {
      const t = topology(section(version));
      const step = byId(linkerdSteps(t, section(version), stepsCtx), 'linkerd:link:demo@demo3');
      const ctx = createTestStepContext(t, { step: { id: step.id, cluster: 'demo3' } });
      await ctx.kube('demo').apply([gatewayService(current)]);
      if (linked !== null) await ctx.kube('demo3').apply([linkObject(apiVersion, linked)]);
      expect(await step.verify!(ctx), version).toBe(expected);
    }
  });

  it('run: the link records the gateway address the CLI put in the Link; without a gateway there is nothing to verify', async () => {
    const t = topology(section('stable-2.13.3'));
    const step = byId(linkerdSteps(t, section('stable-2.13.3'), stepsCtx), 'linkerd:link:demo@demo3');
    const ctx = createTestStepContext(t, { step: { id: step.id, cluster: 'demo3' } });
    ctx.exec.on('linkerd', {
      stdout: LINK_YAML('demo').replace(
        'spec: { targetClusterName: demo }',
        'spec: { targetClusterName: demo, gatewayAddress: 172.18.0.61 }',
      ),
    });
    expect(await step.run(ctx)).toEqual({ gatewayAddress: '172.18.0.61' });

    const gatewayless: LinkerdSection = { ...section('stable-2.13.3'), multicluster: { gateway: false } };
    const plain = byId(linkerdSteps(topology(gatewayless), gatewayless, stepsCtx), 'linkerd:link:demo@demo3');
    expect(plain.verify).toBeUndefined();
  });

  it('run: the 2.13 link destroy deletes what unlink renders; 2.18 deletes the Link and credentials', async () => {
    for (const version of ['stable-2.13.3', 'version-2.18']) {
      const t = topology(section(version));
      const step = byId(linkerdSteps(t, section(version), stepsCtx), 'linkerd:link:demo@demo3');
      const ctx = createTestStepContext(t, { step: { id: step.id, cluster: 'demo3' } });
      ctx.exec.on(/multicluster (link|link-gen|unlink) /, {
        stdout: LINK_YAML('demo').replace('v1alpha1', version === 'version-2.18' ? 'v1alpha3' : 'v1alpha1'),
      });
      await step.run(ctx);
      expect(ctx.kubes.get('kind-demo3')!.objects.size).toBe(2);
      await step.destroy!(ctx);
      expect(ctx.kubes.get('kind-demo3')!.objects.size).toBe(0);
    }
  });

  it('run: gateway outputs the LoadBalancer address', async () => {
    const t = topology(section('stable-2.13.3'));
    const step = byId(linkerdSteps(t, section('stable-2.13.3'), stepsCtx), 'linkerd:gateway@demo');
    const ctx = createTestStepContext(t, { step: { id: step.id, cluster: 'demo' } });
    await ctx.kube('demo').apply([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'linkerd-gateway', namespace: 'linkerd-multicluster' } },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'linkerd-gateway', namespace: 'linkerd-multicluster' },
        status: { loadBalancer: { ingress: [{ ip: '172.18.0.61' }] } },
      },
    ]);
    expect(await step.run(ctx)).toEqual({ address: '172.18.0.61' });
  });

  it('run: export labels the service; destroy removes the label', async () => {
    const t = topology(section('stable-2.13.3'));
    const step = byId(linkerdSteps(t, section('stable-2.13.3'), stepsCtx), 'linkerd:export:test/podinfo@demo');
    const ctx = createTestStepContext(t, { step: { id: step.id, cluster: 'demo' } });
    await expect(step.run(ctx)).rejects.toThrow(/service test\/podinfo in demo/);
    await ctx.kube('demo').apply([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'podinfo', namespace: 'test' } }]);
    await step.run(ctx);
    expect((await ctx.kube('demo').get('v1', 'Service', 'podinfo', 'test'))!.metadata.labels).toEqual({
      'mirror.linkerd.io/exported': 'true',
    });
    expect(await step.status!(ctx)).toBe(true);
    await step.destroy!(ctx);
    expect(await step.status!(ctx)).toBe(false);
  });

  it.each([
    ['mirror', { 'mirror.linkerd.io/exported': 'true' }],
    ['remote-discovery', { 'mirror.linkerd.io/exported': 'remote-discovery' }],
    ['federated', { 'mirror.linkerd.io/federated': 'member' }],
  ] as const)("run: a %s export labels the service %j, drops the other mode's label, destroy unlabels", async (mode, labels) => {
    const modes: LinkerdSection = {
      version: 'edge-26.6.3',
      multicluster: { podNetworksRoutable: true },
      export: [{ namespace: 'test', service: 'podinfo', mode }],
    };
    const t = topology(modes);
    const step = byId(linkerdSteps(t, modes, stepsCtx), 'linkerd:export:test/podinfo@demo');
    const ctx = createTestStepContext(t, { step: { id: step.id, cluster: 'demo' } });
    // Labelled by an earlier apply in another mode (both labels, so either one is the stale one).
    const stale = { 'mirror.linkerd.io/exported': 'true', 'mirror.linkerd.io/federated': 'member', app: 'podinfo' };
    await ctx.kube('demo').apply([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'podinfo', namespace: 'test', labels: stale } }]);
    await step.run(ctx);
    expect((await ctx.kube('demo').get('v1', 'Service', 'podinfo', 'test'))!.metadata.labels).toEqual({ app: 'podinfo', ...labels });
    expect(await step.status!(ctx)).toBe(true);
    await step.destroy!(ctx);
    expect((await ctx.kube('demo').get('v1', 'Service', 'podinfo', 'test'))!.metadata.labels).toEqual({ app: 'podinfo' });
    expect(await step.status!(ctx)).toBe(false);
  });

  it('inputs: a mirror export keeps the fingerprint it had before modes existed; another mode changes it', () => {
    const inputsOf = (mode?: 'mirror' | 'federated') => {
      const s: LinkerdSection = { version: 'edge-26.6.3', export: [{ namespace: 'test', service: 'podinfo', ...(mode ? { mode } : {}) }] };
      return byId(linkerdSteps(topology(s), s, stepsCtx), 'linkerd:export:test/podinfo@demo').inputs;
    };
    expect(inputsOf()).toEqual({ entry: { namespace: 'test', service: 'podinfo' }, context: 'kind-demo' });
    expect(inputsOf('mirror')).toEqual(inputsOf());
    expect(inputsOf('federated')).toEqual({ entry: { namespace: 'test', service: 'podinfo' }, context: 'kind-demo', mode: 'federated' });
  });

  it('inputs: the control plane reads nothing from the state dir; a due renewal only warns (no re-issue, inputs unchanged)', async () => {
    const t = topology(section('stable-2.13.3'));
    const ctx = createTestStepContext(t, { step: { id: 'linkerd:certs' } });
    const planned = () => {
      const steps = linkerdSteps(t, section('stable-2.13.3'), { ...stepsCtx, stateDir: ctx.stateDir });
      return { certs: byId(steps, 'linkerd:certs'), controlPlane: JSON.stringify(byId(steps, 'linkerd:control-plane@demo').inputs) };
    };
    const cold = planned();
    // Same inputs as before rotate existed (renewalDue was false then too): updating meshspec re-runs nothing.
    expect(cold.certs.inputs).toEqual({ validity: ['87600h', '8760h', '720h'], renewalDue: false });
    await cold.certs.run(ctx);
    // The first apply wrote the identity: nothing the next plan computes may differ (a second apply is a no-op).
    expect(planned().controlPlane).toBe(cold.controlPlane);
    expect(JSON.stringify(planned().certs.inputs)).toBe(JSON.stringify(cold.certs.inputs));
    expect(planned().certs.plan).toEqual(cold.certs.plan);

    // An issuer inside the renewal window: neither step's inputs change (so no apply re-runs linkerd
    // upgrade, now or on the next apply); the plan and the step say to run rotate; the issuer is kept.
    const anchor = { cert: (await ctx.secrets.read(CERT_FILES.caCert))!, key: (await ctx.secrets.read(CERT_FILES.caKey))! };
    const expiring = await issueIssuer(anchor, 3_600_000);
    await ctx.secrets.write(CERT_FILES.issuerCert, expiring.cert);
    await ctx.secrets.write(CERT_FILES.issuerKey, expiring.key);
    expect(JSON.stringify(planned().certs.inputs)).toBe(JSON.stringify(cold.certs.inputs));
    expect(planned().controlPlane).toBe(cold.controlPlane);
    expect(planned().certs.plan!.at(-1)).toBe(
      'issuer renewal due (issuer expires soon): apply does not re-issue it; run meshspec rotate <file> --issuer',
    );
    const kept = (await planned().certs.run(ctx)) as Record<string, unknown>;
    expect(kept).toMatchObject({ trustAnchor: 'reused', issuer: 'reused' });
    expect(await ctx.secrets.read(CERT_FILES.issuerCert)).toBe(expiring.cert);
    expect(ctx.logs.some((l) => l.startsWith('warn') && l.includes('meshspec rotate <file> --issuer'))).toBe(true);
  });

  it('run: the control plane registers the stored issuer key with the redactor before the CLI renders it', async () => {
    const t = topology(section('stable-2.13.3'));
    const step = byId(linkerdSteps(t, section('stable-2.13.3'), stepsCtx), 'linkerd:control-plane@demo');
    const ctx = createTestStepContext(t, { step: { id: step.id, cluster: 'demo' } });
    const anchor = await generateTrustAnchor(87_600 * 3_600_000);
    const issuer = await issueIssuer(anchor, 8760 * 3_600_000);
    await ctx.secrets.write(CERT_FILES.caCert, anchor.cert);
    await ctx.secrets.write(CERT_FILES.issuerCert, issuer.cert);
    await ctx.secrets.write(CERT_FILES.issuerKey, issuer.key);
    const b64 = Buffer.from(issuer.key.trim()).toString('base64');
    expect(redact(b64)).toBe(b64);
    const deployments = ['linkerd-identity', 'linkerd-destination', 'linkerd-proxy-injector']
      .map((name) => `---\napiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ${name}, namespace: linkerd }\n`)
      .join('');
    ctx.exec.on(/ install --identity/, { stdout: deployments });
    await step.run(ctx);
    expect(redact(`key.pem: ${b64}`)).toBe('key.pem: ***');
    expect(redact(issuer.key)).not.toContain(issuer.key.split('\n')[1]!);
  });

  it('certs verify: a stored issuer not valid yet makes the step run again and re-issue it; a future trust anchor stops it, untouched', async () => {
    const t = topology(section('stable-2.13.3'));
    const step = byId(linkerdSteps(t, section('stable-2.13.3'), stepsCtx), 'linkerd:certs');
    const ctx = createTestStepContext(t, { step: { id: step.id } });
    await step.run(ctx);
    expect(await step.verify!(ctx)).toBe(true);
    const anchor = { cert: (await ctx.secrets.read(CERT_FILES.caCert))!, key: (await ctx.secrets.read(CERT_FILES.caKey))! };
    const future = new Date(Date.now() + 48 * 3_600_000);
    const early = await issueIssuer(anchor, 8760 * 3_600_000, future);
    await ctx.secrets.write(CERT_FILES.issuerCert, early.cert);
    await ctx.secrets.write(CERT_FILES.issuerKey, early.key);
    expect(await step.verify!(ctx)).toMatch(/^issuer not valid until \d{4}-/);
    expect(await step.run(ctx)).toMatchObject({
      trustAnchor: 'reused',
      issuer: 'reissued',
      reason: expect.stringMatching(/^issuer not valid until/),
    });
    expect(await step.verify!(ctx)).toBe(true);
    expect(await ctx.secrets.read(CERT_FILES.caCert)).toBe(anchor.cert);

    const futureAnchor = await generateTrustAnchor(87_600 * 3_600_000, future);
    await ctx.secrets.write(CERT_FILES.caCert, futureAnchor.cert);
    await ctx.secrets.write(CERT_FILES.caKey, futureAnchor.key);
    expect(await step.verify!(ctx)).toMatch(/^trust anchor not valid until/);
    await expect(step.run(ctx)).rejects.toThrow(/trust anchor .* is not valid until .*meshspec never replaces a trust anchor/);
    expect(await ctx.secrets.read(CERT_FILES.caCert)).toBe(futureAnchor.cert);
  });

  it('plan: a stored issuer not valid yet is shown as re-issued by apply; a future trust anchor as where apply stops', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'meshspec-certs-plan-'));
    mkdirSync(join(stateDir, 'secrets'));
    const future = new Date(Date.now() + 48 * 3_600_000);
    const anchor = await generateTrustAnchor(87_600 * 3_600_000);
    writeFileSync(join(stateDir, 'secrets', CERT_FILES.caCert), anchor.cert);
    writeFileSync(join(stateDir, 'secrets', CERT_FILES.issuerCert), (await issueIssuer(anchor, 8760 * 3_600_000, future)).cert);
    writeFileSync(join(stateDir, 'secrets', CERT_FILES.issuerKey), 'present');
    const planOf = () =>
      byId(
        linkerdSteps(topology(section('stable-2.13.3')), section('stable-2.13.3'), { ...stepsCtx, stateDir }),
        'linkerd:certs',
      ).plan!.slice(2);
    expect(planOf()).toEqual([
      expect.stringMatching(
        /^issuer not valid until \S+ \(clock skew, or a wrongly made file\): apply re-issues it from the same trust anchor$/,
      ),
    ]);
    writeFileSync(join(stateDir, 'secrets', CERT_FILES.caCert), (await generateTrustAnchor(87_600 * 3_600_000, future)).cert);
    // (The issuer is not the new anchor's child either; that line stays too.)
    expect(planOf()).toContainEqual(
      expect.stringMatching(
        /^trust anchor not valid until \S+ \(clock skew, or a wrongly made file\): apply stops here; meshspec never replaces a trust anchor$/,
      ),
    );
  });

  it('run: certs step generates once and reports fingerprints, never key material', async () => {
    const t = topology(section('stable-2.13.3'));
    const step = byId(linkerdSteps(t, section('stable-2.13.3'), stepsCtx), 'linkerd:certs');
    const ctx = createTestStepContext(t, { step: { id: step.id } });
    expect(await step.status!(ctx)).toBe(false);
    const first = (await step.run(ctx)) as Record<string, unknown>;
    expect(first).toMatchObject({ trustAnchor: 'generated', issuer: 'generated' });
    expect(await step.status!(ctx)).toBe(true);
    const again = (await step.run(ctx)) as Record<string, unknown>;
    expect(again).toMatchObject({ trustAnchor: 'reused', issuer: 'reused', trustAnchorFingerprint: first['trustAnchorFingerprint'] });
    const key = (await ctx.secrets.read(CERT_FILES.caKey))!;
    const body = key.split('\n')[1]!;
    expect(JSON.stringify([first, again, ctx.logs])).not.toContain(body);
  });
});
