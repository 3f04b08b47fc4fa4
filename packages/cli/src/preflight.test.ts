// apply checks every tool its steps will run before the first step: with docker missing it says so (with
// everything else that is missing) and writes nothing — no state dir, trust anchor, keys or state.json.
// The other tools are the recorded FAKE toolchain (test/fake-toolchain), so only their `version` answers run.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, REPO, runCli, stackFrames } from './__fixtures__/run-cli.js';

const FAKE_BIN = join(REPO, 'test/fake-toolchain/bin');

/** A PATH holding node and the named FAKE tools only. */
function pathWith(tools: string[]): string {
  const bin = mkdtempSync(join(tmpdir(), 'meshspec-preflight-bin-'));
  for (const tool of tools) symlinkSync(join(FAKE_BIN, tool), join(bin, tool));
  return `${bin}:${dirname(process.execPath)}`;
}

function project(example: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshspec-preflight-'));
  cpSync(join(EXAMPLES, example, 'topology.yaml'), join(dir, 'topology.yaml'));
  return dir;
}

describe('preflight before apply (FAKE toolchain for the tools that are present)', () => {
  it('docker missing: one error naming it, exit 1, and nothing written', async () => {
    const dir = project('linkerd-multicluster');
    const { code, stderr } = await runCli(['apply', 'topology.yaml'], {
      cwd: dir,
      env: { PATH: pathWith(['kind', 'helm', 'linkerd', 'linkerd-smi']) },
    });
    expect(code).toBe(1);
    expect(stderr).toContain('preflight');
    expect(stderr).toMatch(/docker is not on PATH \(plugin kind uses it/);
    expect(stderr).toContain('nothing was changed');
    expect(stderr).not.toMatch(/\bhelm is not on PATH/);
    expect(stackFrames(stderr)).toEqual([]);
    expect(readdirSync(dir)).toEqual(['topology.yaml']);
    expect(existsSync(join(dir, '.meshspec'))).toBe(false);
  });

  it('-o json: the preflight failure is a JSON line on stdout', async () => {
    const dir = project('linkerd-multicluster');
    const { code, stdout } = await runCli(['apply', 'topology.yaml', '-o', 'json'], { cwd: dir, env: { PATH: pathWith([]) } });
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      ok: false,
      error: { kind: 'MeshspecError', message: expect.stringContaining('docker is not on PATH') },
    });
  });

  it('names every missing tool at once', async () => {
    const dir = project('linkerd-multicluster');
    const { code, stderr } = await runCli(['apply', 'topology.yaml'], { cwd: dir, env: { PATH: pathWith([]) } });
    expect(code).toBe(1);
    for (const tool of ['docker', 'kind', 'helm', 'linkerd', 'linkerd-smi']) expect(stderr).toContain(`${tool} is not on PATH`);
    expect(existsSync(join(dir, '.meshspec'))).toBe(false);
  });

  it('a tool that answers no version is reported as broken', async () => {
    const dir = project('linkerd-multicluster');
    const bin = mkdtempSync(join(tmpdir(), 'meshspec-preflight-broken-'));
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'docker'), '#!/bin/sh\necho "Segmentation fault" >&2\nexit 139\n', { mode: 0o755 });
    const { code, stderr } = await runCli(['apply', 'topology.yaml'], {
      cwd: dir,
      env: { PATH: `${bin}:${pathWith(['kind', 'helm', 'linkerd', 'linkerd-smi'])}` },
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /docker at .* does not work: `docker version --format \{\{\.Client\.Version\}\}` printed no version \(exit 139: Segmentation fault\)/,
    );
    expect(existsSync(join(dir, '.meshspec'))).toBe(false);
  });

  it('Linkerd 2.18+ (HTTPRoute) does not need linkerd-smi; --only narrows to the tools of the selected steps', async () => {
    const dir = project('modern-linkerd');
    const { stderr } = await runCli(['apply', 'topology.yaml'], { cwd: dir, env: { PATH: pathWith([]) } });
    // (its validate warning about SMI names linkerd-smi; the preflight must not ask for it)
    expect(stderr).not.toMatch(/linkerd-smi is not on PATH/);
    expect(stderr).toMatch(/linkerd is not on PATH/);
    const only = await runCli(['apply', 'topology.yaml', '--only', 'kind:*'], { cwd: dir, env: { PATH: pathWith([]) } });
    expect(only.stderr).toContain('docker is not on PATH');
    expect(only.stderr).not.toMatch(/\b(helm|linkerd) is not on PATH/);
  });
});

describe('preflight: kubectl only for kustomize entries (FAKE tools on PATH)', () => {
  it('kubectl is needed only for kustomize entries of workloads.manifests', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshspec-preflight-wl-'));
    writeFileSync(join(dir, 'app.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x, namespace: default }\n');
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [app.yaml]\n');
    const yaml = (entry: string) =>
      `apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: wl }\nclusters: { a: { context: ctx-a } }\nworkloads: { manifests: [${entry}] }\n`;
    const apply = async () =>
      (await runCli(['apply', 'topology.yaml', '--kubeconfig', join(dir, 'app.yaml')], { cwd: dir, env: { PATH: pathWith([]) } })).stderr;
    writeFileSync(join(dir, 'topology.yaml'), yaml('{ name: app, path: app.yaml }'));
    expect(await apply()).not.toContain('kubectl is not on PATH');
    writeFileSync(join(dir, 'topology.yaml'), yaml('{ name: app, kustomize: . }'));
    expect(await apply()).toContain('kubectl is not on PATH (plugin workloads uses it: renders kustomize directories');
  });
});

describe('preflight: MetalLB pools against the real docker network (FAKE docker answering network inspect)', () => {
  function seedPools(dockerSubnet?: string): { dir: string; env: Record<string, string> } {
    const dir = mkdtempSync(join(tmpdir(), 'meshspec-preflight-pools-'));
    writeFileSync(
      join(dir, 'topology.yaml'),
      [
        'apiVersion: meshspec.dev/v1alpha1',
        'kind: Topology',
        'metadata: { name: pools }',
        'clusters: { demo: {}, demo3: {} }',
        'kindClusters: {}',
        // The seed procedure's pools, from docker's default bridge, while kind's network is 172.18.0.0/16.
        `metallb: { pools: { demo: 172.17.0.200-172.17.0.209, demo3: 172.17.0.210-172.17.0.219 }${dockerSubnet ? `, dockerSubnet: ${dockerSubnet}` : ''} }`,
        '',
      ].join('\n'),
    );
    const fakeState = join(dir, 'fake-state');
    mkdirSync(join(fakeState, 'docker', 'networks'), { recursive: true });
    // What `docker network create kind` left (as the fake records it): kind's usual 172.18.0.0/16.
    writeFileSync(
      join(fakeState, 'docker', 'networks', 'kind.json'),
      JSON.stringify({
        Name: 'kind',
        Id: 'f'.repeat(64),
        Driver: 'bridge',
        IPAM: {
          Driver: 'default',
          Options: {},
          Config: [{ Subnet: '172.18.0.0/16', Gateway: '172.18.0.1' }, { Subnet: 'fc00:f853:ccd:e793::/64' }],
        },
      }),
    );
    return {
      dir,
      env: { PATH: pathWith(['kind', 'docker', 'helm']), MESHSPEC_FAKE_STATE: fakeState, MESHSPEC_FAKE_LOG: join(dir, 'fake.log') },
    };
  }

  it('pools outside the existing kind network stop apply before anything is written', async () => {
    const { dir, env } = seedPools();
    const { code, stderr } = await runCli(['apply', 'topology.yaml'], { cwd: dir, env });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /metallb\.pools\.demo: pool 172\.17\.0\.200-172\.17\.0\.209 is outside the docker network kind \(172\.18\.0\.0\/16\)/,
    );
    expect(stderr).toMatch(/metallb\.pools\.demo3: pool 172\.17\.0\.210-172\.17\.0\.219 is outside/);
    expect(existsSync(join(dir, '.meshspec'))).toBe(false);
  });

  it('with dockerSubnet given, validate already says so (positioned)', async () => {
    const { dir } = seedPools('172.18.0.0/16');
    const { code, stderr } = await runCli(['validate', 'topology.yaml'], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /topology\.yaml:6:\d+ error metallb\.pools\.demo: pool 172\.17\.0\.200-172\.17\.0\.209 of cluster demo is outside the docker network 172\.18\.0\.0\/16/,
    );
  });
});
