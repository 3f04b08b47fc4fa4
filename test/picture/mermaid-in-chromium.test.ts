// `meshspec plan -o mermaid` through the real mermaid library (the npm package's own bundle, loaded from
// node_modules into headless Chromium; nothing fetched): every example's plan parses and renders with one
// node per step and one subgraph per cluster, and hostile ids and titles come out as the exact text.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPlan, type Step } from '../../packages/core/src/index.js';
import { EXAMPLES, runCli } from '../../packages/cli/src/__fixtures__/run-cli.js';
import { renderMermaid } from '../../packages/cli/src/picture/mermaid.js';
import { buildPicture } from '../../packages/cli/src/picture/model.js';
import { sharedChromium } from './tools.js';

const MERMAID = join(createRequire(import.meta.url).resolve('mermaid'), '../mermaid.min.js');
const browser = sharedChromium();
afterAll(() => browser.close());

let opened: Promise<Page> | undefined;
/** A blank page with mermaid loaded from disk. */
const mermaidPage = () =>
  (opened ??= (async () => {
    const page = await (await browser.get()).newPage();
    await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
    await page.addScriptTag({ path: MERMAID });
    await page.evaluate(() =>
      (window as unknown as { mermaid: { initialize(o: object): void } }).mermaid.initialize({
        startOnLoad: false,
        securityLevel: 'strict',
      }),
    );
    return page;
  })());

interface Drawn {
  nodes: Record<string, string>;
  clusters: string[];
  edges: number;
}

/** Renders with mermaid (a syntax error rejects) and reads back each node's text by its mermaid id. */
async function draw(source: string): Promise<Drawn> {
  const page = await mermaidPage();
  return page.evaluate(async (text) => {
    const mermaid = (window as unknown as { mermaid: { render(id: string, text: string): Promise<{ svg: string }> } }).mermaid;
    const out = document.getElementById('out')!;
    const { svg } = await mermaid.render(`graph${Date.now()}`, text);
    out.innerHTML = svg;
    const nodes: Record<string, string> = {};
    for (const node of out.querySelectorAll('g.node')) nodes[/flowchart-(s\d+)-/.exec(node.id)![1]!] = node.textContent ?? '';
    const result = {
      nodes,
      clusters: [...out.querySelectorAll('g.cluster')].map((c) => c.textContent ?? ''),
      edges: out.querySelectorAll('.edgePaths path, g.edgePaths path, path.flowchart-link').length,
    };
    out.innerHTML = '';
    return result;
  }, source);
}

describe('plan -o mermaid rendered by mermaid', () => {
  it.each(['linkerd-multicluster', 'three-clusters', 'modern-linkerd', 'custom-plugin'])(
    '%s: one node per step, one subgraph per cluster',
    async (name) => {
      const file = join(EXAMPLES, `${name}/topology.yaml`);
      const { steps } = JSON.parse((await runCli(['plan', file, '-o', 'json'])).stdout) as {
        steps: { id: string; title: string; cluster?: string; needs: string[]; after: string[] }[];
      };
      const drawn = await draw((await runCli(['plan', file, '-o', 'mermaid'])).stdout);
      expect(Object.keys(drawn.nodes)).toHaveLength(steps.length);
      steps.forEach((step, i) => expect(drawn.nodes[`s${i + 1}`]).toMatch(new RegExp(`^${escapeRegExp(step.id + step.title)}~`)));
      expect(drawn.clusters.sort()).toEqual([...new Set(steps.flatMap((s) => (s.cluster ? [`cluster ${s.cluster}`] : [])))].sort());
      expect(drawn.edges).toBe(steps.reduce((n, s) => n + s.needs.length + s.after.length, 0));
    },
  );

  const HOSTILE = [
    'say "hi"] --> s1',
    'first line\nsecond line',
    '<script>alert(1)</script><img src=x onerror=alert(2)>',
    '%% comment %%{init: {"theme":"dark"}}%%',
    '#quot; #35; &amp;',
    'C:\\dir\\n\\',
    'ends with \\n',
    '} subgraph x { end',
    '`**bold**`',
    'a|b; c -> d',
    'éß 🚀 end',
  ];
  it.each(HOSTILE)('draws %j as that exact text', async (text) => {
    const step = (id: string, extra: Partial<Step> = {}): Step => ({ id, title: text, run: async () => {}, ...extra });
    const plan = buildPlan([step(`evil:"${text}"`, { cluster: `c"${text}` }), step('evil:next', { needs: [`evil:"${text}"`] })]);
    const drawn = await draw(renderMermaid(buildPicture({ topology: 'hostile', plan, upToDate: new Set() })));
    // A line break in a title is drawn as one (no text), and the word joiner after a backslash is invisible.
    const shown = (value: string) => value.replaceAll('\u2060', '').replaceAll('\n', '');
    const seen = (value: string) => value.replaceAll('\n', '');
    expect(Object.fromEntries(Object.entries(drawn.nodes).map(([id, value]) => [id, shown(value)]))).toEqual({
      s1: seen(`evil:"${text}"${text}~5.0s`),
      s2: seen(`evil:next${text}~5.0s`),
    });
    expect(drawn.clusters.map(shown)).toEqual([seen(`cluster c"${text}`)]);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
