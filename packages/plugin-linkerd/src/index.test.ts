import { type Topology } from '@meshspec/core/plugin';
import { TopologyError, validateTopology, createTestStepContext } from '@meshspec/core/testing';
import { describe, expect, it } from 'vitest';
import { CERT_FILES, linkerdPlugin, parseLinkerdVersion } from './index.js';

const topology: Topology = {
  apiVersion: 'meshspec.dev/v1alpha1',
  kind: 'Topology',
  metadata: { name: 't' },
  clusters: { demo: {} },
  linkerd: {},
};

describe('linkerdPlugin', () => {
  it('owns the linkerd key and exports the version model', () => {
    expect(linkerdPlugin).toMatchObject({ name: 'linkerd', key: 'linkerd' });
    expect(parseLinkerdVersion('stable-2.13.3')?.minor).toBe(13);
  });

  it('reads the CLI version for doctor', () => {
    const [tool] = linkerdPlugin.tools!;
    expect(tool).toMatchObject({ command: 'linkerd', versionArgs: ['version', '--client', '--short'] });
    expect(tool!.parseVersion!('stable-2.13.3\n')).toBe('stable-2.13.3');
    expect(tool!.parseVersion!('Client version: edge-25.4.4\n')).toBe('edge-25.4.4');
  });

  it('summary points at the trust anchor once it exists', async () => {
    const ctx = createTestStepContext(topology);
    expect(await linkerdPlugin.summary!(topology, {}, ctx)).toEqual([]);
    await ctx.secrets.write(CERT_FILES.caKey, 'k');
    expect((await linkerdPlugin.summary!(topology, {}, ctx))[0]).toContain(ctx.secrets.path(CERT_FILES.caCert));
  });

  it('clusters.<name>.apiServerUrl: a URL is accepted and used; anything else is a positioned schema error', async () => {
    const text = (address: string) =>
      `apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: t }\nclusters:\n  east: { context: east, apiServerUrl: ${address} }\n  west: { context: west }\nlinkerd: {}\n`;
    const ok = await validateTopology({ text: text('https://192.0.2.10:6443'), file: 't.yaml', plugins: [linkerdPlugin] });
    expect(ok.topology.clusters['east']).toMatchObject({ apiServerUrl: 'https://192.0.2.10:6443' });
    const error = await validateTopology({ text: text('192.0.2.10:6443'), file: 't.yaml', plugins: [linkerdPlugin] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TopologyError);
    const [d] = (error as TopologyError).diagnostics;
    expect(d).toMatchObject({ line: 5, path: 'clusters.east.apiServerUrl' });
    expect(`${d!.message} ${d!.fix ?? ''}`).toContain('https://172.18.0.2:6443');
  });
});
