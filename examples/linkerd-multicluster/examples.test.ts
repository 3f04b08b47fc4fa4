// The example topologies against the smi, ingress and workloads plugins: they validate cleanly and give the
// steps and split API their READMEs describe. (Whole-plan goldens across all plugins live with the CLI.)
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Diagnostic, type Plugin, type Topology, type ValidateContext } from '@meshspec/core/plugin';
import { factsAccess, factsOf, parseManifests } from '@meshspec/core/testing';
import { linkerdPlugin } from '@meshspec/plugin-linkerd';
import ingressPlugin from '@meshspec/plugin-ingress';
import smiPlugin, { renderSplitFor, resolveSmi, type SmiSection } from '@meshspec/plugin-smi';
import workloadsPlugin from '@meshspec/plugin-workloads';
import { describe, expect, it } from 'vitest';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..');
const plugins = [smiPlugin, ingressPlugin, workloadsPlugin] as Plugin[];

function load(name: string) {
  const file = join(examples, name);
  const topology = parseManifests(readFileSync(file, 'utf8'))[0] as unknown as Topology;
  const ctx: Omit<ValidateContext, 'facts' | 'clusters'> = {
    source: { file, text: '', positionOf: () => ({ line: 1, column: 1 }) },
    diagnostic: (path, message, fix): Diagnostic => ({
      file,
      line: 1,
      column: 1,
      path: path.join('.'),
      message,
      ...(fix ? { fix } : {}),
      source: 'example',
    }),
  };
  // Each plugin reads the others' facts as the engine gives them (checked against its declared dependencies).
  const diagnostics = plugins.flatMap((p) => p.validate?.(topology, topology[p.key], { ...ctx, ...factsAccess(topology, p) }) ?? []);
  const stepsCtx = { stateDir: '/state', topologyDir: dirname(file), contextOf: (c: string) => `kind-${c}` };
  const steps = plugins.flatMap((p) => p.steps(topology, topology[p.key], { ...stepsCtx, ...factsAccess(topology, p) }));
  return { topology, diagnostics, ids: steps.map((s) => s.id) };
}

function descriptionless(schema: unknown, path = ''): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const props = (node['properties'] ?? {}) as Record<string, Record<string, unknown>>;
  return [
    ...Object.entries(props).flatMap(([k, v]) => [
      ...(typeof v['description'] === 'string' ? [] : [`${path}.${k}`]),
      ...descriptionless(v, `${path}.${k}`),
    ]),
    ...descriptionless(node['items'], `${path}[]`),
    ...((node['anyOf'] as unknown[] | undefined) ?? []).flatMap((s) => descriptionless(s, path)),
  ];
}

describe('example topologies', () => {
  it.each([
    // The seed keeps its retired ingress-nginx (a warning, not an error); the modern split renders HTTPRoutes (SMI notice).
    ['linkerd-multicluster/topology.yaml', ['ingress.controller']],
    ['linkerd-multicluster/seed-original-subnets.yaml', ['ingress.controller']],
    ['three-clusters/topology.yaml', ['ingress.controller']],
    ['modern-linkerd/topology.yaml', ['smi']],
  ])('%s validates against smi/ingress/workloads (warnings: %j)', (name, warnings) => {
    const { diagnostics } = load(name);
    expect(diagnostics.filter((d) => d.severity !== 'warning')).toEqual([]);
    expect(diagnostics.map((d) => d.path)).toEqual(warnings);
  });

  it('linkerd-multicluster: the seed, TrafficSplit 50/50 in each cluster', () => {
    const { topology, ids } = load('linkerd-multicluster/topology.yaml');
    expect(ids).toEqual([
      'smi:install@demo',
      'smi:install@demo3',
      'smi:split:test/podinfo@demo',
      'smi:split:test/podinfo@demo3',
      'ingress:controller@demo',
      'ingress:route:test/frontend@demo',
      'ingress:controller@demo3',
      'ingress:route:test/frontend@demo3',
      'workloads:demo@demo',
      'workloads:demo@demo3',
    ]);
    const split = renderSplitFor(
      resolveSmi(topology.smi as SmiSection).splits[0]!,
      'demo3',
      Object.keys(topology.clusters),
      factsOf(linkerdPlugin, topology),
    );
    expect(split).toMatchObject({
      kind: 'TrafficSplit',
      spec: {
        backends: [
          { service: 'podinfo', weight: 50 },
          { service: 'podinfo-demo', weight: 50 },
        ],
      },
    });
  });

  it('linkerd-multicluster: the corrected service subnets do not overlap, the seed file keeps the broken ones', () => {
    const subnets = (name: string) => Object.values(load(name).topology.clusters).map((c) => c.serviceSubnet);
    expect(subnets('linkerd-multicluster/topology.yaml')).toEqual(['10.96.0.0/16', '10.97.0.0/16']);
    expect(subnets('linkerd-multicluster/seed-original-subnets.yaml')).toEqual(['10.96.0.0/12', '10.97.0.0/12']);
  });

  it('three-clusters: equal thirds in every cluster', () => {
    const { topology } = load('three-clusters/topology.yaml');
    const split = resolveSmi(topology.smi as SmiSection).splits[0]!;
    for (const c of ['east', 'west', 'north']) {
      const backends = (
        renderSplitFor(split, c, Object.keys(topology.clusters), factsOf(linkerdPlugin, topology))['spec'] as {
          backends: { service: string; weight: number }[];
        }
      ).backends;
      expect(backends.map((b) => b.weight)).toEqual([34, 33, 33]);
      expect(backends[0]!.service).toBe('podinfo');
    }
  });

  it('modern-linkerd: HTTPRoute splits, no linkerd-smi install, Envoy Gateway with an HTTPRoute per cluster', () => {
    const { topology, ids } = load('modern-linkerd/topology.yaml');
    expect(ids.filter((id) => id.startsWith('smi:'))).toEqual(['smi:split:test/podinfo@east', 'smi:split:test/podinfo@west']);
    expect(ids.filter((id) => id.startsWith('ingress:'))).toEqual([
      'ingress:controller@east',
      'ingress:gateway@east',
      'ingress:route:test/frontend@east',
      'ingress:controller@west',
      'ingress:gateway@west',
      'ingress:route:test/frontend@west',
    ]);
    const split = resolveSmi(topology.smi as SmiSection).splits[0]!;
    const refs = (c: string) =>
      (
        (renderSplitFor(split, c, Object.keys(topology.clusters), factsOf(linkerdPlugin, topology))['spec'] as any).rules[0]
          .backendRefs as { name: string; weight: number }[]
      ).map((r) => `${r.name}=${r.weight}`);
    expect(refs('east')).toEqual(['podinfo=80', 'podinfo-west=20']);
    expect(refs('west')).toEqual(['podinfo-east=80', 'podinfo=20']);
  });

  it('every key of the smi, ingress and workloads schemas has a description', () => {
    for (const p of plugins) expect(descriptionless(p.schema), p.name).toEqual([]);
  });
});
