// Hostile or odd YAML: every problem is the user's, so each one is a positioned diagnostic with a fix,
// never an internal error, a Node warning on stderr, or a parse that grows faster than the input.
import { describe, expect, it, vi } from 'vitest';
import { TopologyError, type Diagnostic } from '../errors.js';
import { kindLike, linkerdLike } from './__fixtures__/test-plugins.js';
import { MAX_TOPOLOGY_BYTES, parseTopologyText } from './parse.js';
import { validateTopology } from './validate.js';

const HEAD = ['apiVersion: meshspec.dev/v1alpha1', 'kind: Topology', 'metadata: { name: mesh }'];
const lines = (...text: string[]) => `${text.join('\n')}\n`;

async function diagnosticsOf(text: string): Promise<Diagnostic[]> {
  try {
    await validateTopology({ text, file: 'topology.yaml', plugins: [linkerdLike, kindLike] });
  } catch (error) {
    if (error instanceof TopologyError) return error.diagnostics;
    throw error; // an internal error fails the test with its own message
  }
  throw new Error('expected the topology to be rejected');
}

const cases: { name: string; text: string; line: number; column: number; message: RegExp; fix: RegExp }[] = [
  {
    name: 'alias without its anchor',
    text: lines(...HEAD, 'clusters: { demo: {} }', 'linkerd: { version: *x }'),
    line: 5,
    column: 21,
    message: /alias '\*x' refers to no anchor/,
    fix: /&x/,
  },
  {
    name: 'a stray * turning a key into an alias',
    text: lines(...HEAD, 'clusters:', '  demo: {}', '  *: {}'),
    line: 6,
    column: 3,
    message: /alias/,
    fix: /quote/,
  },
  {
    name: 'alias used before its anchor',
    text: lines(...HEAD, 'clusters: { demo: *c }', 'other: &c {}'),
    line: 4,
    column: 19,
    message: /refers to no anchor/,
    fix: /before/,
  },
  {
    name: 'billion laughs (alias expansion limit)',
    text: lines(
      ...HEAD,
      'a0: &a0 [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`),
      'clusters: { demo: {} }',
    ),
    line: 13,
    column: 10,
    message: /expand/,
    fix: /alias/,
  },
  {
    name: '!!omap tag',
    text: lines(...HEAD, 'clusters: { demo: {} }', 'linkerd: !!omap [{ version: stable-2.13.3 }]'),
    line: 5,
    column: 10,
    message: /tag '!!omap' is not allowed/,
    fix: /remove the tag/,
  },
  {
    name: '!!set tag',
    text: lines(...HEAD, 'clusters: { demo: {} }', 'linkerd: !!set { version }'),
    line: 5,
    column: 10,
    message: /tag '!!set' is not allowed/,
    fix: /remove the tag/,
  },
  {
    name: '!!binary tag',
    text: lines(...HEAD, 'clusters: { demo: {} }', 'linkerd: { version: !!binary aGVsbG8= }'),
    line: 5,
    column: 21,
    message: /tag '!!binary' is not allowed/,
    fix: /remove the tag/,
  },
  {
    name: 'custom tag',
    text: lines(...HEAD, 'clusters: { demo: {} }', 'linkerd: { version: !vault secret/x }'),
    line: 5,
    column: 21,
    message: /tag '!vault' is not allowed/,
    fix: /remove the tag/,
  },
  {
    name: 'merge key <<',
    text: lines(...HEAD, 'base: &b { podSubnet: 10.244.0.0/16 }', 'clusters:', '  demo:', '    <<: *b'),
    line: 7,
    column: 5,
    message: /merge keys/,
    fix: /write the keys out/,
  },
  {
    name: 'a map used as a key',
    text: lines(...HEAD, 'clusters: { demo: {} }', '? { a: 1 }', ': x'),
    line: 5,
    column: 3,
    message: /key must be a plain value/,
    fix: /scalar|plain/,
  },
];

describe('hostile YAML becomes positioned diagnostics', () => {
  it.each(cases)('$name', async ({ text, line, column, message, fix }) => {
    const diagnostics = await diagnosticsOf(text);
    const found = diagnostics.find((d) => message.test(d.message));
    expect(found, JSON.stringify(diagnostics, null, 2)).toBeDefined();
    expect({ line: found!.line, column: found!.column }).toEqual({ line, column });
    expect(found!.fix).toMatch(fix);
  });

  it('core schema tags (!!str, !!int, !!map, ...) are allowed', async () => {
    const { topology } = await validateTopology({
      text: lines(...HEAD, 'clusters: !!map { demo: { context: !!str kind-demo } }'),
      file: 'topology.yaml',
      plugins: [],
    });
    expect(topology.clusters.demo!.context).toBe('kind-demo');
  });

  it('aliases to anchors that exist still work', async () => {
    const { topology } = await validateTopology({
      text: lines(...HEAD, 'clusters: { demo: &c { context: ctx-a }, other: { context: ctx-b } }', 'x-note: *c'),
      file: 'topology.yaml',
      plugins: [],
    }).catch((error: TopologyError) => ({ topology: undefined, error }));
    // x-note is an unknown key, but the alias itself must not be the problem
    expect(topology).toBeUndefined();
  });

  it('no Node warning is printed for collection keys', async () => {
    const warn = vi.spyOn(process, 'emitWarning');
    const stderr = vi.spyOn(console, 'warn');
    await diagnosticsOf(lines(...HEAD, 'clusters: { demo: {} }', '? [a, b]', ': x'));
    expect(warn).not.toHaveBeenCalled();
    expect(stderr).not.toHaveBeenCalled();
    warn.mockRestore();
    stderr.mockRestore();
  });
});

describe('size and cost', () => {
  it(`refuses a file above ${MAX_TOPOLOGY_BYTES} bytes before parsing it, saying its size`, () => {
    const text = lines(...HEAD, `x: "${'a'.repeat(MAX_TOPOLOGY_BYTES)}"`);
    const { diagnostics, malformed } = parseTopologyText(text, 'big.yaml');
    expect(malformed).toBe(true);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.message).toMatch(/1\.0 MiB.*limit is 1 MiB|is \d[\d.]* MiB/);
    expect(diagnostics[0]!.message).toContain(String(Buffer.byteLength(text)));
  });

  // The cost (it was quadratic: 12-19 s) is measured in `pnpm bench`, never asserted as a time here.
  it('16,000 keys in one map (with duplicates): every duplicate reported once, with the line of the first', () => {
    const keys = Array.from({ length: 16_000 }, (_, i) => `  k${i % 15_000}: ${i}`);
    const text = lines(...HEAD, 'clusters: { demo: {} }', 'x:', ...keys);
    const { diagnostics } = parseTopologyText(text, 'keys.yaml');
    expect(diagnostics.filter((d) => d.message.startsWith('duplicate key'))).toHaveLength(1_000);
    expect(diagnostics[0]!.message).toBe("duplicate key 'k0': it is already set on line 6");
  });
});

describe('line endings', () => {
  it('treats CR-only line endings as line breaks (YAML 1.2 b-break)', async () => {
    const text = [...HEAD, 'clusters: { demo: {} }', 'linkrd: {}'].join('\r') + '\r';
    const diagnostics = await diagnosticsOf(text);
    expect(diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([[5, 1, "unknown key 'linkrd'"]]);
  });
});
