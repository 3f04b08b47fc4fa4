import { describe, expect, it } from 'vitest';
import { parseTopologyText } from './parse.js';

const text = [
  'apiVersion: meshspec.dev/v1alpha1', // 1
  'kind: Topology', //                    2
  'metadata:', //                         3
  '  name: mesh', //                      4
  'clusters:', //                         5
  '  demo: { podSubnet: 10.244.0.0/16 }', // 6
  '  demo3:', //                          7
  '    serviceSubnet: 10.97.0.0/12', //   8
  '    empty:', //                        9
  'linkerd:', //                          10
  '  export:', //                         11
  '    - namespace: test', //             12
  '      service: podinfo', //            13
].join('\n');

describe('parseTopologyText', () => {
  const { data, source, diagnostics } = parseTopologyText(text, 'topology.yaml');

  it('returns plain data and no diagnostics for good YAML', () => {
    expect(diagnostics).toEqual([]);
    expect((data as any).clusters.demo3.serviceSubnet).toBe('10.97.0.0/12');
    expect(source.file).toBe('topology.yaml');
    expect(source.text).toBe(text);
  });

  it.each([
    { path: ['clusters', 'demo3', 'serviceSubnet'], line: 8, column: 20, why: 'scalar value' },
    { path: ['clusters', 'demo', 'podSubnet'], line: 6, column: 22, why: 'value in a flow map' },
    { path: ['clusters', 'demo'], line: 6, column: 9, why: 'flow map value' },
    { path: ['clusters', 'demo3'], line: 7, column: 3, why: 'block map: its key' },
    { path: ['clusters', 'demo3', 'empty'], line: 9, column: 5, why: 'empty value: its key' },
    { path: ['clusters', 'demo3', 'missing'], line: 7, column: 3, why: 'missing key: the parent map' },
    { path: ['nope', 'deeper'], line: 1, column: 1, why: 'missing top-level key: the root' },
    { path: ['linkerd', 'export', 0, 'service'], line: 13, column: 16, why: 'through a list by index' },
    { path: ['linkerd', 'export', '0'], line: 12, column: 7, why: 'string index, as ajv paths have' },
    { path: [], line: 1, column: 1, why: 'the root' },
  ])('positionOf $path -> $line:$column ($why)', ({ path, line, column }) => {
    expect(source.positionOf(path)).toEqual({ line, column });
  });

  it('keyPositionOf points at the key itself', () => {
    expect(source.keyPositionOf(['clusters', 'demo3', 'serviceSubnet'])).toEqual({ line: 8, column: 5 });
    expect(source.keyPositionOf(['clusters', 'demo', 'podSubnet'])).toEqual({ line: 6, column: 11 });
  });

  it('turns YAML problems into diagnostics instead of throwing', () => {
    const parsed = parseTopologyText('a: [1, 2\nb: "x\n', 'bad.yaml');
    expect(parsed.malformed).toBe(true);
    expect(parsed.diagnostics.length).toBeGreaterThan(0);
    expect(parsed.diagnostics.every((d) => d.file === 'bad.yaml' && d.source === 'yaml' && d.fix)).toBe(true);
  });

  it('treats duplicate keys as errors that leave the data usable', () => {
    const parsed = parseTopologyText('a: 1\nb: 2\na: 3\n', 't.yaml');
    expect(parsed.malformed).toBe(false);
    expect(parsed.diagnostics).toMatchObject([
      { line: 3, column: 1, path: 'a', message: "duplicate key 'a': it is already set on line 1" },
    ]);
  });

  it('names the duplicate inside a list item with its full path', () => {
    const parsed = parseTopologyText('l:\n  - x: 1\n    x: 2\n', 't.yaml');
    expect(parsed.diagnostics).toMatchObject([{ line: 3, column: 5, path: 'l[0].x' }]);
  });
});
