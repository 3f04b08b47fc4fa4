// Topologies whose sections contradict each other across plugins: each must fail validate at the entry
// that cannot work (file:line:col), with the fix, through the engine's real pipeline (schema defaults,
// resolve, ctx.facts), instead of rendering objects that point at services that will never exist.
import { describe, expect, it } from 'vitest';
import { type Diagnostic } from '@meshspec/core/plugin';
import { TopologyError, validateTopology } from '@meshspec/core/testing';
import { linkerdPlugin } from '@meshspec/plugin-linkerd';
import { workloadsPlugin } from '@meshspec/plugin-workloads';
import { smiPlugin } from './index.js';

const HEADER = `apiVersion: meshspec.dev/v1alpha1
kind: Topology
metadata: { name: t }
clusters:
  demo: { context: ctx-demo }
  demo3: { context: ctx-demo3 }
workloads:
  demo: {}
`;
/** Line 9 onwards: the linkerd section, then smi (positions below count from here). */
const topology = (linkerd: string, smi: string) => `${HEADER}linkerd:\n  version: stable-2.13.3\n${linkerd}smi:\n${smi}`;
const EXPORT = '  export: [{ namespace: test, service: podinfo }]\n';
const SPLIT = '  splits:\n    - namespace: test\n      service: podinfo\n';

async function errorsOf(text: string): Promise<Diagnostic[]> {
  try {
    await validateTopology({ text, file: 'topology.yaml', plugins: [linkerdPlugin, workloadsPlugin, smiPlugin] });
    return [];
  } catch (error) {
    if (!(error instanceof TopologyError)) throw error;
    return error.diagnostics.filter((d) => d.severity !== 'warning');
  }
}

describe('smi splits that contradict linkerd', () => {
  it('accepts the seed: export, full-mesh links, a default split', async () => {
    expect(await errorsOf(topology(EXPORT, SPLIT))).toEqual([]);
  });

  it.each([
    {
      name: 'multicluster off, an export and a default split (no mirror will ever exist)',
      linkerd: `  multicluster: { enabled: false }\n${EXPORT}`,
      smi: SPLIT,
      at: '15:7 smi.splits[0]',
      message: 'test/podinfo is split across clusters, but linkerd.multicluster.enabled is false',
      fix: 'set linkerd.multicluster.enabled: true',
    },
    {
      name: 'multicluster off and explicit backends in another cluster',
      linkerd: `  multicluster: { enabled: false }\n${EXPORT}`,
      smi: `${SPLIT}      backends: [{ cluster: demo, weight: 50 }, { cluster: demo3, weight: 50 }]\n`,
      at: '15:7 smi.splits[0]',
      message: 'linkerd.multicluster.enabled is false: no cluster is linked to another',
      fix: 'or remove this split',
    },
    {
      name: 'a default split of a service no cluster exports',
      linkerd: '',
      smi: SPLIT,
      at: '14:16 smi.splits[0].service',
      message: 'test/podinfo is not exported by any cluster, so no mirrors exist to split to',
      fix: 'add { namespace: test, service: podinfo } to linkerd.export',
    },
    {
      name: 'links: none with an export and a default split (all traffic stays local)',
      linkerd: `  links: none\n${EXPORT}`,
      smi: SPLIT,
      at: '15:7 smi.splits[0]',
      message: 'test/podinfo would split to no mirror: none of demo, demo3 is linked to another cluster',
      fix: 'set linkerd.links: full-mesh',
    },
    {
      name: 'an explicit backend whose service is not exported',
      linkerd: EXPORT,
      smi: `${SPLIT}      backends: [{ weight: 50 }, { cluster: demo3, service: web, weight: 50 }]\n`,
      at: '16:61 smi.splits[0].backends[1].service',
      message: 'test/web is not exported from demo3, so other clusters have no mirror web-demo3',
      fix: 'add { namespace: test, service: web } to linkerd.export',
    },
    {
      name: 'an explicit backend in a cluster not linked into the split cluster',
      linkerd: `  links: [{ from: demo, to: demo3 }]\n${EXPORT}`,
      smi: `${SPLIT}      clusters: [demo]\n      backends: [{ weight: 50 }, { cluster: demo3, weight: 50 }]\n`,
      at: '18:45 smi.splits[0].backends[1].cluster',
      message: 'demo has no link to demo3, so the mirror podinfo-demo3 will not exist there',
      fix: 'add { from: demo3, to: demo } to linkerd.links',
    },
  ])('rejects $name at the split', async ({ linkerd, smi, at, message, fix }) => {
    const errors = await errorsOf(topology(linkerd, smi));
    expect(errors.map((d) => `${d.line}:${d.column} ${d.path}`)).toEqual([at]);
    expect(errors[0]!.file).toBe('topology.yaml');
    expect(errors[0]!.message).toContain(message);
    expect(errors[0]!.fix).toContain(fix);
  });
});
