// Hostile files through the whole CLI: every answer is a positioned user error (text or JSON), output stays
// bounded and printable however large or binary the input, and nothing is ever an "internal error".
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, stackFrames } from './__fixtures__/run-cli.js';

const HEAD = 'apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: hostile }\n';
const dir = mkdtempSync(join(tmpdir(), 'meshspec-hostile-'));
function file(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const hostile: [string, string | Buffer][] = [
  ['undefined-alias.yaml', `${HEAD}clusters: { demo: {} }\nlinkerd: { links: *x }\n`],
  ['stray-star.yaml', `${HEAD}clusters:\n  demo: {}\n  *: {}\n`],
  [
    'laughs.yaml',
    `${HEAD}a0: &a0 [x,x,x,x,x,x,x,x,x,x]\n${Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(',')}]`).join('\n')}\nclusters: { demo: {} }\n`,
  ],
  ['omap.yaml', `${HEAD}clusters: { demo: {} }\nsmi: !!omap\n  - splits: []\n`],
  ['merge.yaml', `${HEAD}base: &b { podSubnet: 10.244.0.0/16 }\nclusters:\n  demo:\n    <<: *b\n`],
  ['collection-key.yaml', `${HEAD}clusters: { demo: {} }\n? [a, b]\n: x\n`],
  ['long-line.yaml', `${HEAD}clusters: { demo: {} }\nlinkerd: { version: ${'x'.repeat(200_000)} }\n`],
  ['cr-only.yaml', `${HEAD}clusters: { demo: {} }\nlinkrd: {}\n`.replace(/\n/g, '\r').repeat(1) + 'y: 1\r'.repeat(50_000)],
  [
    'binary.yaml',
    Buffer.concat([Buffer.from(HEAD), Buffer.from([0x1b, 0x5b, 0x32, 0x4a, 0x00, 0x07, 0x3a, 0x0a, 0x1b, 0x5d, 0x30, 0x3b, 0x78, 0x07])]),
  ],
  ['many-keys.yaml', `${HEAD}clusters: { demo: {} }\n${Array.from({ length: 5_000 }, (_, i) => `unknown${i}: 1`).join('\n')}\n`],
  ['too-big.yaml', `${HEAD}x: "${'a'.repeat(1024 * 1024)}"\n`],
];

describe('hostile topology files (validate)', () => {
  it.each(hostile)('%s: positioned errors, bounded and printable text output', async (name, text) => {
    const { code, stdout, stderr } = await runCli(['validate', file(name, text)]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).not.toContain('internal error');
    expect(stackFrames(stderr)).toEqual([]);
    expect(stderr).toMatch(/:\d+:\d+ error /);
    expect(stderr.length, 'the output must stay bounded').toBeLessThan(40_000);
    // No control bytes except newlines reach the terminal (the input's ESC, BEL, NUL are escaped).
    expect(stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    for (const line of stderr.split('\n')) expect(line.length, line.slice(0, 80)).toBeLessThanOrEqual(400);
  });

  it.each(hostile)('%s: -o json prints a JSON result with positioned diagnostics', async (name, text) => {
    const { code, stdout } = await runCli(['validate', '-o', 'json', file(name, text)]);
    expect(code).toBe(1);
    const result = JSON.parse(stdout) as { valid: boolean; diagnostics: { line: number; column: number; message: string }[] };
    expect(result.valid).toBe(false);
    expect(result.diagnostics.length).toBeGreaterThan(0);
    for (const d of result.diagnostics) {
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.column).toBeGreaterThanOrEqual(1);
    }
    expect(stdout.length).toBeLessThan(200_000);
  });

  it('caps the errors shown, then says how many more (as tsc does)', async () => {
    const { stderr } = await runCli(['validate', file('many-keys.yaml', hostile.find(([n]) => n === 'many-keys.yaml')![1])]);
    expect(stderr).toMatch(/and 4980 more problems \(5000 in all\)/);
    expect(stderr.match(/ error /g)).toHaveLength(20);
  });

  it('a line longer than the screen is cut around the column, with the caret still under it', async () => {
    const { stderr } = await runCli([
      'validate',
      file('long-line2.yaml', `${HEAD}clusters: { demo: {} }\nlinkerd: { links: ${'z'.repeat(5000)}, extra: 1 }\n`),
    ]);
    const excerpt = stderr.split('\n').findIndex((line) => line.startsWith('  5 |') && line.includes('extra'));
    expect(excerpt).toBeGreaterThan(0);
    const lines = stderr.split('\n');
    const sourceLine = lines[excerpt]!;
    const caretLine = lines[excerpt + 1]!;
    expect(sourceLine.length).toBeLessThan(200);
    expect(sourceLine).toContain('…');
    expect(sourceLine[caretLine.indexOf('^')]).toBe('e');
  });

  it('a position past the end of its line is pulled back inside it', async () => {
    const { stderr } = await runCli(['validate', file('eof.yaml', `${HEAD}clusters: { demo: {} }\nlinkerd: { version: "unclosed`)]);
    const match = /:(\d+):(\d+) error/.exec(stderr)!;
    const lines = `${HEAD}clusters: { demo: {} }\nlinkerd: { version: "unclosed`.split('\n');
    const line = Number(match[1]);
    expect(line).toBeLessThanOrEqual(lines.length);
    expect(Number(match[2])).toBeLessThanOrEqual(lines[line - 1]!.length + 1);
  });
});

describe('errors that are not topology diagnostics still answer in JSON with -o json', () => {
  it('missing file', async () => {
    const { code, stdout } = await runCli(['validate', '-o', 'json', join(dir, 'nope.yaml')]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ valid: false, error: { message: expect.stringContaining('no such file') } });
  });
});
