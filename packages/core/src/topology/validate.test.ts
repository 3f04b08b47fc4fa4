import { describe, expect, it } from 'vitest';
import { asWarning, TopologyError, type Diagnostic } from '../errors.js';
import { definePlugin } from '../plugin/define.js';
import type { Plugin } from '../plugin/types.js';
import { crashingPlugin, kindLike, linkerdLike } from './__fixtures__/test-plugins.js';
import { validateTopology } from './validate.js';

const plugins = [linkerdLike, kindLike];
const lines = (...text: string[]) => `${text.join('\n')}\n`;
const HEAD = ['apiVersion: meshspec.dev/v1alpha1', 'kind: Topology', 'metadata: { name: mesh }'];

async function diagnosticsOf(text: string, using: readonly Plugin[] = plugins): Promise<Diagnostic[]> {
  try {
    await validateTopology({ text, file: 'topology.yaml', plugins: using });
  } catch (error) {
    if (error instanceof TopologyError) return error.diagnostics;
    throw error;
  }
  throw new Error('expected the topology to be rejected');
}

interface Expected {
  line: number;
  column: number;
  path: string;
  message: string;
  fix?: string;
  source?: string;
}

const cases: { name: string; text: string; expected: Expected[]; plugins?: Plugin[] }[] = [
  {
    name: 'unknown top-level key, with did-you-mean',
    text: lines(...HEAD, 'clusters: { demo: {} }', 'linkrd: { version: stable-2.13.3 }'),
    expected: [{ line: 5, column: 1, path: 'linkrd', message: "unknown key 'linkrd'", fix: "did you mean 'linkerd'?" }],
  },
  {
    name: 'unknown top-level key without a near miss lists the allowed keys',
    text: lines(...HEAD, 'clusters: { demo: {} }', 'flux: {}'),
    expected: [
      {
        line: 5,
        column: 1,
        path: 'flux',
        message: "unknown key 'flux'",
        fix: 'top-level keys are apiVersion, kind, metadata, clusters, kindClusters, linkerd',
      },
    ],
  },
  {
    name: 'unknown cluster key',
    text: lines(...HEAD, 'clusters:', '  demo:', '    podSubnt: 10.244.0.0/16'),
    expected: [{ line: 6, column: 5, path: 'clusters.demo.podSubnt', message: "unknown key 'podSubnt'", fix: "did you mean 'podSubnet'?" }],
  },
  {
    name: 'wrong type (number for whole number)',
    text: lines(...HEAD, 'clusters: { demo: {} }', 'kindClusters:', '  workers: two'),
    expected: [{ line: 6, column: 12, path: 'kindClusters.workers', message: "must be a whole number, but is 'two'" }],
  },
  {
    name: 'number where text is expected suggests quoting',
    text: lines(...HEAD, 'clusters: { demo: {} }', 'linkerd: { version: 2.13 }'),
    expected: [
      {
        line: 5,
        column: 21,
        path: 'linkerd.version',
        message: 'must be a string, but is the number 2.13',
        fix: 'quote it so YAML reads text: "2.13"',
      },
    ],
  },
  {
    name: 'empty cluster entry must be a map',
    text: lines(...HEAD, 'clusters:', '  demo:'),
    expected: [
      { line: 5, column: 3, path: 'clusters.demo', message: 'must be a map (key: value entries), but is empty', fix: "write '{}'" },
    ],
  },
  {
    name: 'missing required key points at the parent map',
    text: lines('apiVersion: meshspec.dev/v1alpha1', 'kind: Topology', 'metadata:', '  description: no name', 'clusters: { demo: {} }'),
    expected: [
      {
        line: 3,
        column: 1,
        path: 'metadata.name',
        message: "missing required key 'name' in metadata",
        fix: "add 'name: ...' under metadata",
      },
    ],
  },
  {
    name: 'missing top-level keys',
    text: lines('apiVersion: meshspec.dev/v1alpha1', 'metadata: { name: mesh }'),
    expected: [
      { line: 1, column: 1, path: 'clusters', message: "missing required key 'clusters'" },
      { line: 1, column: 1, path: 'kind', message: "missing required key 'kind'", fix: "add 'kind: Topology' at the top level" },
    ],
  },
  {
    name: 'bad apiVersion',
    text: lines('apiVersion: meshspec.dev/v1', 'kind: Topology', 'metadata: { name: mesh }', 'clusters: { demo: {} }'),
    expected: [
      {
        line: 1,
        column: 13,
        path: 'apiVersion',
        message: "must be 'meshspec.dev/v1alpha1', but is 'meshspec.dev/v1'",
        fix: "set 'apiVersion: meshspec.dev/v1alpha1'",
      },
    ],
  },
  {
    name: 'bad cluster name points at the key and suggests a valid one',
    text: lines(...HEAD, 'clusters:', '  Demo_1: {}'),
    expected: [
      {
        line: 5,
        column: 3,
        path: 'clusters.Demo_1',
        message: "invalid name 'Demo_1': expected cluster name: a DNS-1123 label",
        fix: "e.g. to 'demo-1'",
      },
    ],
  },
  {
    name: 'cluster name longer than 32 characters',
    text: lines(...HEAD, 'clusters:', `  ${'a'.repeat(33)}: {}`),
    expected: [{ line: 5, column: 3, path: `clusters.${'a'.repeat(33)}`, message: 'at most 32 characters' }],
  },
  {
    name: 'no clusters',
    text: lines(...HEAD, 'clusters: {}'),
    expected: [{ line: 4, column: 11, path: 'clusters', message: 'must have at least 1 entry', fix: "add a cluster, e.g. 'demo: {}'" }],
  },
  {
    name: 'invalid format',
    text: lines(...HEAD, 'clusters:', '  demo: { podSubnet: 10.244.0.0/33 }'),
    expected: [
      { line: 5, column: 22, path: 'clusters.demo.podSubnet', message: "'10.244.0.0/33' is not an IPv4 CIDR range like 10.96.0.0/16" },
    ],
  },
  {
    name: 'duplicate key names the key and its first line',
    text: lines(...HEAD, 'clusters:', '  demo: {}', '  demo: {}'),
    expected: [{ line: 6, column: 3, path: 'clusters.demo', message: "duplicate key 'demo': it is already set on line 5", source: 'yaml' }],
  },
  {
    name: "the kind plugin's settings under 'kind:' (the document kind): one duplicate-key error naming the right key",
    text: lines(...HEAD, 'clusters: { demo: {} }', 'kind:', '  workers: 2'),
    expected: [
      {
        line: 5,
        column: 1,
        path: 'kind',
        message: "duplicate key 'kind': it is already set on line 2",
        fix: "settings of the kind plugin go under 'kindClusters:'",
      },
    ],
  },
  {
    name: 'a wrong type reports only the type, not the const it also fails',
    text: lines('apiVersion: [meshspec.dev/v1alpha1]', 'kind: Topology', 'metadata: { name: mesh }', 'clusters: { demo: {} }'),
    expected: [{ line: 1, column: 13, path: 'apiVersion', message: 'must be a string, but is a list' }],
  },
  {
    name: 'tab indentation',
    text: lines(...HEAD, 'clusters:', '\tdemo: {}'),
    expected: [{ line: 5, column: 1, path: '', message: 'tabs are not allowed for indentation in YAML; use spaces', source: 'yaml' }],
  },
  {
    name: 'two documents',
    text: lines(...HEAD, 'clusters: { demo: {} }', '---', 'clusters: { other: {} }'),
    expected: [{ line: 5, column: 1, path: '', message: 'a topology is one YAML document', source: 'yaml' }],
  },
  {
    name: 'syntax error: unclosed flow map',
    text: lines('apiVersion: meshspec.dev/v1alpha1', 'kind: Topology', 'metadata: { name: mesh', 'clusters: { demo: {} }'),
    expected: [{ line: 4, column: 1, path: '', message: 'YAML syntax error', source: 'yaml' }],
  },
  {
    name: 'syntax error: unclosed quote',
    text: lines(...HEAD, 'clusters: { demo: {} }', 'linkerd: { version: "stable }'),
    expected: [
      { line: 6, column: 1, path: '', message: 'YAML syntax error: Missing closing "quote', fix: 'add the missing closing character' },
    ],
  },
  {
    name: 'empty file',
    text: '# nothing yet\n',
    expected: [{ line: 1, column: 1, path: '', message: 'the topology file is empty' }],
  },
  {
    name: 'root is a list',
    text: lines('- demo', '- demo3'),
    expected: [{ line: 1, column: 1, path: '', message: 'a topology must be a map of keys' }],
  },
  {
    name: 'plugin validate diagnostic is positioned at the value',
    text: lines(...HEAD, 'clusters:', '  demo:', '    serviceSubnet: 10.96.0.0/12', '  demo3:', '    serviceSubnet: 10.97.0.0/12'),
    expected: [
      {
        line: 8,
        column: 20,
        path: 'clusters.demo3.serviceSubnet',
        message: '10.97.0.0/12 has host bits set; its network is 10.96.0.0/12',
        fix: 'write 10.96.0.0/12',
        source: 'kind',
      },
    ],
  },
  {
    name: "plugin section's nested unknown key (and the required key it misspells)",
    text: lines(...HEAD, 'clusters: { demo: {} }', 'linkerd:', '  export:', '    - namespace: test', '      servce: podinfo'),
    expected: [
      { line: 7, column: 7, path: 'linkerd.export[0].service', message: "missing required key 'service' in linkerd.export[0]" },
      { line: 8, column: 7, path: 'linkerd.export[0].servce', message: "unknown key 'servce'", fix: "did you mean 'service'?" },
    ],
  },
  {
    name: 'anyOf where no alternative fits: one merged message',
    text: lines(...HEAD, 'clusters: { demo: {} }', 'linkerd: { links: fullmesh }'),
    expected: [{ line: 5, column: 19, path: 'linkerd.links', message: "must be 'full-mesh' or a list, but is 'fullmesh'" }],
  },
  {
    name: 'anyOf where one alternative fits: only its specific error',
    text: lines(...HEAD, 'clusters: { demo: {} }', 'linkerd:', '  links:', '    - { from: demo }'),
    expected: [{ line: 7, column: 7, path: 'linkerd.links[0].to', message: "missing required key 'to'" }],
  },
  {
    name: 'enum with did-you-mean',
    text: lines(...HEAD, 'clusters: { demo: {} }', 'linkerd: { proxy: debg }'),
    expected: [
      { line: 5, column: 19, path: 'linkerd.proxy', message: "must be one of: 'info', 'debug', 'warn'", fix: "did you mean 'debug'?" },
    ],
  },
  {
    name: 'a crashing plugin validate becomes a diagnostic naming it',
    plugins: [kindLike, crashingPlugin],
    text: lines(...HEAD, 'clusters: { demo: {} }', 'crashy: {}'),
    expected: [{ line: 5, column: 9, path: 'crashy', message: "plugin 'crashy' failed while validating: boom", source: 'crashy' }],
  },
  {
    name: 'a cluster with no context and no plugin to give it one',
    plugins: [],
    text: lines(...HEAD, 'clusters:', '  demo: {}'),
    expected: [{ line: 5, column: 9, path: 'clusters.demo', message: "cluster 'demo' has no kube context", source: 'core' }],
  },
  {
    name: 'two clusters sharing a context',
    plugins: [],
    text: lines(...HEAD, 'clusters:', '  a: { context: kind-a }', '  b: { context: kind-a }'),
    expected: [{ line: 6, column: 17, path: 'clusters.b.context', message: "clusters 'a' and 'b' both use the kube context 'kind-a'" }],
  },
];

describe('validateTopology diagnostics', () => {
  it.each(cases)('$name', async ({ text, expected, plugins: using }) => {
    const diagnostics = await diagnosticsOf(text, using);
    expect(diagnostics.map(({ line, column, path }) => ({ line, column, path }))).toEqual(
      expected.map(({ line, column, path }) => ({ line, column, path })),
    );
    expected.forEach((want, i) => {
      const got = diagnostics[i]!;
      expect(got.file).toBe('topology.yaml');
      expect(got.message).toContain(want.message);
      expect(got.fix, 'every diagnostic carries a fix').toBeTruthy();
      if (want.fix) expect(got.fix).toContain(want.fix);
      if (want.source) expect(got.source).toBe(want.source);
    });
  });

  it('reports five different mistakes in one file at once, in file order', async () => {
    const text = lines(
      'apiVersion: meshspec.dev/v1', //             1: bad apiVersion
      'kind: Topology',
      'metadata: { name: mesh }',
      'clusters:',
      '  demo:',
      '    serviceSubnett: 10.96.0.0/16', //          6: unknown cluster key
      '  Demo3: {}', //                               7: bad cluster name
      'kindClusters:',
      '  workers: -1', //                             9: below minimum
      'linkrd: {}', //                               10: unknown top-level key
    );
    const diagnostics = await diagnosticsOf(text);
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.path}`)).toEqual([
      '1:13 apiVersion',
      '6:5 clusters.demo.serviceSubnett',
      '7:3 clusters.Demo3',
      '9:12 kindClusters.workers',
      '10:1 linkrd',
    ]);
  });

  it('returns the resolved topology with schema defaults and plugin resolution applied', async () => {
    const text = lines(
      ...HEAD,
      'clusters:',
      '  demo: {}',
      '  demo3: { context: elsewhere }',
      'kindClusters: {}',
      'linkerd: { links: full-mesh }',
    );
    const { topology, source } = await validateTopology({ text, file: 'topology.yaml', plugins });
    expect(topology.clusters).toEqual({ demo: { context: 'kind-demo' }, demo3: { context: 'elsewhere' } });
    expect(topology.kindClusters).toEqual({ workers: 2 });
    expect(topology.linkerd).toEqual({ links: 'full-mesh', version: 'stable-2.13.3' });
    expect(source.positionOf(['clusters', 'demo3', 'context'])).toEqual({ line: 6, column: 21 });
  });

  it('does not invent an absent plugin section', async () => {
    const { topology } = await validateTopology({ text: lines(...HEAD, 'clusters: { demo: {} }'), file: 't.yaml', plugins });
    expect('linkerd' in topology).toBe(false);
  });

  it('carries the source text so errors can show excerpts', async () => {
    const text = lines(...HEAD, 'clusters: {}');
    const error = await validateTopology({ text, file: 'x.yaml', plugins }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TopologyError);
    expect((error as TopologyError).sources).toEqual({ 'x.yaml': text });
  });
});

describe('validateTopology warnings', () => {
  const warner = definePlugin({
    name: 'warner',
    key: 'warner',
    schema: {
      type: 'object',
      description: 'A plugin that warns.',
      properties: { fail: { type: 'boolean', description: 'Also report an error.' } },
    },
    validate: (_t, section, ctx) => [
      asWarning(ctx.diagnostic(['warner'], 'this is deprecated', 'use the new thing')),
      ...((section as { fail?: boolean } | undefined)?.fail ? [ctx.diagnostic(['warner', 'fail'], 'this is wrong', 'fix it')] : []),
    ],
    steps: () => [],
  });

  it('a warning alone does not reject the topology; it comes back positioned beside it', async () => {
    const result = await validateTopology({
      text: lines(...HEAD, 'clusters: { demo: { context: demo } }', 'warner: {}'),
      file: 'topology.yaml',
      plugins: [warner],
    });
    expect(result.warnings).toEqual([
      {
        file: 'topology.yaml',
        line: 5,
        column: 9,
        path: 'warner',
        message: 'this is deprecated',
        fix: 'use the new thing',
        source: 'warner',
        severity: 'warning',
      },
    ]);
  });

  it('with an error, the warnings are reported too, all at once', async () => {
    const found = await diagnosticsOf(lines(...HEAD, 'clusters: { demo: { context: demo } }', 'warner: { fail: true }'), [warner]);
    expect(found.map((d) => `${d.severity ?? 'error'} ${d.path}`)).toEqual(['warning warner', 'error warner.fail']);
  });
});
