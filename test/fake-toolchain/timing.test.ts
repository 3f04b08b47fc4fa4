// The FAKE toolchain's timing model (the time-to-mesh bench's): MESHSPEC_FAKE_SLEEP makes matching calls
// take longer and changes nothing else they do, and image pulls cost time once per distinct image per
// cluster — or once in all, for clusters created with a registry mirror in their containerd config.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTAINERD_CONFIG_PATCH } from '../../packages/plugin-kind/src/registry-mirror.js';
import { FAKE_BIN, withFakeToolchain, type FakeToolchain } from './index.js';

const toolchains: FakeToolchain[] = [];
afterEach(() => {
  for (const t of toolchains.splice(0)) t.cleanup();
});

function fake(options: Parameters<typeof withFakeToolchain>[0] = {}) {
  const t = withFakeToolchain({ kindCreateMs: 0, ...options });
  toolchains.push(t);
  const call = (tool: string, args: string[]) => {
    const began = performance.now();
    const r = spawnSync(join(FAKE_BIN, tool), args, { encoding: 'utf8', env: { ...process.env, ...t.env } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - began };
  };
  const kindConfig = (name: string, patches: string[] = []) => {
    const file = join(t.root, `${name}.yaml`);
    writeFileSync(
      file,
      `kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\n${
        patches.length
          ? `containerdConfigPatches:\n${patches
              .map(
                (p) =>
                  `  - |-\n${p
                    .split('\n')
                    .map((l) => `    ${l}`)
                    .join('\n')}`,
              )
              .join('\n')}\n`
          : ''
      }nodes:\n  - role: control-plane\n`,
    );
    return file;
  };
  const pulls = () => {
    try {
      return readFileSync(join(t.stateDir, 'images', 'pulls.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { context: string; image: string; source: string; ms: number });
    } catch {
      return [];
    }
  };
  return { t, call, kindConfig, pulls };
}

const METALLB = [
  'upgrade',
  '--install',
  'metallb',
  'metallb',
  '--repo',
  'https://metallb.github.io/metallb',
  '--version',
  '0.14.9',
  '--namespace',
  'metallb-system',
  '--create-namespace',
  '--wait',
];

describe('MESHSPEC_FAKE_SLEEP (FAKE toolchain)', () => {
  it('delays the matching call by its rule (first match wins), answers exactly as without it, and logs sleptMs', () => {
    const plain = fake();
    const slow = fake({ sleep: ['kind version=400', 'kind *=5'] });
    const a = plain.call('kind', ['version']);
    const b = slow.call('kind', ['version']);
    expect(b.stdout).toBe(a.stdout);
    expect(b.code).toBe(0);
    expect(b.ms).toBeGreaterThanOrEqual(400);
    expect(slow.t.readLog().map((c) => (c as { sleptMs?: number }).sleptMs)).toEqual([400]);
    expect(plain.t.readLog().map((c) => (c as { sleptMs?: number }).sleptMs)).toEqual([undefined]);
  });

  it('a rule with @context only delays calls to that cluster', () => {
    const f = fake({ sleep: ['helm upgrade --install metallb*@kind-slow=300'] });
    for (const name of ['slow', 'quick'])
      expect(f.call('kind', ['create', 'cluster', '--name', name, '--config', f.kindConfig(name)]).code).toBe(0);
    const slow = f.call('helm', [...METALLB, '--kube-context', 'kind-slow']);
    const quick = f.call('helm', [...METALLB, '--kube-context', 'kind-quick']);
    expect([slow.code, quick.code]).toEqual([0, 0]);
    const slept = f.t
      .readLog()
      .filter((c) => c.tool === 'helm')
      .map((c) => [c.argv.at(-1), (c as { sleptMs?: number }).sleptMs]);
    expect(slept).toEqual(
      expect.arrayContaining([
        ['kind-slow', 300],
        ['kind-quick', undefined],
      ]),
    );
  });
});

describe('image pulls (FAKE toolchain)', () => {
  it('each distinct image of a release is pulled once per cluster, at MESHSPEC_FAKE_PULL_MS each, and not again on upgrade', () => {
    const f = fake({ pullMs: 50 });
    for (const name of ['a', 'b']) f.call('kind', ['create', 'cluster', '--name', name, '--config', f.kindConfig(name)]);
    f.call('helm', [...METALLB, '--kube-context', 'kind-a']);
    f.call('helm', [...METALLB, '--kube-context', 'kind-b']);
    f.call('helm', [...METALLB, '--kube-context', 'kind-a']); // an upgrade: the node has the images
    const pulls = f.pulls();
    const images = [...new Set(pulls.map((p) => p.image))];
    expect(images.length).toBeGreaterThan(0);
    for (const image of images)
      expect(
        pulls
          .filter((p) => p.image === image)
          .map((p) => p.context)
          .sort(),
      ).toEqual(['kind-a', 'kind-b']);
    expect(pulls.every((p) => p.source === 'upstream' && p.ms === 50)).toBe(true);
  });

  it.each([
    [
      'a registry.mirrors patch (the ctlptl pattern)',
      '[plugins."io.containerd.grpc.v1.cri".registry.mirrors."quay.io"]\n  endpoint = ["http://meshspec-registry-quay:5000"]',
    ],
    ["containerd's hosts directory (meshspec's registryMirror)", CONTAINERD_CONFIG_PATCH],
  ])(
    'clusters created with a registry mirror (%s) pull each image from the internet once; the others get it from the mirror',
    (_how, mirror) => {
      const f = fake({ pullMs: 50 });
      for (const name of ['a', 'b', 'c']) f.call('kind', ['create', 'cluster', '--name', name, '--config', f.kindConfig(name, [mirror])]);
      for (const name of ['a', 'b', 'c']) f.call('helm', [...METALLB, '--kube-context', `kind-${name}`]);
      const pulls = f.pulls();
      for (const image of new Set(pulls.map((p) => p.image))) {
        const mine = pulls.filter((p) => p.image === image);
        expect(mine).toHaveLength(3);
        expect(mine.filter((p) => p.source === 'upstream-via-mirror')).toHaveLength(1);
        expect(mine.filter((p) => p.source === 'mirror').map((p) => p.ms)).toEqual([5, 5]);
      }
    },
  );

  it('a rollout the simulated cluster waits for pays for the pulls of its images', async () => {
    const f = fake({ pullMs: 40 });
    f.call('kind', ['create', 'cluster', '--name', 'a', '--config', f.kindConfig('a')]);
    const kube = f.t.clusters.forContext('kind-a');
    await kube.apply([
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'default' },
        spec: {
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: {
              initContainers: [{ name: 'init', image: 'busybox:1.36' }],
              containers: [{ name: 'web', image: 'ghcr.io/stefanprodan/podinfo:6.5.4' }],
            },
          },
        },
      },
    ]);
    const began = performance.now();
    await kube.waitForRollout('Deployment', 'web', 'default');
    expect(performance.now() - began).toBeGreaterThanOrEqual(80);
    expect(f.pulls().map((p) => p.image)).toEqual(['busybox:1.36', 'ghcr.io/stefanprodan/podinfo:6.5.4']);
    const again = performance.now();
    await kube.waitForRollout('Deployment', 'web', 'default');
    expect(performance.now() - again).toBeLessThan(40);
  });
});
