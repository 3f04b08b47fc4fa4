// `meshspec plan -o html`: one self-contained page (no network: inline SVG, CSS and script; the CSP forbids
// every fetch). The SVG is laid out here (layout.ts), so the page shows the graph even without script; the
// script adds the cluster filter and per-step details. Timings: per node, and a "where time went" table
// with the critical path against the last apply's wall time.
import { layeredLayout, NODE, type Box } from './layout.js';
import { formatDuration, stepDuration, timingSummary, type PictureStep, type PlanPicture } from './model.js';
import { PICTURE_SCRIPT } from './html-script.js';
import { CRITICAL, pluginColour, UP_TO_DATE } from './style.js';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Text and attribute values in HTML and SVG. */
export const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);

/** JSON inside `<script type="application/json">`: nothing in it can close the element or start a comment. */
export const scriptJson = (value: unknown) =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** At most `max` characters, an ellipsis standing for the rest (full text in the tooltip and details). */
export const clip = (text: string, max: number) => ([...text].length <= max ? text : `${[...text].slice(0, max - 1).join('')}…`);

/** A curve from the right middle of `from` to the left middle of `to`; html-script.ts draws the same after a filter. */
function edgePath(from: Box, to: Box): string {
  const x1 = from.x + from.width;
  const y1 = from.y + from.height / 2;
  const x2 = to.x - 6;
  const y2 = to.y + to.height / 2;
  const bend = Math.max(24, (x2 - x1) / 2);
  return `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`;
}

function nodeSvg(picture: PlanPicture, step: PictureStep, box: Box): string {
  const fill = step.upToDate ? UP_TO_DATE.fill : pluginColour(picture.plugins, step.plugin);
  const classes = ['node', ...(step.critical ? ['critical'] : []), ...(step.upToDate ? ['up-to-date'] : [])].join(' ');
  const tooltip = [
    step.id,
    step.title,
    `${stepDuration(step)} (${step.timing})${step.upToDate ? ', up to date' : ''}`,
    ...step.runs.slice(0, 6),
    ...(step.runs.length > 6 ? ['…'] : []),
  ].join('\n');
  const second = `${stepDuration(step)}${step.upToDate ? ' · up to date' : ''} · ${step.title}`;
  return [
    `<g class="${classes}" data-id="${escapeXml(step.id)}" data-cluster="${escapeXml(step.cluster ?? '')}" data-index="${step.index}" data-column="${box.column}" tabindex="0" role="button">`,
    `<title>${escapeXml(tooltip)}</title>`,
    `<rect x="${box.x}" y="${box.y}" width="${box.width}" height="${box.height}" rx="6" fill="${fill}"/>`,
    `<text x="${box.x + 8}" y="${box.y + 19}" class="id">${escapeXml(clip(step.id, 33))}</text>`,
    `<text x="${box.x + 8}" y="${box.y + 37}" class="sub">${escapeXml(clip(second, 38))}</text>`,
    '</g>',
  ].join('');
}

function graphSvg(picture: PlanPicture): string {
  const layout = layeredLayout(
    picture.steps.map((step) => ({ id: step.id, deps: [...step.needs, ...step.after], group: step.cluster ?? '' })),
    picture.clusters,
  );
  const box = (id: string) => layout.boxes.get(id)!;
  // Critical edges last so they are drawn on top.
  const edges = [...picture.edges].sort((a, b) => Number(a.critical) - Number(b.critical));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" id="graph-svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" data-margin="${NODE.margin}" data-row-gap="${NODE.rowGap}">`,
    '<defs>',
    '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#777777"/></marker>',
    `<marker id="arrow-critical" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${CRITICAL}"/></marker>`,
    '</defs>',
    ...edges.map(
      (edge) =>
        `<path class="edge ${edge.kind}${edge.critical ? ' critical' : ''}" data-from="${escapeXml(edge.from)}" data-to="${escapeXml(edge.to)}" d="${edgePath(box(edge.from), box(edge.to))}" marker-end="url(#${edge.critical ? 'arrow-critical' : 'arrow'})"/>`,
    ),
    ...picture.steps.map((step) => nodeSvg(picture, step, box(step.id))),
    '</svg>',
  ].join('\n');
}

function filterHtml(picture: PlanPicture): string {
  const global = picture.steps.some((step) => step.cluster === undefined);
  const box = (value: string, label: string) =>
    `<label><input type="checkbox" name="cluster" value="${escapeXml(value)}" checked> ${escapeXml(label)}</label>`;
  return [
    '<fieldset id="cluster-filter"><legend>Clusters</legend>',
    `<select id="only-cluster" aria-label="show one cluster"><option value="*">all clusters</option>${picture.clusters.map((c) => `<option value="${escapeXml(c)}">only ${escapeXml(c)}</option>`).join('')}</select>`,
    ...picture.clusters.map((cluster) => box(cluster, cluster)),
    ...(global ? [box('', 'steps of no cluster')] : []),
    '<span id="shown-count"></span>',
    '</fieldset>',
  ].join('\n');
}

function legendHtml(picture: PlanPicture): string {
  const swatch = (colour: string, label: string, extra = '') =>
    `<span class="swatch" style="background:${colour}${extra}"></span>${escapeXml(label)}`;
  return [
    '<p id="legend">',
    ...picture.plugins.map((plugin) => swatch(pluginColour(picture.plugins, plugin), plugin)),
    swatch(UP_TO_DATE.fill, 'up to date'),
    swatch('#ffffff', 'critical path', `;border:3px solid ${CRITICAL}`),
    '<span class="note">dashed: ordering only · ~: estimate (no apply recorded it)</span>',
    '</p>',
  ].join(' ');
}

function timingsHtml(picture: PlanPicture): string {
  const { critical, lastApply } = picture;
  const facts: [string, string][] = [
    [
      'critical path',
      `${formatDuration(critical.totalMs)} over ${critical.path.length} steps (${critical.recordedSteps} recorded, ${critical.path.length - critical.recordedSteps} estimated): no schedule finishes sooner`,
    ],
    ['all steps one after another', formatDuration(picture.sumMs)],
  ];
  if (lastApply) {
    facts.push([
      'last apply (wall time)',
      `${formatDuration(lastApply.wallMs)}: ${lastApply.ran} steps ran, ${lastApply.upToDate} up to date${lastApply.ok ? '' : ', not all succeeded'}; finished ${lastApply.finishedAt}`,
    ]);
    const gap = lastApply.wallMs - critical.totalMs;
    facts.push([
      'wall time − critical path',
      `${gap >= 0 ? '' : '−'}${formatDuration(Math.abs(gap))} (time spent waiting for a free slot, or on steps the last apply did not run)`,
    ]);
  } else {
    facts.push(['last apply (wall time)', 'not recorded yet: run meshspec apply, then plan again']);
  }
  const longest = Math.max(1, ...picture.steps.map((step) => step.durationMs));
  const rows = [...picture.steps]
    .sort((a, b) => b.durationMs - a.durationMs || a.index - b.index)
    .map(
      (step) =>
        `<tr data-step="${escapeXml(step.id)}"${step.critical ? ' class="critical"' : ''}><td>${escapeXml(step.id)}</td><td>${escapeXml(step.cluster ?? '')}</td><td class="num">${escapeXml(stepDuration(step))}</td><td>${step.timing}</td><td>${step.critical ? 'yes' : ''}</td><td class="bar"><span style="width:${((100 * step.durationMs) / longest).toFixed(1)}%"></span></td></tr>`,
    );
  return [
    '<section id="timings"><h2>Where time went</h2>',
    `<dl>${facts.map(([name, value]) => `<dt>${escapeXml(name)}</dt><dd>${escapeXml(value)}</dd>`).join('')}</dl>`,
    '<table><thead><tr><th>step</th><th>cluster</th><th>duration</th><th>from</th><th>critical</th><th></th></tr></thead><tbody>',
    ...rows,
    '</tbody></table></section>',
  ].join('\n');
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #222; background: #fff; }
header { padding: 12px 16px; border-bottom: 1px solid #ddd; }
h1 { font-size: 18px; margin: 0 0 4px; }
#summary { margin: 0 0 8px; color: #444; }
fieldset { border: 1px solid #ccc; display: inline-flex; gap: 12px; align-items: center; flex-wrap: wrap; }
#shown-count { color: #666; }
#legend { margin: 8px 0 0; display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.swatch { display: inline-block; width: 14px; height: 14px; border: 1px solid #777; vertical-align: middle; margin-right: 3px; box-sizing: border-box; }
.note { color: #666; }
main { display: flex; align-items: flex-start; }
#graph { overflow: auto; flex: 1; max-height: 80vh; border-right: 1px solid #ddd; }
#details { width: 380px; padding: 0 16px; overflow-wrap: anywhere; }
#details ul.runs { font: 12px ui-monospace, monospace; padding-left: 16px; }
#details dt { font-weight: 600; } #details dd { margin: 0 0 4px; }
g.node { cursor: pointer; }
g.node rect { stroke: #555; stroke-width: 1; }
g.node.critical rect { stroke: ${CRITICAL}; stroke-width: 3; }
g.node.up-to-date text { fill: ${UP_TO_DATE.text}; }
g.node.selected rect { stroke: #000; stroke-width: 3; stroke-dasharray: 4 2; }
g.node text.id { font: 600 12px ui-monospace, monospace; }
g.node text.sub { font: 11px system-ui, sans-serif; fill: #333; }
path.edge { fill: none; stroke: #888; stroke-width: 1.2; }
path.edge.after { stroke-dasharray: 5 4; }
path.edge.critical { stroke: ${CRITICAL}; stroke-width: 3; }
path.edge.near { stroke: #1f6feb; stroke-width: 2.5; }
.filtered { display: none; }
#timings { padding: 8px 16px 24px; }
#timings dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; }
#timings dt { font-weight: 600; } #timings dd { margin: 0; }
#timings table { border-collapse: collapse; font-size: 13px; }
#timings td, #timings th { padding: 2px 8px; text-align: left; border-bottom: 1px solid #eee; }
#timings td.num { text-align: right; font-variant-numeric: tabular-nums; }
#timings tr.critical td:first-child { color: ${CRITICAL}; font-weight: 600; }
#timings td.bar { width: 200px; } #timings td.bar span { display: block; height: 10px; background: #8fb3e6; }
`;

export function renderHtml(picture: PlanPicture): string {
  // What the script needs per step; durations formatted here so the page and the labels agree.
  const data = {
    topology: picture.topology,
    steps: picture.steps.map((step) => ({ ...step, duration: stepDuration(step) })),
  };
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // No fetch of any kind: everything the page needs is in it.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>meshspec plan: ${escapeXml(picture.topology)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body>',
    `<header><h1>Plan for topology ${escapeXml(picture.topology)}</h1>`,
    `<p id="summary">${escapeXml(timingSummary(picture))}</p>`,
    filterHtml(picture),
    legendHtml(picture),
    '</header>',
    `<main><div id="graph">${graphSvg(picture)}</div>`,
    '<aside id="details"><p>Click a step to see its commands and objects.</p></aside></main>',
    timingsHtml(picture),
    `<script type="application/json" id="plan-data">${scriptJson(data)}</script>`,
    `<script>${PICTURE_SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
