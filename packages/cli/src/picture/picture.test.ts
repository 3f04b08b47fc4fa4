// The plan as a picture: the model (durations, critical path, edges under --only), the mermaid and dot
// renderers (goldens on the examples; hostile ids and titles table-driven), the layered layout, the html
// page's structure, and `plan -o ...` reading recorded timings from state.json.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPlan, selectSteps, type Step } from '@meshspec/core';
import { EXAMPLE_WARNINGS, EXAMPLES, onlyWarnings, runCli } from '../__fixtures__/run-cli.js';
import { LAST_APPLY, writeRecordedState } from './__fixtures__/recorded-state.js';
import { renderDot } from './dot.js';
import { clip, renderHtml, scriptJson } from './html.js';
import { layeredLayout } from './layout.js';
import { renderMermaid } from './mermaid.js';
import { buildPicture, formatDuration, timingSummary, type PlanPicture } from './model.js';

const temp = mkdtempSync(join(tmpdir(), 'meshspec-picture-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const SEED = join(EXAMPLES, 'linkerd-multicluster/topology.yaml');

const step = (id: string, extra: Partial<Step> = {}): Step => ({ id, title: `title of ${id}`, run: async () => {}, ...extra });

/** a: net -> cluster@a -> helm@a (slow) -> app@a; b: cluster@b -> app@b (after helm@a); certs alone. */
function samplePlan() {
  return buildPlan([
    step('kind:net', { plan: ['docker network create kind'] }),
    step('kind:cluster@a', { cluster: 'a', needs: ['kind:net'], resource: 'cluster-create' }),
    step('kind:cluster@b', { cluster: 'b', needs: ['kind:net'], resource: 'cluster-create' }),
    step('helm:chart@a', {
      cluster: 'a',
      needs: ['kind:cluster@a'],
      resource: 'helm',
      plan: ['helm upgrade --install x', 'Deployment x/y'],
    }),
    step('app:deploy@a', { cluster: 'a', needs: ['helm:chart@a'], estimateSeconds: 1 }),
    step('app:deploy@b', { cluster: 'b', needs: ['kind:cluster@b'], after: ['helm:chart@a'], estimateSeconds: 1 }),
    step('certs:ca', { estimateSeconds: 2 }),
  ]);
}

describe('buildPicture', () => {
  it('weighs steps by recorded durations, else estimates, and marks the critical path on nodes and edges', () => {
    const picture = buildPicture({
      topology: 't',
      plan: samplePlan(),
      upToDate: new Set(['kind:net']),
      recordedMs: new Map([
        ['kind:net', 1200],
        ['kind:cluster@b', 90_000],
      ]),
    });
    const byId = new Map(picture.steps.map((s) => [s.id, s]));
    expect(byId.get('kind:net')).toMatchObject({ durationMs: 1200, timing: 'recorded', upToDate: true, plugin: 'kind', critical: true });
    expect(byId.get('kind:cluster@a')).toMatchObject({ durationMs: 35_000, timing: 'estimate', cluster: 'a' });
    // cluster@b's recorded 90 s outweighs a's 35 s + 45 s of helm: the path goes through b.
    expect(picture.critical.path).toEqual(['kind:net', 'kind:cluster@b', 'app:deploy@b']);
    expect(picture.critical).toMatchObject({ totalMs: 1200 + 90_000 + 1000, recordedSteps: 2 });
    expect(picture.steps.filter((s) => s.critical).map((s) => s.id)).toEqual(picture.critical.path);
    expect(picture.edges.filter((e) => e.critical).map((e) => `${e.from}>${e.to}`)).toEqual([
      'kind:net>kind:cluster@b',
      'kind:cluster@b>app:deploy@b',
    ]);
    expect(picture.edges.find((e) => e.to === 'app:deploy@b' && e.from === 'helm:chart@a')).toMatchObject({
      kind: 'after',
      critical: false,
    });
    expect(picture.clusters).toEqual(['a', 'b']);
    expect(picture.plugins).toEqual(['certs', 'kind', 'helm', 'app']);
    expect(picture.sumMs).toBe(1200 + 35_000 + 90_000 + 45_000 + 1000 + 1000 + 2000);
  });

  it('without recordings the path follows the estimates', () => {
    const picture = buildPicture({ topology: 't', plan: samplePlan(), upToDate: new Set() });
    expect(picture.critical.path).toEqual(['kind:net', 'kind:cluster@a', 'helm:chart@a', 'app:deploy@a']);
    expect(picture.critical.recordedSteps).toBe(0);
    expect(timingSummary(picture)).toBe(
      '7 steps; critical path 1m 26s over 4 steps (estimated); all steps one after another 2m 04s; no apply recorded yet',
    );
  });

  it('draws no edge to a step --only left out', () => {
    const plan = selectSteps(samplePlan(), ['app:deploy@b']);
    const picture = buildPicture({ topology: 't', plan, upToDate: new Set() });
    expect(picture.steps.map((s) => s.id)).toEqual(['kind:net', 'kind:cluster@b', 'app:deploy@b']);
    expect(picture.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['kind:net>kind:cluster@b', 'kind:cluster@b>app:deploy@b']);
  });

  it('carries the last apply and says it in the summary', () => {
    const picture = buildPicture({
      topology: 't',
      plan: samplePlan(),
      upToDate: new Set(),
      lastApply: { ...LAST_APPLY, ok: false, ran: 5 },
    });
    expect(timingSummary(picture)).toContain(
      'last apply 5m 00s wall time (5 steps ran, not all succeeded, finished 2026-11-29T10:00:00.000Z)',
    );
  });

  it.each([
    [0, '0ms'],
    [850, '850ms'],
    [4_250, '4.2s'],
    [9_999, '9.9s'],
    [35_000, '35s'],
    [59_400, '59s'],
    [245_000, '4m 05s'],
    [3_720_000, '1h 02m'],
  ])('formatDuration(%d) = %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('plan pictures of the examples (goldens)', () => {
  const cases = ['linkerd-multicluster', 'three-clusters', 'modern-linkerd', 'custom-plugin'].flatMap((name) => [
    [name, 'mermaid', 'mmd'],
    [name, 'dot', 'dot'],
  ]);
  it.each(cases)('%s as %s', async (name, format, ext) => {
    const { code, stdout, stderr } = await runCli(['plan', `examples/${name}/topology.yaml`, '-o', format]);
    expect(onlyWarnings(stderr)).toEqual({ paths: EXAMPLE_WARNINGS[name], errors: 0 });
    expect(code).toBe(0);
    await expect(stdout).toMatchFileSnapshot(`__golden__/plan-${name}.${ext}`);
  });

  it('have one node per plan step, in every format', async () => {
    const { steps } = JSON.parse((await runCli(['plan', SEED, '-o', 'json'])).stdout) as { steps: { id: string }[] };
    const mermaid = (await runCli(['plan', SEED, '-o', 'mermaid'])).stdout;
    const dot = (await runCli(['plan', SEED, '-o', 'dot'])).stdout;
    const html = (await runCli(['plan', SEED, '-o', 'html'])).stdout;
    expect(mermaid.match(/^ +s\d+\["/gm)).toHaveLength(steps.length);
    expect(dot.match(/^ +s\d+ \[label=/gm)).toHaveLength(steps.length);
    expect([...html.matchAll(/<g class="node[^"]*" data-id="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual(steps.map((s) => s.id).sort());
  });
});

describe('plan -o html is self-contained', () => {
  it('references nothing outside the page, and its CSP forbids any fetch', async () => {
    const html = (await runCli(['plan', SEED, '-o', 'html'])).stdout;
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/\b(?:src|href)\s*=/i);
    expect(html).not.toMatch(/<link\b|@import|<iframe|<object|<embed/i);
    // The only url() are the page's own arrow markers.
    expect([...html.matchAll(/url\(([^)]*)\)/g)].map((m) => m[1])).toEqual(expect.arrayContaining(['#arrow']));
    expect([...html.matchAll(/url\(([^)]*)\)/g)].every((m) => /^#arrow(-critical)?$/.test(m[1]!))).toBe(true);
    // URLs in plan lines (an ingress address) are text; the browser test checks that no request is made.
  });
});

describe('plan pictures read what the last apply recorded', () => {
  it('greys up-to-date steps and shows recorded durations and the wall time (mermaid, dot, html)', async () => {
    const stateDir = join(temp, 'recorded');
    await writeRecordedState(
      SEED,
      stateDir,
      [
        { id: 'kind:network', durationMs: 1_500, upToDate: true },
        { id: 'kind:cluster@demo', durationMs: 123_000, upToDate: false },
      ],
      LAST_APPLY,
    );
    const run = async (format: string) => {
      const { code, stdout } = await runCli(['plan', SEED, '-o', format, '--state-dir', stateDir]);
      expect(code).toBe(0);
      return stdout;
    };
    const mermaid = await run('mermaid');
    expect(mermaid).toContain('s1["kind:network<br/>docker network kind<br/>1.5s up to date"]');
    const cluster = /(s\d+)\["kind:cluster@demo<br\/>kind cluster demo<br\/>2m 03s"\]/.exec(mermaid)?.[1];
    expect(cluster, 'the recorded duration of kind:cluster@demo').toBeDefined();
    expect(mermaid).toMatch(/^ {2}class s1 upToDate$/m);
    expect(mermaid).toContain('last apply 5m 00s wall time (32 steps ran, finished 2026-11-29T10:00:00.000Z)');
    // The recorded 2 m (its estimate is 35 s) keeps demo's cluster, after the network, on the critical path.
    expect(mermaid).toMatch(new RegExp(`^ {2}class s1,(.*,)?${cluster},.* critical$`, 'm'));
    const dot = await run('dot');
    expect(dot).toContain(
      's1 [label="kind:network\\ndocker network kind\\n1.5s up to date", fillcolor="#eeeeee", fontcolor="#999999", color="#d62728", penwidth=3];',
    );
    const html = await run('html');
    expect(html).toMatch(/<g class="node critical up-to-date" data-id="kind:network"/);
    expect(html).toContain('<dt>last apply (wall time)</dt><dd>5m 00s: 32 steps ran, 0 up to date; finished 2026-11-29T10:00:00.000Z</dd>');
  });
});

/** A plan whose ids, titles, clusters and plan lines try to break out of every format. */
const HOSTILE: [name: string, text: string][] = [
  ['double quotes and a bracket', 'say "hi"] --> s1'],
  ['a line break', 'first line\nsecond line'],
  ['a carriage return and tab', 'a\r\tb'],
  ['html', '<script>alert(1)</script><img src=x onerror=alert(2)>'],
  ['mermaid comment and directive', '%% comment %%{init: {"theme":"dark"}}%%'],
  ['mermaid entity look-alike', '#quot; #35; &amp;'],
  ['backslashes, one at the end', 'C:\\dir\\n\\'],
  ['a backslash before n at the end', 'ends with \\n'],
  ['dot keywords and braces', '} subgraph x { node [shape=none]'],
  ['backticks (mermaid markdown)', '`**bold**`'],
  ['pipes and semicolons', 'a|b; c -> d'],
  ['unicode beyond the BMP and separators', 'éß 🚀 \u2028 \u2029'],
  ['a script close in JSON', '</script><script>alert(3)</script>'],
];

function hostilePicture(text: string): PlanPicture {
  const plan = buildPlan([
    step(`evil:"${text}"`, { title: text, cluster: `c"${text}`, plan: [text, `kubectl apply ${text}`] }),
    step('evil:next', { title: `after ${text}`, needs: [`evil:"${text}"`] }),
  ]);
  return buildPicture({ topology: 'hostile', plan, upToDate: new Set() });
}

/** Entity codes back to text; the word joiner mermaid.ts puts between a backslash and `n` dropped. */
const decodeMermaid = (label: string) =>
  label.replace(/#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code))).replaceAll('\\\u2060n', '\\n');
const decodeDot = (label: string) =>
  label.replace(/&#92;&#92;/g, '\\').replace(/&#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code)));

describe('escaping hostile ids and titles', () => {
  it.each(HOSTILE)('mermaid: %s', (_name, text) => {
    const picture = hostilePicture(text);
    const out = renderMermaid(picture);
    const nodes = [...out.matchAll(/^ +s(\d+)\["(.*)"\]$/gm)];
    expect(nodes).toHaveLength(2);
    for (const [, index, label] of nodes) {
      // Only safe characters and entity codes: nothing can end the label or start syntax.
      expect(label).toMatch(/^(?:[A-Za-z0-9 .,:/@_=+()'~-]|#\d+;|<br\/>)*$/);
      const s = picture.steps[Number(index) - 1]!;
      expect(label!.split('<br/>').map(decodeMermaid)).toEqual([s.id, s.title, expect.stringMatching(/^~/)]);
    }
    const subgraph = /^ {2}subgraph c1\["(.*)"\]$/m.exec(out);
    expect(decodeMermaid(subgraph![1]!)).toBe(`cluster c"${text}`);
    // Every line is one statement: the line count does not depend on the text.
    expect(out.split('\n')).toHaveLength(renderMermaid(hostilePicture('plain')).split('\n').length);
  });

  it.each(HOSTILE)('dot: %s', (_name, text) => {
    const picture = hostilePicture(text);
    const out = renderDot(picture);
    const nodes = [
      ...out.matchAll(/^ +s(\d+) \[label="((?:[^"\\]|\\n)*)", fillcolor="#[0-9a-f]{6}"(?:, color="#[0-9a-f]{6}", penwidth=3)?\];$/gm),
    ];
    expect(nodes).toHaveLength(2);
    for (const [, index, label] of nodes) {
      // Safe ASCII, references (a backslash as two), dot's line break, and characters beyond U+FFFF as UTF-8.
      expect(label).toMatch(/^(?:[A-Za-z0-9 .,:/@_=+()'~-]|&#\d+;|\\n|[\u{10000}-\u{10ffff}])*$/u);
      expect(label!.replaceAll('&#92;&#92;', '')).not.toContain('&#92;');
      const s = picture.steps[Number(index) - 1]!;
      expect(label!.split('\\n').map(decodeDot)).toEqual([s.id, s.title, expect.stringMatching(/^~/)]);
    }
    expect(decodeDot(/^ {4}label="(.*)";$/m.exec(out)![1]!)).toBe(`cluster c"${text}`);
    expect(out.split('\n')).toHaveLength(renderDot(hostilePicture('plain')).split('\n').length);
  });

  it.each(HOSTILE)('html: %s', (_name, text) => {
    const picture = hostilePicture(text);
    const html = renderHtml(picture);
    // The page's own markup only: no tag, attribute or script a title could have added.
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html.match(/<g class="node/g)).toHaveLength(2);
    // The data block parses back to the exact texts.
    const json = /<script type="application\/json" id="plan-data">(.*?)<\/script>/s.exec(html)![1]!;
    const data = JSON.parse(json) as { steps: { id: string; title: string; cluster?: string; runs: string[] }[] };
    expect(data.steps[0]).toMatchObject({ id: `evil:"${text}"`, title: text, cluster: `c"${text}`, runs: [text, `kubectl apply ${text}`] });
  });

  it('scriptJson leaves nothing that ends a script element or a line in old parsers', () => {
    const out = scriptJson({ a: '</script><!-- \u2028\u2029 & >' });
    expect(out).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(out)).toEqual({ a: '</script><!-- \u2028\u2029 & >' });
  });

  it('clip keeps short texts and cuts long ones on characters, not UTF-16 halves', () => {
    expect(clip('short', 10)).toBe('short');
    expect(clip('🚀🚀🚀🚀', 3)).toBe('🚀🚀…');
  });
});

describe('layeredLayout', () => {
  const nodes = samplePlan().steps.map((n) => ({ id: n.id, deps: [...n.needs, ...n.after], group: n.step.cluster ?? '' }));
  const layout = layeredLayout(nodes, ['a', 'b']);
  const box = (id: string) => layout.boxes.get(id)!;

  it('puts every step right of everything it waits for', () => {
    for (const node of nodes)
      for (const dep of node.deps) expect(box(dep).column, `${dep} -> ${node.id}`).toBeLessThan(box(node.id).column);
    expect(box('app:deploy@b').column).toBe(3);
  });

  it('never overlaps two boxes, and keeps them inside the canvas', () => {
    const all = [...layout.boxes.entries()];
    for (const [i, [, a]] of all.entries()) {
      expect(a.x + a.width).toBeLessThanOrEqual(layout.width);
      expect(a.y + a.height).toBeLessThanOrEqual(layout.height);
      for (const [, b] of all.slice(i + 1))
        expect(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y).toBe(true);
    }
  });

  it('keeps each column in bands: steps of no cluster, then each cluster in order', () => {
    const rank = (group: string) => (group === '' ? -1 : ['a', 'b'].indexOf(group));
    const columns = new Map<number, { row: number; group: string }[]>();
    for (const node of nodes)
      columns.set(box(node.id).column, [...(columns.get(box(node.id).column) ?? []), { row: box(node.id).row, group: node.group }]);
    for (const column of columns.values()) {
      const groups = column.sort((x, y) => x.row - y.row).map((c) => rank(c.group));
      expect(groups).toEqual([...groups].sort((x, y) => x - y));
    }
  });
});
