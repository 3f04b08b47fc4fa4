import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MeshspecError, TopologyError } from '../errors.js';
import { kindLike } from './__fixtures__/test-plugins.js';
import { loadTopologyFile } from './load.js';

describe('loadTopologyFile', () => {
  it('reads and validates a file, keeping the path as given for diagnostics', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'meshspec-load-'));
    const file = join(dir, 'topology.yaml');
    await writeFile(file, 'apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: m }\nclusters: { demo: {} }\n');
    const { topology, source } = await loadTopologyFile(file, [kindLike]);
    expect(topology.clusters.demo?.context).toBe('kind-demo');
    expect(source.file).toBe(file);

    await writeFile(file, 'apiVersion: v1\n');
    const error = await loadTopologyFile(file, [kindLike]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TopologyError);
    expect((error as TopologyError).diagnostics[0]?.file).toBe(file);
  });

  it('says clearly when the file does not exist', async () => {
    const missing = join(tmpdir(), 'meshspec-definitely-missing', 'topology.yaml');
    await expect(loadTopologyFile(missing, [])).rejects.toThrow(MeshspecError);
    await expect(loadTopologyFile(missing, [])).rejects.toThrow(`no such file: ${missing}`);
  });

  it('says clearly when given a directory', async () => {
    await expect(loadTopologyFile(tmpdir(), [])).rejects.toThrow('is a directory');
  });
});
