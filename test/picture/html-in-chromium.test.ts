// `meshspec plan -o html` in a REAL headless Chromium (playwright-core driving the system's chromium; no
// browser download, no network): the page renders (the screenshot is not blank), shows one node per
// plan step, the cluster filter hides the other clusters' steps, a click shows a step's commands and
// objects, the critical path is drawn, timings come from state.json, and the page fetches nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { buildPlan, type Step } from '../../packages/core/src/index.js';
import { EXAMPLES, runCli } from '../../packages/cli/src/__fixtures__/run-cli.js';
import { LAST_APPLY, writeRecordedState } from '../../packages/cli/src/picture/__fixtures__/recorded-state.js';
import { renderHtml } from '../../packages/cli/src/picture/html.js';
import { buildPicture } from '../../packages/cli/src/picture/model.js';
import { launchChromium } from './tools.js';
import { decodePng, pixelStats } from './png.js';

interface PlanStep {
  id: string;
  cluster?: string;
  needs: string[];
  after: string[];
  runs: string[];
}

const temp = mkdtempSync(join(tmpdir(), 'meshspec-browser-'));
// Launched once, awaited inside each test: without a Chromium every test FAILS with the install hint
// (a throwing beforeAll would only mark them skipped).
let launched: Promise<Browser> | undefined;
const chromium = () => (launched ??= launchChromium());
afterAll(async () => {
  await launched?.then(
    (browser) => browser.close(),
    () => {},
  );
  rmSync(temp, { recursive: true, force: true });
});

async function planOf(file: string, extra: string[] = []): Promise<PlanStep[]> {
  const { code, stdout } = await runCli(['plan', file, '-o', 'json', ...extra]);
  expect(code).toBe(0);
  return (JSON.parse(stdout) as { steps: PlanStep[] }).steps;
}

/** Writes the page to a file and opens it as a user would (file://), recording every request it makes. */
async function openPage(html: string, name: string): Promise<{ page: Page; requests: string[]; errors: string[] }> {
  const file = join(temp, `${name}.html`);
  writeFileSync(file, html);
  const page = await (await chromium()).newPage({ viewport: { width: 1400, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('dialog', (dialog) => {
    errors.push(`dialog opened: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(file).href);
  return { page, requests: requests.filter((url) => url !== pathToFileURL(file).href), errors };
}

async function htmlOf(file: string, extra: string[] = []): Promise<string> {
  const { code, stdout } = await runCli(['plan', file, '-o', 'html', ...extra]);
  expect(code).toBe(0);
  return stdout;
}

const visibleIds = (page: Page) =>
  page.$$eval('g.node', (nodes) => nodes.filter((n) => getComputedStyle(n).display !== 'none').map((n) => n.getAttribute('data-id')!));

describe('plan -o html in headless Chromium (three-clusters)', () => {
  const file = join(EXAMPLES, 'three-clusters/topology.yaml');
  let page: Page;
  let steps: PlanStep[];
  let requests: string[];
  let errors: string[];
  let opened: Promise<void> | undefined;
  /** The page, opened by the first test that needs it (see `chromium()` for why not in beforeAll). */
  const ready = () =>
    (opened ??= (async () => {
      steps = await planOf(file);
      ({ page, requests, errors } = await openPage(await htmlOf(file), 'three-clusters'));
    })());
  beforeEach(async () => {
    await ready();
    // Each test starts from every cluster shown, whatever the one before left.
    await page.selectOption('#only-cluster', '*');
  });

  it('renders a screenshot that is not blank, without errors or any request', async () => {
    const shot = pixelStats(decodePng(await page.screenshot()));
    expect(shot.variance).toBeGreaterThan(200);
    expect(shot.colours).toBeGreaterThan(50);
    expect(shot.notWhite).toBeGreaterThan(0.05);
    // The measure can fail: an empty page of the same size is flat.
    const blank = await (await chromium()).newPage({ viewport: { width: 1400, height: 900 } });
    const flat = pixelStats(decodePng(await blank.screenshot()));
    await blank.close();
    expect(flat.variance).toBeLessThan(1);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('draws one node per plan step, each with a box of real size', async () => {
    const ids = await page.$$eval('g.node', (nodes) => nodes.map((n) => n.getAttribute('data-id')!));
    expect(ids.sort()).toEqual(steps.map((s) => s.id).sort());
    const sizes = await page.$$eval('g.node', (nodes) =>
      nodes.map((n) => {
        const box = (n as SVGGraphicsElement).getBBox();
        return { id: n.getAttribute('data-id'), width: box.width, height: box.height };
      }),
    );
    expect(sizes.filter((box) => !(box.width >= 200 && box.height >= 40))).toEqual([]);
    expect(await page.textContent('#shown-count')).toBe(`${steps.length} of ${steps.length} steps shown`);
  });

  it("the cluster filter hides the other clusters' nodes and their edges", async () => {
    const of = (cluster: string | undefined) =>
      steps
        .filter((s) => s.cluster === cluster)
        .map((s) => s.id)
        .sort();
    await page.selectOption('#only-cluster', 'west');
    expect((await visibleIds(page)).sort()).toEqual([...of('west'), ...of(undefined)].sort());
    // Unticking "steps of no cluster" leaves west's alone.
    await page.uncheck('input[name=cluster][value=""]');
    expect((await visibleIds(page)).sort()).toEqual(of('west'));
    expect(await page.textContent('#shown-count')).toBe(`${of('west').length} of ${steps.length} steps shown`);
    const shownEdges = await page.$$eval('path.edge', (edges) =>
      edges.filter((e) => getComputedStyle(e).display !== 'none').map((e) => [e.getAttribute('data-from')!, e.getAttribute('data-to')!]),
    );
    expect(shownEdges.length).toBeGreaterThan(0);
    expect(shownEdges.flat().every((id) => of('west').includes(id))).toBe(true);
    // The shown steps close up (no holes where the others were), and the edges follow them.
    const geometry = await page.evaluate(() => {
      const rectOf = (el: Element) => el.getBoundingClientRect();
      const nodes = [...document.querySelectorAll('g.node')].filter((n) => getComputedStyle(n).display !== 'none');
      const boxes = Object.fromEntries(
        nodes.map((n) => [
          n.getAttribute('data-id')!,
          { column: n.getAttribute('data-column')!, ...rectOf(n.querySelector('rect')!).toJSON() },
        ]),
      );
      const edges = [...document.querySelectorAll('path.edge')]
        .filter((e) => getComputedStyle(e).display !== 'none')
        .map((e) => {
          const path = e as SVGPathElement;
          const matrix = path.getScreenCTM()!;
          const at = (length: number) =>
            new DOMPoint(path.getPointAtLength(length).x, path.getPointAtLength(length).y).matrixTransform(matrix);
          const start = at(0);
          const end = at(path.getTotalLength());
          return {
            from: e.getAttribute('data-from')!,
            to: e.getAttribute('data-to')!,
            start: { x: start.x, y: start.y },
            end: { x: end.x, y: end.y },
          };
        });
      return { boxes, edges, svgTop: document.getElementById('graph-svg')!.getBoundingClientRect().top };
    });
    const columns = new Map<string, { top: number; bottom: number }[]>();
    for (const box of Object.values(geometry.boxes))
      columns.set(box.column, [...(columns.get(box.column) ?? []), { top: box.top, bottom: box.bottom }]);
    for (const stack of columns.values()) {
      stack.sort((a, b) => a.top - b.top);
      expect(stack[0]!.top - geometry.svgTop).toBeCloseTo(16, 0);
      for (let i = 1; i < stack.length; i++) expect(stack[i]!.top - stack[i - 1]!.bottom).toBeCloseTo(14, 0);
    }
    for (const edge of geometry.edges) {
      const from = geometry.boxes[edge.from]!;
      const to = geometry.boxes[edge.to]!;
      expect(
        Math.abs(edge.start.x - from.right) + Math.abs(edge.start.y - (from.top + from.bottom) / 2),
        `${edge.from} -> ${edge.to} starts on its step`,
      ).toBeLessThan(2);
      expect(
        Math.abs(edge.end.x - (to.left - 6)) + Math.abs(edge.end.y - (to.top + to.bottom) / 2),
        `${edge.from} -> ${edge.to} ends at its step`,
      ).toBeLessThan(2);
    }
    // Ticking east back adds exactly east's steps.
    await page.check('input[name=cluster][value=east]');
    expect((await visibleIds(page)).sort()).toEqual([...of('west'), ...of('east')].sort());
    await page.selectOption('#only-cluster', '*');
    expect((await visibleIds(page)).length).toBe(steps.length);
  });

  it("shows a step's commands and objects on click", async () => {
    const target = steps.find((s) => s.id === 'linkerd:control-plane@north')!;
    expect(target.runs.length).toBeGreaterThan(0);
    await page.click('g.node[data-id="linkerd:control-plane@north"]');
    expect(await page.textContent('#details h2')).toBe(target.id);
    expect(await page.$$eval('#details ul.runs li', (items) => items.map((li) => li.textContent))).toEqual(target.runs);
    expect(await page.textContent('#details')).toContain('cluster');
    expect(await page.getAttribute('g.node[data-id="linkerd:control-plane@north"]', 'class')).toContain('selected');
  });

  it('draws the critical path as a chain of red nodes joined by red edges', async () => {
    const critical = await page.$$eval('g.node.critical', (nodes) => nodes.map((n) => n.getAttribute('data-id')!));
    expect(critical.length).toBeGreaterThan(2);
    const index = new Map(steps.map((s, i) => [s.id, i]));
    const chain = [...critical].sort((a, b) => index.get(a)! - index.get(b)!);
    const byId = new Map(steps.map((s) => [s.id, s]));
    for (let i = 1; i < chain.length; i++) expect([...byId.get(chain[i]!)!.needs, ...byId.get(chain[i]!)!.after]).toContain(chain[i - 1]);
    const edges = await page.$$eval('path.edge.critical', (paths) =>
      paths.map((p) => `${p.getAttribute('data-from')}>${p.getAttribute('data-to')}`),
    );
    expect(edges.sort()).toEqual(
      chain
        .slice(1)
        .map((id, i) => `${chain[i]}>${id}`)
        .sort(),
    );
    const stroke = await page.$eval('g.node.critical rect', (rect) => getComputedStyle(rect).stroke);
    expect(stroke).toBe('rgb(214, 39, 40)');
  });
});

describe('plan -o html shows where time went (recorded timings)', () => {
  it('node labels, greyed up-to-date steps and the wall time of the last apply', async () => {
    const file = join(EXAMPLES, 'linkerd-multicluster/topology.yaml');
    const stateDir = join(temp, 'state');
    await writeRecordedState(
      file,
      stateDir,
      [
        { id: 'kind:network', durationMs: 2_000, upToDate: true },
        { id: 'kind:cluster@demo3', durationMs: 95_000, upToDate: false },
      ],
      LAST_APPLY,
    );
    const { page, errors } = await openPage(await htmlOf(file, ['--state-dir', stateDir]), 'recorded');
    expect(await page.textContent('g.node[data-id="kind:cluster@demo3"] text.sub')).toMatch(/^1m 35s · /);
    expect(await page.getAttribute('g.node[data-id="kind:network"]', 'class')).toContain('up-to-date');
    const fill = await page.$eval('g.node[data-id="kind:network"] rect', (rect) => getComputedStyle(rect).fill);
    expect(fill).toBe('rgb(238, 238, 238)');
    // The slowest step heads the table; the last apply's wall time stands beside the critical path.
    expect(await page.textContent('#timings tbody tr:first-child td:first-child')).toBe('kind:cluster@demo3');
    expect(await page.textContent('#timings')).toContain('5m 00s: 32 steps ran');
    expect(await page.textContent('#summary')).toMatch(
      /critical path \d+m \d\ds over \d+ steps \(2 of \d+ steps recorded, the rest estimated\)/,
    );
    expect(errors).toEqual([]);
  });
});

describe('plan -o html with hostile titles in the browser', () => {
  it('shows them as text: no script runs, no dialog opens, details hold the exact strings', async () => {
    const title = '</script><script>alert(1)</script><img src=x onerror=alert(2)> "quoted" & \u2028 🚀';
    const step = (id: string, extra: Partial<Step> = {}): Step => ({ id, title, run: async () => {}, ...extra });
    const plan = buildPlan([step('evil:<b>one</b>', { cluster: 'c"1', plan: [title] }), step('evil:two', { needs: ['evil:<b>one</b>'] })]);
    const { page, errors, requests } = await openPage(
      renderHtml(buildPicture({ topology: 'hostile', plan, upToDate: new Set() })),
      'hostile',
    );
    expect(await page.$$eval('g.node', (nodes) => nodes.length)).toBe(2);
    await page.click('g.node[data-index="1"]');
    expect(await page.textContent('#details h2')).toBe('evil:<b>one</b>');
    expect(await page.textContent('#details ul.runs li')).toBe(title);
    expect(await page.$$eval('img, #details b', (found) => found.length)).toBe(0);
    await page.selectOption('#only-cluster', 'c"1');
    expect(await visibleIds(page)).toEqual(['evil:<b>one</b>', 'evil:two']);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });
});
