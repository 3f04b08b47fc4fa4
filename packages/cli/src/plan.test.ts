// `meshspec plan`: whole-stack goldens for the examples, the seed procedure's steps in a valid order,
// JSON with the graph, --only, and no side effects.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PlanEntry } from './commands/plan.js';
import { EXAMPLE_WARNINGS, EXAMPLES, onlyWarnings, runCli } from './__fixtures__/run-cli.js';

const temp = mkdtempSync(join(tmpdir(), 'meshspec-plan-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const SEED = 'examples/linkerd-multicluster/topology.yaml';

async function planJson(file: string, extra: string[] = []): Promise<{ topology: string; stateDir: string; steps: PlanEntry[] }> {
  const { code, stdout, stderr } = await runCli(['plan', file, '-o', 'json', ...extra]);
  expect(onlyWarnings(stderr).errors).toBe(0);
  expect(code).toBe(0);
  return JSON.parse(stdout);
}

describe('plan goldens', () => {
  it.each(['linkerd-multicluster', 'three-clusters', 'six-clusters', 'modern-linkerd', 'custom-plugin', 'simulated-mesh'])(
    '%s',
    async (name) => {
      const { code, stdout, stderr } = await runCli(['plan', `examples/${name}/topology.yaml`]);
      // The deprecations the examples carry on purpose, positioned on stderr; nothing else.
      expect(onlyWarnings(stderr)).toEqual({ paths: EXAMPLE_WARNINGS[name], errors: 0 });
      expect(code).toBe(0);
      await expect(stdout).toMatchFileSnapshot(`__golden__/plan-${name}.txt`);
    },
  );
});

describe('plan: the seed procedure', () => {
  const clusters = ['demo', 'demo3'];
  const other = (c: string) => (c === 'demo' ? 'demo3' : 'demo');
  /** Every step of the manual procedure, each with the steps that must come before it. */
  const procedure: [step: string, after: string[]][] = [
    ['kind:network', []],
    // Not in the manual procedure: the shared pull-through caches every cluster's nodes pull through.
    ['kind:registry-mirror', ['kind:network']],
    ...clusters.flatMap((c): [string, string[]][] => [
      [`kind:cluster@${c}`, ['kind:network', 'kind:registry-mirror']],
      [`metallb:install@${c}`, [`kind:cluster@${c}`]],
      [`metallb:pools@${c}`, [`metallb:install@${c}`, 'kind:network']],
      [`linkerd:crds@${c}`, [`kind:cluster@${c}`]],
      [`linkerd:control-plane@${c}`, [`linkerd:crds@${c}`, 'linkerd:certs']],
      [`linkerd:viz@${c}`, [`linkerd:control-plane@${c}`]],
      [`linkerd:multicluster@${c}`, [`linkerd:control-plane@${c}`]],
      [`linkerd:gateway@${c}`, [`linkerd:multicluster@${c}`, `metallb:pools@${c}`]],
      // The link to c is applied in the other cluster and carries c's gateway address.
      [
        `linkerd:link:${c}@${other(c)}`,
        [`linkerd:multicluster@${c}`, `linkerd:multicluster@${other(c)}`, `linkerd:gateway@${c}`, `kind:cluster@${c}`],
      ],
      [`workloads:demo@${c}`, [`linkerd:control-plane@${c}`]],
      [`linkerd:export:test/podinfo@${c}`, [`workloads:demo@${c}`]],
      [`smi:install@${c}`, [`linkerd:control-plane@${c}`]],
      [
        `smi:split:test/podinfo@${c}`,
        [`smi:install@${c}`, `workloads:demo@${c}`, `linkerd:link:${other(c)}@${c}`, `linkerd:export:test/podinfo@${other(c)}`],
      ],
      [`ingress:controller@${c}`, [`linkerd:control-plane@${c}`, `metallb:pools@${c}`]],
      [`ingress:route:test/frontend@${c}`, [`ingress:controller@${c}`, `workloads:demo@${c}`]],
    ]),
    ['linkerd:certs', []],
  ];

  it('has every step, each after what it needs (in the printed order and in the graph)', async () => {
    const { steps } = await planJson(SEED);
    const index = new Map(steps.map((s) => [s.id, s.index]));
    expect([...index.keys()].sort()).toEqual(procedure.map(([id]) => id).sort());
    const edges = new Map(steps.map((s) => [s.id, [...s.needs, ...s.after]]));
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
      (edges.get(from) ?? []).some((next) => next === to || (!seen.has(next) && (seen.add(next), reaches(next, to, seen))));
    const misordered = procedure.flatMap(([id, before]) =>
      before.filter((b) => !(index.get(b)! < index.get(id)!)).map((b) => `${b} should come before ${id}`),
    );
    expect(misordered).toEqual([]);
    const unlinked = procedure.flatMap(([id, before]) => before.filter((b) => !reaches(id, b)).map((b) => `${id} does not wait for ${b}`));
    expect(unlinked).toEqual([]);
  });

  it('shows the commands the procedure runs by hand', async () => {
    const { stdout } = await runCli(['plan', SEED]);
    for (const c of clusters) {
      expect(stdout).toContain(`kind create cluster --name ${c} --config <state>/kind/${c}.yaml`);
      expect(stdout).toContain(
        `helm upgrade --install metallb metallb --repo https://metallb.github.io/metallb --version 0.14.9 --namespace metallb-system --kube-context kind-${c}`,
      );
      expect(stdout).toContain(`linkerd --context kind-${c} install --crds`);
      expect(stdout).toContain(`linkerd --context kind-${c} install --identity-trust-anchors-file <state>/secrets/linkerd-ca.crt`);
      expect(stdout).toContain(`linkerd --context kind-${c} viz install`);
      expect(stdout).toContain(`linkerd --context kind-${c} multicluster install`);
      expect(stdout).toContain(
        `wait for service/linkerd-gateway -n linkerd-multicluster --context kind-${c} to get a LoadBalancer address`,
      );
      expect(stdout).toContain(
        `kubectl apply --server-side (meshspec) --context kind-${other(c)} <- linkerd --context kind-${c} multicluster link --cluster-name ${c} --api-server-address <kind:cluster@${c}.apiServerUrl>`,
      );
      expect(stdout).toContain(`kubectl label service podinfo -n test --context kind-${c} mirror.linkerd.io/exported=true`);
      expect(stdout).toContain(`linkerd smi install --context kind-${c}`);
      expect(stdout).toContain(`TrafficSplit test/podinfo: podinfo=50, podinfo-${other(c)}=50`);
      expect(stdout).toContain(
        `helm upgrade --install ingress-nginx ingress-nginx --repo https://kubernetes.github.io/ingress-nginx --version 4.11.5 --namespace ingress-nginx --kube-context kind-${c}`,
      );
      expect(stdout).toContain(`Ingress test/frontend host frontend-kind-${c}.127-0-0-1.sslip.io path / -> frontend:8080 (class nginx)`);
    }
    expect(stdout).toContain('IPAddressPool metallb-system/first-pool');
    expect(stdout).toContain('CN root.linkerd.cluster.local');
    expect(stdout).toContain('CN identity.linkerd.cluster.local, valid 8760h');
    expect(stdout).toMatch(/Deployment test\/podinfo/);
  });
});

describe('plan --output json', () => {
  it('parses, numbers the steps in order, and carries needs and after', async () => {
    const plan = await planJson(SEED);
    expect(plan.topology).toBe('linkerd-multicluster');
    expect(plan.stateDir).toBe(join(EXAMPLES, 'linkerd-multicluster/.meshspec/linkerd-multicluster'));
    expect(plan.steps.map((s) => s.index)).toEqual(plan.steps.map((_, i) => i + 1));
    expect(plan.steps.find((s) => s.id === 'linkerd:control-plane@demo')).toMatchObject({
      cluster: 'demo',
      needs: ['linkerd:crds@demo', 'linkerd:certs'],
      after: ['kind:cluster@demo'],
      runs: expect.arrayContaining([expect.stringContaining('install --identity-trust-anchors-file')]),
      upToDate: false,
    });
    expect(plan.steps.find((s) => s.id === 'kind:network')).toMatchObject({ needs: [], after: [] });
    expect(plan.steps.find((s) => s.id === 'kind:network')).not.toHaveProperty('cluster');
  });
});

describe('plan --only', () => {
  it("'linkerd:*@demo' keeps demo's Linkerd steps and what they need, nothing else", async () => {
    const { steps } = await planJson(SEED, ['--only', 'linkerd:*@demo']);
    const ids = steps.map((s) => s.id);
    expect(ids.filter((id) => /^linkerd:.*@demo$/.test(id)).sort()).toEqual(
      [
        'linkerd:crds@demo',
        'linkerd:control-plane@demo',
        'linkerd:viz@demo',
        'linkerd:multicluster@demo',
        'linkerd:gateway@demo',
        'linkerd:link:demo3@demo',
        'linkerd:export:test/podinfo@demo',
      ].sort(),
    );
    // Hard needs come along (the link to demo3 needs demo3's gateway); soft `after` steps do not.
    expect(ids).toContain('linkerd:certs');
    expect(ids).toContain('linkerd:gateway@demo3');
    expect(ids.every((id) => id.startsWith('linkerd:'))).toBe(true);
    expect(ids).not.toContain('linkerd:viz@demo3');
    expect(ids).not.toContain('linkerd:link:demo@demo3');
    expect(steps.length).toBeLessThan(32);
  });

  it('repeated --only patterns add up', async () => {
    const { steps } = await planJson(SEED, ['--only', 'kind:*', '--only', 'smi:install@*']);
    expect(steps.map((s) => s.id)).toEqual([
      'kind:network',
      'kind:registry-mirror',
      'kind:cluster@demo',
      'kind:cluster@demo3',
      'smi:install@demo',
      'smi:install@demo3',
    ]);
  });

  it('a pattern that matches nothing is an error that says so', async () => {
    const { code, stderr } = await runCli(['plan', SEED, '--only', 'linkrd:*']);
    expect(code).toBe(1);
    expect(stderr).toContain('linkrd:*');
  });
});

describe('plan has no side effects', () => {
  it('does not create the default state directory beside the topology', async () => {
    const dir = mkdtempSync(join(temp, 'seed-'));
    copyFileSync(join(EXAMPLES, 'linkerd-multicluster/topology.yaml'), join(dir, 'topology.yaml'));
    const text = await runCli(['plan', 'topology.yaml'], { cwd: dir });
    const json = await runCli(['plan', 'topology.yaml', '-o', 'json'], { cwd: dir });
    expect([text.code, json.code]).toEqual([0, 0]);
    expect(JSON.parse(json.stdout).stateDir).toBe(join(dir, '.meshspec/linkerd-multicluster'));
    expect(existsSync(join(dir, '.meshspec'))).toBe(false);
  });

  it('does not create an explicit --state-dir', async () => {
    const stateDir = join(temp, 'never-created');
    const { code } = await runCli(['plan', SEED, '--state-dir', stateDir]);
    expect(code).toBe(0);
    expect(existsSync(stateDir)).toBe(false);
  });
});

describe('plan: addresses', () => {
  it('lists every subnet and MetalLB pool, given or computed, per cluster', async () => {
    const dir = mkdtempSync(join(temp, 'addresses-'));
    const file = join(dir, 'topology.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      file,
      [
        'apiVersion: meshspec.dev/v1alpha1',
        'kind: Topology',
        'metadata: { name: addresses }',
        'clusters: { demo: { podSubnet: 10.244.0.0/16 }, demo3: {} }',
        'kindClusters: {}',
        'metallb: { dockerSubnet: 172.18.0.0/16, poolSize: 8, pools: { demo: 172.18.0.200-172.18.0.209 } }',
        '',
      ].join('\n'),
    );
    const { stdout } = await runCli(['plan', file, '-o', 'json']);
    const { addresses } = JSON.parse(stdout) as { addresses: { cluster: string; what: string; range?: string; note?: string }[] };
    expect(addresses).toEqual([
      { cluster: 'demo', what: 'pods', range: '10.244.0.0/16' },
      { cluster: 'demo', what: 'services', range: '10.96.0.0/16' },
      { cluster: 'demo3', what: 'pods', range: '10.245.0.0/16' },
      { cluster: 'demo3', what: 'services', range: '10.97.0.0/16' },
      { cluster: 'demo', what: 'MetalLB pool', range: '172.18.0.200-172.18.0.209', note: 'given' },
      {
        cluster: 'demo3',
        what: 'MetalLB pool',
        range: expect.stringMatching(/^172\.18\.255\.\d+-172\.18\.255\.\d+$/),
        note: '8 addresses carved from dockerSubnet 172.18.0.0/16',
      },
    ]);
    const text = await runCli(['plan', file]);
    expect(text.stdout).toMatch(/^Addresses:\n {2}demo {3}pods {10}10\.244\.0\.0\/16\n/m);
  });
});
