import { type Diagnostic, type Topology, type ValidateContext } from '@meshspec/core/plugin';
import { factsAccess } from '@meshspec/core/testing';
import { smiPlugin } from './index.js';
import { describe, expect, it } from 'vitest';
import type { SmiSection } from './schema.js';
import { validateSmi } from './validate.js';

const ctx: Omit<ValidateContext, 'facts' | 'clusters'> = {
  source: { file: 'topology.yaml', text: '', positionOf: () => ({ line: 1, column: 1 }) },
  diagnostic: (path, message, fix): Diagnostic => ({
    file: 'topology.yaml',
    line: 1,
    column: 1,
    path: path.join('.'),
    message,
    ...(fix ? { fix } : {}),
    source: 'smi',
  }),
};

function topology(
  smi: SmiSection,
  linkerd: unknown = { version: 'stable-2.13.3', export: [{ namespace: 'test', service: 'podinfo' }] },
): Topology {
  return {
    apiVersion: 'meshspec.dev/v1alpha1',
    kind: 'Topology',
    metadata: { name: 't' },
    clusters: { demo: {}, demo3: {} },
    ...(linkerd ? { linkerd } : {}),
    smi,
  };
}
/** The engine's ctx.facts for `t`, checked against smi's declared dependencies. */
const ctxFor = (t: Topology): ValidateContext => ({ ...ctx, ...factsAccess(t, smiPlugin) });
const run = (smi: SmiSection, linkerd?: unknown) => validateSmi(topology(smi, linkerd), smi, ctxFor(topology(smi, linkerd)));
const paths = (ds: Diagnostic[]) => ds.map((d) => `${d.path}: ${d.message}`);

describe('validateSmi', () => {
  it('accepts the seed split', () => {
    expect(run({ splits: [{ namespace: 'test', service: 'podinfo' }] })).toEqual([]);
    expect(
      run({
        splits: [
          {
            namespace: 'test',
            service: 'podinfo',
            backends: [
              { cluster: 'demo', weight: 90 },
              { cluster: 'demo3', weight: 10 },
            ],
          },
        ],
      }),
    ).toEqual([]);
  });

  it.each<[string, SmiSection, string]>([
    [
      'unknown backend cluster',
      { splits: [{ namespace: 'test', service: 'podinfo', backends: [{ cluster: 'demo2', weight: 1 }] }] },
      'smi.splits.0.backends.0.cluster: unknown cluster "demo2"',
    ],
    [
      'backend service not exported',
      { splits: [{ namespace: 'test', service: 'podinfo', backends: [{ cluster: 'demo3', service: 'web', weight: 1 }] }] },
      'smi.splits.0.backends.0.service: test/web is not exported from demo3',
    ],
    [
      'negative weight',
      { splits: [{ namespace: 'test', service: 'podinfo', backends: [{ weight: -1 }, { cluster: 'demo3', weight: 2 }] }] },
      'smi.splits.0.backends.0.weight: weight -1 must be a whole number >= 0',
    ],
    [
      'all weights zero',
      { splits: [{ namespace: 'test', service: 'podinfo', backends: [{ weight: 0 }, { cluster: 'demo3', weight: 0 }] }] },
      'smi.splits.0.backends: all backends of test/podinfo have weight 0',
    ],
    [
      'default backends without export',
      { splits: [{ namespace: 'test', service: 'web' }] },
      'smi.splits.0.service: test/web is not exported by any cluster',
    ],
    [
      'unknown split cluster',
      { splits: [{ namespace: 'test', service: 'podinfo', clusters: ['nope'] }] },
      'smi.splits.0.clusters.0: unknown cluster "nope"',
    ],
    [
      'a backend listed twice',
      {
        splits: [
          {
            namespace: 'test',
            service: 'podinfo',
            backends: [{ cluster: 'demo3', weight: 30 }, { weight: 50 }, { cluster: 'demo3', weight: 20 }],
          },
        ],
      },
      'smi.splits.0.backends.2: backend demo3/podinfo is listed twice (also backends[0]); weights are relative, so write it once with weight 50',
    ],
    [
      'old extension with 2.13',
      { extensionVersion: 'v0.2.1', splits: [] },
      'smi.extensionVersion: linkerd-smi v0.2.1 does not work with Linkerd stable-2.13.3',
    ],
  ])('reports %s at its position', (_, smi, expected) => {
    const problems = run(smi);
    expect(paths(problems)).toHaveLength(1);
    expect(paths(problems)[0]).toContain(expected);
    expect(problems[0]!.fix).toBeTruthy();
  });

  it('reports a backend cluster that is not linked into a cluster applying the split', () => {
    const problems = paths(
      run(
        { splits: [{ namespace: 'test', service: 'podinfo', backends: [{ weight: 1 }, { cluster: 'demo3', weight: 1 }] }] },
        { version: 'stable-2.13.3', links: [{ from: 'demo', to: 'demo3' }], export: [{ namespace: 'test', service: 'podinfo' }] },
      ),
    );
    expect(problems).toEqual([
      'smi.splits.0.backends.1.cluster: demo has no link to demo3, so the mirror podinfo-demo3 will not exist there',
    ]);
  });

  it('needs a linkerd section', () => {
    expect(paths(validateSmi(topology({ splits: [] }, null), { splits: [] }, ctxFor(topology({ splits: [] }, null))))).toEqual([
      'smi: smi splits traffic between Linkerd multicluster mirrors, but the topology has no linkerd section',
    ]);
  });

  it('does not ask for linkerd-smi v0.2.3 when Linkerd uses HTTPRoute', () => {
    expect(
      run({ extensionVersion: 'v0.2.1', splits: [] }, { version: 'version-2.18', export: [] }).filter((d) => d.severity !== 'warning'),
    ).toEqual([]);
  });

  it.each(['version-2.18', 'edge-25.4.4', 'edge-26.6.3'])(
    'warns that SMI is deprecated with Linkerd %s: the splits are HTTPRoutes',
    (version) => {
      expect(run({ splits: [] }, { version, export: [] })).toEqual([
        expect.objectContaining({
          severity: 'warning',
          path: 'smi',
          message: `SMI is deprecated in Linkerd's docs and linkerd-smi targets Linkerd before 2.18; with ${version} the smi splits are Gateway API HTTPRoutes (no TrafficSplit, no linkerd-smi)`,
          fix: 'nothing to install: HTTPRoute is the way from 2.18, and meshspec renders it from this section; drop smi.extensionVersion, which is unused',
        }),
      ]);
    },
  );

  it('no SMI deprecation warning where SMI is the split API (Linkerd before 2.18)', () => {
    expect(run({ splits: [] }, { version: 'stable-2.13.3', export: [] })).toEqual([]);
  });
});
