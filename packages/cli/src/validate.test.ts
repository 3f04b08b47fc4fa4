// `meshspec validate`: the examples are valid, the seed's original subnets are not, and every mistake in a
// file is reported at once with file:line:col — never as a stack trace.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_WARNINGS, EXAMPLES, FIXTURES, onlyWarnings, REPO, runCli, stackFrames } from './__fixtures__/run-cli.js';

const temp = mkdtempSync(join(tmpdir(), 'meshspec-validate-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/**
 * `file:line:col error path: message` header lines of the text diagnostics, with `dir/` cut off the front:
 * run with a cwd other than the process's, the CLI names the file by its absolute path.
 */
function positioned(stderr: string, dir?: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => /^\S+:\d+:\d+ error /.test(line))
    .map((line) => (dir && line.startsWith(`${dir}/`) ? line.slice(dir.length + 1) : line));
}

describe('validate: the examples', () => {
  it.each([
    ['linkerd-multicluster', '2 clusters (demo, demo3)'],
    ['three-clusters', '3 clusters (east, west, north)'],
    ['modern-linkerd', '2 clusters (east, west)'],
    // Its banner section is only known through meshspec.config.mjs, found by searching from the topology's folder.
    ['custom-plugin', '2 clusters (east, west)'],
  ])('%s is valid', async (name, summary) => {
    const { code, stdout, stderr } = await runCli(['validate', `examples/${name}/topology.yaml`]);
    expect(onlyWarnings(stderr)).toEqual({ paths: EXAMPLE_WARNINGS[name], errors: 0 });
    expect(stdout).toMatch(new RegExp(`^examples/${name}/topology\\.yaml: valid — ${summary.replace(/[()]/g, '\\$&')}, \\d+ steps\n$`));
    expect(code).toBe(0);
  });

  it('the seed keeps its 2022 versions and validates, with the ingress-nginx deprecation positioned and its fix', async () => {
    const { code, stderr } = await runCli(['validate', 'examples/linkerd-multicluster/topology.yaml']);
    expect(code).toBe(0);
    expect(stderr).toContain(
      'examples/linkerd-multicluster/topology.yaml:22:1 warning ingress.controller: ingress-nginx is retired: no releases or security fixes after March 2026\n',
    );
    expect(stderr).toContain('fix: switch to the Gateway API ingress: ingress.controller: envoy-gateway');
    expect(stderr).toMatch(/1 warning\n+$/);
  });

  it('-o json lists the warnings beside valid: true', async () => {
    const { code, stdout } = await runCli(['validate', 'examples/modern-linkerd/topology.yaml', '-o', 'json']);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc).toMatchObject({ valid: true, diagnostics: [] });
    expect(doc.warnings).toEqual([
      expect.objectContaining({ path: 'smi', severity: 'warning', line: 23, column: 1, fix: expect.any(String) }),
    ]);
  });

  it('custom-plugin: the banner key is unknown without its config', async () => {
    const cwd = join(EXAMPLES, 'custom-plugin');
    // An explicit empty config replaces the searched one, so only the built-in plugins are loaded.
    writeFileSync(join(temp, 'empty.json'), '{}');
    const { code, stderr } = await runCli(['validate', 'topology.yaml', '--config', join(temp, 'empty.json')], { cwd });
    expect(code).toBe(1);
    expect(positioned(stderr, cwd)).toEqual(["topology.yaml:12:1 error banner: unknown key 'banner'"]);
  });

  it('seed-original-subnets.yaml: host bits and the collision they hide, both at line:col', async () => {
    const { code, stdout, stderr } = await runCli(['validate', 'examples/linkerd-multicluster/seed-original-subnets.yaml']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(positioned(stderr, REPO)).toEqual([
      'examples/linkerd-multicluster/seed-original-subnets.yaml:9:53 error clusters.demo3.serviceSubnet: 10.97.0.0/12 has host bits set; its network is 10.96.0.0/12',
      'examples/linkerd-multicluster/seed-original-subnets.yaml:9:53 error clusters.demo3.serviceSubnet: serviceSubnet 10.97.0.0/12 (network 10.96.0.0/12) of cluster demo3 overlaps serviceSubnet 10.96.0.0/12 of cluster demo; clusters must not share pod or service ranges',
    ]);
    expect(stderr).toContain('fix: ');
    // The seed file also carries the ingress-nginx deprecation, reported with the errors.
    expect(stderr).toMatch(/2 problems found, 1 warning\n+$/);
    expect(stackFrames(stderr)).toEqual([]);
  });
});

describe('validate: all mistakes at once', () => {
  // Shape (YAML + schema) problems are reported together; semantic checks need a well-shaped file, so
  // their mistakes live in a second fixture. Each fixture has exactly five.
  it('schema-mistakes.yaml: five positioned errors, each with a fix', async () => {
    const { code, stdout, stderr } = await runCli(['validate', join(FIXTURES, 'schema-mistakes.yaml')], { cwd: FIXTURES });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(positioned(stderr, FIXTURES)).toEqual([
      "schema-mistakes.yaml:6:11 error clusters.east.podSubnett: unknown key 'podSubnett'",
      "schema-mistakes.yaml:9:3 error kindClusters.workerz: unknown key 'workerz'",
      'schema-mistakes.yaml:11:17 error metallb.chartVersion: must be a string, but is the number 14',
      "schema-mistakes.yaml:14:10 error linkerd.links: must be one of 'full-mesh', 'none' or a list, but is 'fullmesh'",
      "schema-mistakes.yaml:15:3 error linkerd.version: duplicate key 'version': it is already set on line 13",
    ]);
    expect(stderr).toContain("fix: did you mean 'workers'? rename 'workerz' to 'workers'");
    expect(stderr).toContain("fix: did you mean 'podSubnet'?");
    expect(stderr.match(/^ {2}fix: /gm)).toHaveLength(5);
    expect(stderr).toMatch(/5 problems found\n+$/);
    expect(stackFrames(stderr)).toEqual([]);
  });

  it('semantic-mistakes.yaml: host bits, overlap, unknown cluster, self link, duplicate link', async () => {
    const cwd = join(FIXTURES, '..');
    const { code, stderr } = await runCli(['validate', '__fixtures__/semantic-mistakes.yaml'], { cwd });
    expect(code).toBe(1);
    expect(positioned(stderr, cwd)).toEqual([
      '__fixtures__/semantic-mistakes.yaml:8:22 error clusters.west.podSubnet: 10.245.1.0/16 has host bits set; its network is 10.245.0.0/16',
      '__fixtures__/semantic-mistakes.yaml:8:52 error clusters.west.serviceSubnet: serviceSubnet 10.96.0.0/16 of cluster west overlaps serviceSubnet 10.96.0.0/16 of cluster east; clusters must not share pod or service ranges',
      '__fixtures__/semantic-mistakes.yaml:14:25 error linkerd.links[0].to: link to "nowhere" is not a cluster of this topology',
      '__fixtures__/semantic-mistakes.yaml:15:7 error linkerd.links[1]: link from "west" to itself',
      '__fixtures__/semantic-mistakes.yaml:17:7 error linkerd.links[3]: duplicate link east -> west',
    ]);
    expect(stderr.match(/^ {2}fix: /gm)).toHaveLength(5);
    expect(stackFrames(stderr)).toEqual([]);
  });

  it('--output json: parseable diagnostics on stdout, nothing on stderr', async () => {
    const { code, stdout, stderr } = await runCli(['validate', join(FIXTURES, 'schema-mistakes.yaml'), '-o', 'json']);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout) as {
      valid: boolean;
      diagnostics: { file: string; line: number; column: number; path: string; message: string; fix?: string }[];
    };
    expect(report.valid).toBe(false);
    expect(report.diagnostics.map((d) => `${d.line}:${d.column} ${d.path}`)).toEqual([
      '6:11 clusters.east.podSubnett',
      '9:3 kindClusters.workerz',
      '11:17 metallb.chartVersion',
      '14:10 linkerd.links',
      '15:3 linkerd.version',
    ]);
    for (const d of report.diagnostics) {
      expect(d.file).toBe(join(FIXTURES, 'schema-mistakes.yaml'));
      expect(d.fix).toEqual(expect.any(String));
    }
  });

  it('--output json on a valid file', async () => {
    const { code, stdout } = await runCli(['validate', 'examples/three-clusters/topology.yaml', '--output', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      valid: true,
      diagnostics: [],
      warnings: [expect.objectContaining({ path: 'ingress.controller', severity: 'warning' })],
      clusters: ['east', 'west', 'north'],
      steps: expect.any(Number),
    });
  });
});

describe('validate: Kubernetes versions Linkerd supports', () => {
  it('rejects Linkerd 2.20 on a Kubernetes 1.37 node image, at the image, with a pinned image inside 1.31-1.35 as the fix', async () => {
    const file = 'packages/cli/src/__fixtures__/linkerd-2.20-on-kubernetes-1.37.yaml';
    const { code, stdout, stderr } = await runCli(['validate', file]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(positioned(stderr, REPO)).toEqual([
      `${file}:9:14 error kindClusters.nodeImage: clusters east, west run Kubernetes 1.37 (kindest/node:v1.37.0), but Linkerd 2.20 (edge-26.6.3) supports Kubernetes 1.31-1.35`,
    ]);
    expect(stderr).toContain(
      'fix: pin a node image inside 1.31-1.35: nodeImage: kindest/node:v1.35.8@sha256:07b2536e30b803ed61d1677a79df6115f798ce64c80f9e22f6ed45afd09323c0',
    );
    expect(stackFrames(stderr)).toEqual([]);
  });
});

describe('validate: files and config that cannot be used', () => {
  it('missing topology file', async () => {
    const { code, stdout, stderr } = await runCli(['validate', 'no/such/topology.yaml'], { cwd: temp });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`meshspec: no such file: ${join(temp, 'no/such/topology.yaml')}; check the path of the topology file\n`);
  });

  it('a directory instead of a file', async () => {
    const { code, stderr } = await runCli(['validate', 'examples/three-clusters']);
    expect(code).toBe(1);
    expect(stderr).toContain('is a directory; give the topology file, e.g. ');
    expect(stderr).toContain('three-clusters/topology.yaml');
  });

  it('a config naming a plugin file that does not exist', async () => {
    const dir = mkdtempSync(join(temp, 'missing-plugin-'));
    writeFileSync(join(dir, 'meshspec.config.mjs'), "export default { plugins: ['./not-there.mjs'] };\n");
    writeFileSync(
      join(dir, 'topology.yaml'),
      'apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: t }\nclusters: { a: {} }\n',
    );
    const { code, stderr } = await runCli(['validate', 'topology.yaml'], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toMatch(new RegExp(`^meshspec: ${join(dir, 'meshspec.config.mjs')}: plugin './not-there.mjs' failed to load: `));
    expect(stderr).toContain('not-there.mjs');
    expect(stderr).not.toContain('internal error');
    expect(stackFrames(stderr)).toEqual([]);
  });

  it('a config naming a package that is not installed', async () => {
    const dir = mkdtempSync(join(temp, 'missing-package-'));
    writeFileSync(join(dir, 'meshspec.config.json'), JSON.stringify({ plugins: ['@acme/meshspec-plugin-nope'] }));
    writeFileSync(
      join(dir, 'topology.yaml'),
      'apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: t }\nclusters: { a: {} }\n',
    );
    const { code, stderr } = await runCli(['validate', 'topology.yaml'], { cwd: dir });
    expect(code).toBe(1);
    expect(stderr).toContain("plugin package '@acme/meshspec-plugin-nope' is not installed; run `pnpm add -D @acme/meshspec-plugin-nope`");
  });

  it('an explicit --config that does not exist', async () => {
    const { code, stderr } = await runCli(['validate', 'examples/three-clusters/topology.yaml', '--config', 'nope.config.mjs']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^meshspec: cannot read meshspec config .*nope\.config\.mjs: /);
    expect(stackFrames(stderr)).toEqual([]);
  });

  it('malformed YAML is one positioned error', async () => {
    const file = join(temp, 'broken.yaml');
    writeFileSync(file, 'apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nclusters: { a: {\n');
    const { code, stderr } = await runCli(['validate', file]);
    expect(code).toBe(1);
    expect(positioned(stderr).length).toBeGreaterThanOrEqual(1);
    expect(positioned(stderr)[0]).toMatch(new RegExp(`^${file}:\\d+:\\d+ error `));
    expect(stackFrames(stderr)).toEqual([]);
  });
});
