// `meshspec plan -o dot` through the real Graphviz `dot`: the examples' plans render with one node per
// step and one box per cluster, and hostile ids and titles come out as the exact text (so the escaping
// in packages/cli/src/picture/dot.ts is what Graphviz decodes, not what we hope it does).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlan, type Step } from '../../packages/core/src/index.js';
import { EXAMPLES, runCli } from '../../packages/cli/src/__fixtures__/run-cli.js';
import { renderDot } from '../../packages/cli/src/picture/dot.js';
import { buildPicture } from '../../packages/cli/src/picture/model.js';
import { findDot } from './tools.js';

function svgOf(dotSource: string): string {
  return execFileSync(findDot(), ['-Tsvg'], { input: dotSource, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

const decodeXml = (text: string) =>
  text
    .replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** Each drawn node: its name (the `<title>`) and its text lines. */
function nodesOf(svg: string): Map<string, string[]> {
  const nodes = new Map<string, string[]>();
  for (const [, body] of svg.matchAll(/<g id="node\d+" class="node">([\s\S]*?)<\/g>/g)) {
    const name = decodeXml(/<title>(.*?)<\/title>/.exec(body!)![1]!);
    nodes.set(
      name,
      [...body!.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((m) => decodeXml(m[1]!).replace(/\u00a0/g, ' ')),
    );
  }
  return nodes;
}

const clustersOf = (svg: string) =>
  [...svg.matchAll(/<g id="clust\d+" class="cluster">[\s\S]*?<text[^>]*>(.*?)<\/text>/g)].map((m) => decodeXml(m[1]!));

describe('plan -o dot rendered by Graphviz', () => {
  it.each(['linkerd-multicluster', 'three-clusters', 'modern-linkerd', 'custom-plugin'])(
    '%s: one node per step, one box per cluster',
    async (name) => {
      const file = join(EXAMPLES, `${name}/topology.yaml`);
      const { steps } = JSON.parse((await runCli(['plan', file, '-o', 'json'])).stdout) as { steps: { id: string; cluster?: string }[] };
      const svg = svgOf((await runCli(['plan', file, '-o', 'dot'])).stdout);
      const nodes = nodesOf(svg);
      expect(nodes.size).toBe(steps.length);
      expect([...nodes.values()].map((lines) => lines[0]).sort()).toEqual(steps.map((s) => s.id).sort());
      expect(clustersOf(svg).sort()).toEqual([...new Set(steps.flatMap((s) => (s.cluster ? [`cluster ${s.cluster}`] : [])))].sort());
    },
  );

  const HOSTILE = [
    'say "hi"] --> s1',
    'C:\\dir\\n\\',
    '} subgraph x { node [shape=none] }',
    '<b>bold</b> & &amp; &#35;',
    'a|b; c -> d // e',
    'éß 🚀 end',
  ];
  it.each(HOSTILE)('draws %j as that exact text', (text) => {
    const step = (id: string, extra: Partial<Step> = {}): Step => ({ id, title: text, run: async () => {}, ...extra });
    const plan = buildPlan([step(`evil:"${text}"`, { cluster: `c"${text}` }), step('evil:next', { needs: [`evil:"${text}"`] })]);
    const svg = svgOf(renderDot(buildPicture({ topology: 'hostile', plan, upToDate: new Set() })));
    const nodes = nodesOf(svg);
    expect(nodes.get('s1')).toEqual([`evil:"${text}"`, text, '~5.0s']);
    expect(nodes.get('s2')).toEqual(['evil:next', text, '~5.0s']);
    expect(clustersOf(svg)).toEqual([`cluster c"${text}`]);
  });
});
