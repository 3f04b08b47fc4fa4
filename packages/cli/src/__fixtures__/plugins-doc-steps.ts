// Step ids of real plans for the docs test: every example topology, plus one topology using what no
// example does (a workloads manifests entry), validated and planned as `meshspec plan` does.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectSteps, orderPlugins, validateTopology, type Plugin } from '@meshspec/core';
import { EXAMPLES } from './run-cli.js';

const EXTRA = `apiVersion: meshspec.dev/v1alpha1
kind: Topology
metadata: { name: docs }
clusters: { east: {}, west: {} }
kindClusters: {}
workloads:
  manifests: [{ name: app, path: app.yaml }]
`;

export async function collectStepsForDocs(plugins: readonly Plugin[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'meshspec-docs-'));
  writeFileSync(join(dir, 'app.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: app }\n');
  writeFileSync(join(dir, 'topology.yaml'), EXTRA);
  const files = ['linkerd-multicluster', 'three-clusters', 'modern-linkerd', 'simulated-mesh'].map((name) => join(EXAMPLES, name, 'topology.yaml'));
  const ordered = orderPlugins(plugins);
  const ids: string[] = [];
  for (const file of [...files, join(dir, 'topology.yaml')]) {
    const { topology } = await validateTopology({ text: readFileSync(file, 'utf8'), file, plugins: ordered });
    ids.push(...collectSteps(ordered, topology, { stateDir: dir, topologyDir: join(file, '..') }).steps.map((s) => s.id));
  }
  return ids;
}
