// The BUILT `meshspec` binary (packages/cli/dist/bin.js, from `pnpm build`) run as a child process, the
// way a user runs it, against the real kube-apiservers of the integration harness (global-setup.ts).
// One temp project per run: topology.yaml (clusters east/west on the harness contexts, the workloads demo
// and a manifests entry) + a copy of fixtures/cli/manifests + a package.json so config search stops there.
// Every claim about the clusters is checked on objects read back from the API server with core's KubeClient.
// The tests run in order and build on each other: validate/plan -> apply -> no-op apply -> change -> --only
// -> status -> destroy; the error cases use their own project dirs.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKubeClientFactory, parseManifestText, type KubeClient, type KubeObject } from '@meshspec/core';
import { DEFAULT_PODINFO_IMAGE } from '@meshspec/plugin-workloads';
import { REPO_ROOT } from './harness/control-plane.js';
import { MESHSPEC_BIN, runMeshspec, type CliRun } from './fixtures/meshspec-binary.js';

const kubeconfig = inject('kubeconfig');
const contexts = inject('contexts');

const FIXTURE_MANIFESTS = resolve(import.meta.dirname, 'fixtures/cli/manifests');
const TOPOLOGY_NAME = 'it-cli';
const DEMO_NS = 'it-cli-demo';
const WIDGETS_NS = 'it-cli-widgets';
const CRD = {
  group: 'it-cli.meshspec.dev',
  name: 'widgets.it-cli.meshspec.dev',
  apiVersion: 'it-cli.meshspec.dev/v1',
  kind: 'Widget',
  object: 'sprocket',
};
const DEMO_DEPLOYMENTS = ['podinfo', 'frontend'] as const;
const CLUSTERS = ['east', 'west'] as const;
const STEP = {
  demo: (c: string) => `workloads:demo@${c}`,
  manifests: (c: string) => `workloads:manifests:widgets@${c}`,
};
const ALL_STEPS = CLUSTERS.flatMap((c) => [STEP.demo(c), STEP.manifests(c)]);
/** A podinfo image other than the default: changing it makes both demo steps stale (kwok never pulls it). */
const OTHER_PODINFO_IMAGE = 'ghcr.io/stefanprodan/podinfo:6.7.0';
/** A line of a JS stack trace (`    at fn (file:1:2)`). */
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

/** Runs the built binary like a user in CI would: in the project dir, CI=true, no KUBECONFIG of its own. */
function meshspec(cwd: string, args: string[], timeoutMs = 240_000): Promise<CliRun> {
  // KUBECONFIG points nowhere, so every cluster call must go through --kubeconfig.
  return runMeshspec(cwd, args, { ...process.env, CI: 'true', NO_COLOR: '1', KUBECONFIG: join(cwd, 'no-such-kubeconfig') }, timeoutMs);
}

/** What a failed run printed, for assertion messages. */
const shown = (r: CliRun) => `exit ${r.code}\n--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`;

interface RunEvent {
  type: 'step-start' | 'step-skip' | 'step-done' | 'step-fail' | 'run-done';
  id?: string;
  reason?: string;
  ok?: boolean;
  ts: string;
}

/** `--output json` is NDJSON: every non-empty stdout line must parse on its own. */
function eventsOf(run: CliRun): RunEvent[] {
  return run.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as RunEvent;
      } catch {
        throw new Error(`stdout line is not JSON: ${JSON.stringify(line)}\n${shown(run)}`);
      }
    });
}

const idsOf = (events: RunEvent[], type: RunEvent['type']) =>
  events
    .filter((e) => e.type === type)
    .map((e) => e.id!)
    .sort();

function topologyYaml(options: { podinfoImage?: string; clusters?: Record<string, string> } = {}): string {
  const clusters = options.clusters ?? { east: contexts[0]!, west: contexts[1]! };
  return `apiVersion: meshspec.dev/v1alpha1
kind: Topology
metadata: { name: ${TOPOLOGY_NAME} }
clusters:
${Object.entries(clusters)
  .map(([name, context]) => `  ${name}: { context: ${context} }`)
  .join('\n')}
workloads:
  demo:
    namespace: ${DEMO_NS}
    loadGenerators: false
${options.podinfoImage ? `    podinfoImage: ${options.podinfoImage}\n` : ''}  manifests:
  - { name: widgets, path: manifests }
`;
}

/** A throwaway project: topology.yaml, a copy of the manifests fixture, and a package.json (config search stops here). */
function makeProject(topology: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'meshspec-it-cli-'));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'it-cli-project', private: true })}\n`);
  writeFileSync(join(dir, 'topology.yaml'), topology);
  cpSync(FIXTURE_MANIFESTS, join(dir, 'manifests'), { recursive: true });
  return dir;
}

interface StateFile {
  topology: string;
  steps: Record<string, { fingerprint: string; completedAt: string; durationMs?: number }>;
  lastApply?: { ran: number; wallMs: number };
}
const readState = (dir: string) => JSON.parse(readFileSync(join(dir, '.meshspec', TOPOLOGY_NAME, 'state.json'), 'utf8')) as StateFile;

const projects: string[] = [];
let project: string;
const kube: Record<string, KubeClient> = {};

const deployment = (c: string, name: string) => kube[c]!.get('apps/v1', 'Deployment', name, DEMO_NS);
const widget = (c: string) => kube[c]!.get(CRD.apiVersion, CRD.kind, CRD.object, WIDGETS_NS);
const podinfoImageIn = async (c: string) => {
  const d = await deployment(c, 'podinfo');
  return (d?.['spec'] as { template: { spec: { containers: { image: string }[] } } } | undefined)?.template.spec.containers[0]?.image;
};

/** Rolled out: the controller saw the latest spec and every wanted replica is updated and available. */
function rolledOut(d: KubeObject | undefined): boolean {
  if (!d) return false;
  const spec = d['spec'] as { replicas?: number };
  const status = (d['status'] ?? {}) as { observedGeneration?: number; updatedReplicas?: number; availableReplicas?: number };
  const wanted = spec.replicas ?? 1;
  return (
    (status.observedGeneration ?? 0) >= ((d.metadata['generation'] as number | undefined) ?? 1) &&
    status.updatedReplicas === wanted &&
    status.availableReplicas === wanted
  );
}

const goneOrDeleting = (o: KubeObject | undefined) => o === undefined || !!o.metadata['deletionTimestamp'];

beforeAll(() => {
  if (!existsSync(MESHSPEC_BIN))
    throw new Error(`the built meshspec binary is missing: ${MESHSPEC_BIN}\nBuild it first: cd ${REPO_ROOT} && pnpm build`);
  expect(contexts.length, 'these tests need two clusters (MESHSPEC_IT_CLUSTERS >= 2)').toBeGreaterThanOrEqual(2);
  expect(
    inject('controllers'),
    'Deployments only roll out with kube-controller-manager, kube-scheduler and kwok: run `bash scripts/test-assets/provision.sh`',
  ).toBe(true);
  const factory = createKubeClientFactory({ kubeconfigPath: kubeconfig });
  kube['east'] = factory.forContext(contexts[0]!);
  kube['west'] = factory.forContext(contexts[1]!);
  project = makeProject(topologyYaml());
  projects.push(project);
});

afterAll(async () => {
  // destroy leaves the fixture's CRD and namespace (shared ground, not labelled by meshspec): remove them here.
  for (const c of CLUSTERS) {
    const client = kube[c];
    if (!client) continue;
    await client.delete(CRD.apiVersion, CRD.kind, CRD.object, WIDGETS_NS).catch(() => {});
    await client.delete('apiextensions.k8s.io/v1', 'CustomResourceDefinition', CRD.name).catch(() => {});
    await client.delete('v1', 'Namespace', WIDGETS_NS).catch(() => {});
  }
  if (!process.env.MESHSPEC_IT_KEEP) for (const dir of projects) rmSync(dir, { recursive: true, force: true });
});

describe('meshspec binary integration (real kube-apiserver)', () => {
  it('the fixture lists the custom resource before its CRD and Namespace (so apply must order them)', () => {
    const kinds = parseManifestText(readFileSync(join(FIXTURE_MANIFESTS, 'widgets.yaml'), 'utf8')).map((o) => o.kind);
    expect(kinds).toEqual([CRD.kind, 'Namespace', 'CustomResourceDefinition']);
  });

  it('validate exits 0; plan lists the demo and manifests steps per cluster; neither writes a state dir', async () => {
    const validate = await meshspec(project, ['validate', 'topology.yaml']);
    expect(validate.code, shown(validate)).toBe(0);
    expect(validate.stdout).toContain('topology.yaml: valid — 2 clusters (east, west), 4 steps');

    const plan = await meshspec(project, ['plan', 'topology.yaml']);
    expect(plan.code, shown(plan)).toBe(0);
    const listed = [...plan.stdout.matchAll(/^\s*\d+\. (\S+)/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual([...ALL_STEPS].sort());
    // The plan names the real contexts and the manifests' location.
    expect(plan.stdout).toContain(`--context ${contexts[0]} <- Namespace ${DEMO_NS}`);
    expect(plan.stdout).toContain(`--context ${contexts[1]} <- ${join(project, 'manifests')}`);

    expect(existsSync(join(project, '.meshspec')), 'validate/plan must have no side effects').toBe(false);
    for (const c of CLUSTERS) expect(await kube[c]!.get('v1', 'Namespace', DEMO_NS), `plan must not touch cluster ${c}`).toBeUndefined();
  });

  it('apply rolls out podinfo and frontend and applies the CR (listed before its CRD) in both clusters', async () => {
    const run = await meshspec(project, ['apply', 'topology.yaml', '--kubeconfig', kubeconfig]);
    expect(run.code, shown(run)).toBe(0);
    expect(run.stderr, 'no stack trace').not.toMatch(STACK_LINE);
    expect(run.stderr).not.toContain('internal error');

    for (const c of CLUSTERS) {
      for (const name of DEMO_DEPLOYMENTS) {
        const d = await deployment(c, name);
        expect(d, `deployment ${DEMO_NS}/${name} in ${c}`).toBeDefined();
        expect(rolledOut(d), `deployment ${DEMO_NS}/${name} in ${c} rolled out; status: ${JSON.stringify(d?.['status'])}`).toBe(true);
      }
      const ns = await kube[c]!.get('v1', 'Namespace', DEMO_NS);
      expect(ns?.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('meshspec');
      const crd = await kube[c]!.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', CRD.name);
      expect(crd, `CRD in ${c}`).toBeDefined();
      const cr = await widget(c);
      expect(cr?.['spec'], `Widget ${WIDGETS_NS}/${CRD.object} in ${c}`).toEqual({ size: 3, color: 'blue' });
    }
    const state = readState(project);
    expect(Object.keys(state.steps).sort()).toEqual([...ALL_STEPS].sort());
  });

  it('a second apply (--output json) starts nothing: every step is skipped as up to date', async () => {
    const run = await meshspec(project, ['apply', 'topology.yaml', '--kubeconfig', kubeconfig, '--output', 'json']);
    expect(run.code, shown(run)).toBe(0);
    const events = eventsOf(run);
    expect(idsOf(events, 'step-start')).toEqual([]);
    const skips = events.filter((e) => e.type === 'step-skip');
    expect(skips.map((e) => e.id).sort()).toEqual([...ALL_STEPS].sort());
    for (const e of skips) expect(e.reason, e.id).toBe('up to date');
    expect(events.filter((e) => !['step-skip', 'run-done'].includes(e.type))).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'run-done', ok: true });
  });

  it('plan -o mermaid after those applies: every step up to date with its recorded duration, and the wall time the first apply kept', async () => {
    const state = readState(project);
    for (const id of ALL_STEPS) expect(state.steps[id]?.durationMs, `${id} durationMs`).toEqual(expect.any(Number));
    // The no-op second apply ran nothing, so the first apply's record stands.
    expect(state.lastApply).toMatchObject({ ran: ALL_STEPS.length });
    const plan = await meshspec(project, ['plan', 'topology.yaml', '-o', 'mermaid']);
    expect(plan.code, shown(plan)).toBe(0);
    const labels = [...plan.stdout.matchAll(/^ +s\d+\["(.*)"\]$/gm)].map((m) => m[1]!);
    expect(labels).toHaveLength(ALL_STEPS.length);
    // Recorded durations carry no `~` (that marks an estimate); every step is greyed as up to date.
    for (const label of labels) expect(label).toMatch(/<br\/>\d[^~]* up to date$/);
    expect(plan.stdout).toMatch(/^ {2}class (s\d+,){3}s\d+ upToDate$/m);
    expect(plan.stdout).toContain(`(recorded); all steps one after another`);
    expect(plan.stdout).toMatch(new RegExp(`last apply \\S+( \\S+)? wall time \\(${ALL_STEPS.length} steps ran, finished `));
  });

  it('editing the manifest reruns exactly the two manifests steps, and the new spec is in both clusters', async () => {
    const file = join(project, 'manifests', 'widgets.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('size: 3', 'size: 5'));

    const run = await meshspec(project, ['apply', 'topology.yaml', '--kubeconfig', kubeconfig, '--output', 'json']);
    expect(run.code, shown(run)).toBe(0);
    const events = eventsOf(run);
    const manifests = CLUSTERS.map(STEP.manifests).sort();
    expect(idsOf(events, 'step-start')).toEqual(manifests);
    expect(idsOf(events, 'step-done')).toEqual(manifests);
    expect(idsOf(events, 'step-skip')).toEqual(CLUSTERS.map(STEP.demo).sort());
    for (const e of events.filter((x) => x.type === 'step-skip')) expect(e.reason).toBe('up to date');

    for (const c of CLUSTERS) expect((await widget(c))?.['spec'], `Widget in ${c}`).toEqual({ size: 5, color: 'blue' });
  });

  it("apply --only 'workloads:demo@east' runs only that step; a full apply then brings west along", async () => {
    const before = readState(project);
    writeFileSync(join(project, 'topology.yaml'), topologyYaml({ podinfoImage: OTHER_PODINFO_IMAGE }));

    const only = await meshspec(project, [
      'apply',
      'topology.yaml',
      '--kubeconfig',
      kubeconfig,
      '--output',
      'json',
      '--only',
      STEP.demo('east'),
    ]);
    expect(only.code, shown(only)).toBe(0);
    const events = eventsOf(only);
    // Only the selected step appears at all: the others are not part of the run.
    expect([...new Set(events.filter((e) => e.id).map((e) => e.id))]).toEqual([STEP.demo('east')]);
    expect(idsOf(events, 'step-start')).toEqual([STEP.demo('east')]);
    expect(idsOf(events, 'step-done')).toEqual([STEP.demo('east')]);

    expect(await podinfoImageIn('east')).toBe(OTHER_PODINFO_IMAGE);
    expect(await podinfoImageIn('west'), 'west was not selected').toBe(DEFAULT_PODINFO_IMAGE);
    expect(rolledOut(await deployment('east', 'podinfo')), 'east podinfo rolled out to the new image').toBe(true);
    const after = readState(project);
    expect(after.steps[STEP.demo('west')]).toEqual(before.steps[STEP.demo('west')]);
    expect(after.steps[STEP.demo('east')]!.fingerprint).not.toBe(before.steps[STEP.demo('east')]!.fingerprint);

    const full = await meshspec(project, ['apply', 'topology.yaml', '--kubeconfig', kubeconfig, '--output', 'json']);
    expect(full.code, shown(full)).toBe(0);
    expect(idsOf(eventsOf(full), 'step-start')).toEqual([STEP.demo('west')]);
    expect(await podinfoImageIn('west')).toBe(OTHER_PODINFO_IMAGE);
  });

  it('status exits 0 (no plugin of this topology has live checks: it prints "0/0 checks passed")', async () => {
    const run = await meshspec(project, ['status', 'topology.yaml', '--kubeconfig', kubeconfig]);
    expect(run.code, shown(run)).toBe(0);
    // workloads (the only plugin used) defines no plugin-level status(), and step status() hooks are not
    // what `status` runs: the command has nothing to check. Update this when workloads gets live checks.
    expect(run.stdout, shown(run)).toBe('0/0 checks passed\n');
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it('destroy exits 0, deletes the demo in both clusters and forgets every step in state.json', async () => {
    const run = await meshspec(project, ['destroy', 'topology.yaml', '--kubeconfig', kubeconfig]);
    expect(run.code, shown(run)).toBe(0);
    expect(run.stderr).not.toMatch(STACK_LINE);

    for (const c of CLUSTERS) {
      for (const name of DEMO_DEPLOYMENTS)
        expect(goneOrDeleting(await deployment(c, name)), `deployment ${DEMO_NS}/${name} in ${c}`).toBe(true);
      expect(goneOrDeleting(await kube[c]!.get('v1', 'Namespace', DEMO_NS)), `namespace ${DEMO_NS} in ${c}`).toBe(true);
      // The user's custom resource goes; its CRD and namespace are shared ground and stay (not labelled by meshspec).
      expect(goneOrDeleting(await widget(c)), `Widget in ${c}`).toBe(true);
      expect(await kube[c]!.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', CRD.name), `CRD in ${c}`).toBeDefined();
    }
    expect(run.stderr).toMatch(/^done: 4 destroyed \(/m);
    expect(readState(project).steps).toEqual({});
  });

  describe('errors name the cluster and context in one line, exit 1, no stack trace', () => {
    it('a --kubeconfig path that does not exist', async () => {
      const dir = makeProject(topologyYaml({ clusters: { lonely: contexts[0]! } }).replace(DEMO_NS, 'it-cli-errors'));
      projects.push(dir);
      const missing = join(dir, 'missing-kubeconfig');
      const run = await meshspec(dir, ['apply', 'topology.yaml', '--kubeconfig', missing]);
      expect(run.code, shown(run)).toBe(1);
      expect(run.stderr).not.toMatch(STACK_LINE);
      expect(run.stderr).not.toContain('internal error');
      expect(run.stderr.trim(), shown(run)).toBe(`meshspec: --kubeconfig ${missing}: no such file`);
      expect(await kube['east']!.get('v1', 'Namespace', 'it-cli-errors')).toBeUndefined();
    });

    it('a context that is not in the kubeconfig', async () => {
      const dir = makeProject(topologyYaml({ clusters: { ghost: 'it-cli-no-such-context' } }).replace(DEMO_NS, 'it-cli-errors'));
      projects.push(dir);
      const run = await meshspec(dir, ['apply', 'topology.yaml', '--kubeconfig', kubeconfig]);
      expect(run.code, shown(run)).toBe(1);
      expect(run.stderr).not.toMatch(STACK_LINE);
      expect(run.stderr).not.toContain('internal error');
      const line = run.stderr.split('\n').find((l) => l.includes('✖ workloads:demo@ghost (cluster ghost):'));
      expect(line, shown(run)).toBeDefined();
      expect(line).toContain(`kube context "it-cli-no-such-context" is not in kubeconfig ${kubeconfig} (it has: ${contexts.join(', ')})`);
    });
  });
});
