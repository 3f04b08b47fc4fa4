import type { Topology } from '@meshspec/core';
import { createTestStepContext } from '@meshspec/core/testing';
import { describe, expect, it } from 'vitest';
import { CERT_FILES, linkerdPlugin, parseLinkerdVersion } from './index.js';

const topology: Topology = { apiVersion: 'meshspec.dev/v1alpha1', kind: 'Topology', metadata: { name: 't' }, clusters: { demo: {} }, linkerd: {} };

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
});
