// Cluster providers through the whole CLI: kind and kwok cannot both provide a cluster, MetalLB refuses
// simulated clusters, and a 50-cluster full mesh on kwok plans with the expected shape (its time is
// measured by `pnpm bench`, section kwok-plan, never asserted here).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PlanEntry } from './commands/plan.js';
import { runCli } from './__fixtures__/run-cli.js';

const temp = mkdtempSync(join(tmpdir(), 'meshspec-providers-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function file(name: string, lines: string[]): string {
  const path = join(temp, name);
  writeFileSync(path, [...lines, ''].join('\n'));
  return path;
}
const HEAD = ['apiVersion: meshspec.dev/v1alpha1', 'kind: Topology', 'metadata: { name: t }', 'clusters:', '  east: {}', '  west: {}'];

// The scale topology is the bench's own (one definition: what is asserted here is what `pnpm bench` times).
const { fullMeshTopology } = (await import('../../../bench/kwok.mjs')) as { fullMeshTopology: (n: number) => string };

describe('cluster providers', () => {
  it.each([
    {
      name: 'kind and kwok both providing the clusters',
      lines: [...HEAD, 'kindClusters: {}', 'kwokClusters: {}'],
      expected: [
        '8:15 error kwokClusters: cluster east is provided by both kind (kindClusters) and kwok (kwokClusters); a cluster has one provider',
        '8:15 error kwokClusters: cluster west is provided by both kind (kindClusters) and kwok (kwokClusters); a cluster has one provider',
      ],
    },
    {
      name: 'MetalLB on simulated clusters',
      lines: [
        ...HEAD,
        'kwokClusters: {}',
        'metallb: { pools: { east: 198.51.100.100-198.51.100.101, west: 198.51.100.102-198.51.100.103 } }',
      ],
      expected: ['8:10 error metallb: MetalLB needs real containers, but east (kwok), west (kwok) have simulated nodes and pods'],
    },
  ])('rejects $name, positioned', async ({ lines, expected }) => {
    const { code, stderr } = await runCli(['validate', file('bad.yaml', lines)]);
    expect(code).toBe(1);
    const found = stderr
      .split('\n')
      .filter((l) => l.includes(' error '))
      .map((l) => l.replace(/^.*?bad\.yaml:/, ''));
    for (const line of expected)
      expect(
        found.some((f) => f.startsWith(line)),
        `${line}\n in:\n${stderr}`,
      ).toBe(true);
  });

  it("plans a 50-cluster full mesh on kwok: one kwok cluster step per cluster, every link, each cluster's steps after its creation", async () => {
    const { code, stdout, stderr } = await runCli(['plan', file('kwok-50.yaml', fullMeshTopology(50).trimEnd().split('\n')), '-o', 'json']);
    expect(code, stderr).toBe(0);
    const steps = (JSON.parse(stdout) as { steps: PlanEntry[] }).steps;
    const ids = steps.map((s) => s.id);
    expect(ids.filter((id) => id.startsWith('kwok:cluster@'))).toHaveLength(50);
    expect(ids.filter((id) => id.startsWith('linkerd:link:'))).toHaveLength(50 * 49);
    expect(ids.filter((id) => id.startsWith('kind:') || id.startsWith('metallb:'))).toEqual([]);
    // certs + per cluster: kwok cluster, crds, control plane, multicluster, gateway, demo app, export; plus the links.
    expect(steps).toHaveLength(1 + 50 * 7 + 50 * 49);
    const position = new Map(ids.map((id, i) => [id, i]));
    for (const step of steps.filter((s) => s.cluster && !s.id.startsWith('kwok:'))) {
      const created = step.id.startsWith('linkerd:link:')
        ? `kwok:cluster@${step.id.slice('linkerd:link:'.length).split('@')[0]}`
        : `kwok:cluster@${step.cluster}`;
      expect(position.get(created)! < position.get(step.id)!, `${created} before ${step.id}`).toBe(true);
    }
  });
});
