import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic, Topology, ValidateContext } from '@meshspec/core/plugin';
import { factsAccess } from '@meshspec/core/testing';
import { describe, expect, it } from 'vitest';
import { workloadsPlugin } from './index.js';
import type { WorkloadsSection } from './schema.js';
import { validateWorkloads } from './validate.js';

function validateCtx(file: string, t: Topology): ValidateContext {
  return {
    // The engine's ctx.facts and ctx.clusters for `t`, checked against workloads' declared dependencies.
    ...factsAccess(t, workloadsPlugin),
    source: { file, text: '', positionOf: () => ({ line: 1, column: 1 }) },
    diagnostic: (path, message, fix): Diagnostic => ({
      file,
      line: 1,
      column: 1,
      path: path.join('.'),
      message,
      ...(fix ? { fix } : {}),
      source: 'workloads',
    }),
  };
}

const topology = (workloads: WorkloadsSection): Topology => ({
  apiVersion: 'meshspec.dev/v1alpha1',
  kind: 'Topology',
  metadata: { name: 't' },
  clusters: { demo: {}, demo3: {} },
  workloads,
});

describe('validateWorkloads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'meshspec-workloads-'));
  writeFileSync(join(dir, 'app.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n');
  mkdirSync(join(dir, 'kust'));
  writeFileSync(join(dir, 'kust', 'kustomization.yaml'), 'resources: []\n');
  mkdirSync(join(dir, 'plain'));
  const file = join(dir, 'topology.yaml');
  const run = (section: WorkloadsSection) =>
    validateWorkloads(topology(section), section, validateCtx(file, topology(section))).map((d) => `${d.path}: ${d.message}`);

  it('accepts existing paths and kustomize dirs relative to the topology file', () => {
    expect(
      run({
        manifests: [
          { name: 'a', path: 'app.yaml' },
          { name: 'b', kustomize: 'kust', clusters: ['demo3'] },
        ],
      }),
    ).toEqual([]);
  });

  it.each([
    ['missing file', { name: 'a', path: 'nope.yaml' }, 'workloads.manifests.0.path: nope.yaml does not exist'],
    [
      'kustomize dir without kustomization',
      { name: 'a', kustomize: 'plain' },
      'workloads.manifests.0.kustomize: plain has no kustomization.yaml',
    ],
    ['kustomize not a dir', { name: 'a', kustomize: 'app.yaml' }, 'workloads.manifests.0.kustomize: app.yaml is not a directory'],
    ['neither path nor kustomize', { name: 'a' }, 'workloads.manifests.0: manifests "a" needs exactly one of path or kustomize'],
    [
      'both path and kustomize',
      { name: 'a', path: 'app.yaml', kustomize: 'kust' },
      'workloads.manifests.0: manifests "a" needs exactly one of path or kustomize',
    ],
    [
      'unknown cluster',
      { name: 'a', path: 'app.yaml', clusters: ['demo', 'demo2'] },
      'workloads.manifests.0.clusters.1: unknown cluster "demo2"',
    ],
  ])('reports %s at its position', (_, entry, expected) => {
    const problems = run({ manifests: [entry] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it('reports duplicate names', () => {
    expect(
      run({
        manifests: [
          { name: 'a', path: 'app.yaml' },
          { name: 'a', path: 'app.yaml' },
        ],
      }),
    ).toEqual(['workloads.manifests.1.name: manifests name "a" is used twice; step ids would collide']);
  });

  it('gives every problem a fix', () => {
    const problems = validateWorkloads(
      topology({ manifests: [{ name: 'a', path: 'x', clusters: ['zz'] }] }),
      { manifests: [{ name: 'a', path: 'x', clusters: ['zz'] }] },
      validateCtx(file, topology({ manifests: [{ name: 'a', path: 'x', clusters: ['zz'] }] })),
    );
    expect(problems.length).toBe(2);
    for (const p of problems) expect(p.fix).toBeTruthy();
  });
});
