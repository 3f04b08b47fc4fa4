// `meshspec plan -o mermaid`: a mermaid flowchart of the plan. Pure and deterministic (golden-tested).
// Steps get generated ids (s1, s2, ... in run order) and carry their real id in the label, so no step id
// or title can break the syntax; clusters are subgraphs, plugins classes (colours), up-to-date steps grey,
// the critical path red and thick.
import { stepDuration, timingSummary, type PlanPicture, type PictureStep } from './model.js';
import { CRITICAL, encodeLabel, pluginColour, UP_TO_DATE } from './style.js';

/**
 * Mermaid's entity codes (`#35;`) for every character outside the safe set. Mermaid decodes them and THEN
 * turns a backslash followed by `n` into a line break, so such a backslash is followed by an invisible
 * word joiner (U+2060): the text reads the same and keeps its `\n`. Checked with the real mermaid in
 * test/picture/mermaid-in-chromium.test.ts.
 */
export const mermaidText = (text: string) => encodeLabel(text, (code) => `#${code};`).replace(/#92;(?=n)/g, '#92;#8288;');

/** A class name mermaid accepts, unique per plugin. */
export function pluginClasses(plugins: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>();
  plugins.forEach((plugin, i) => {
    let name = `plugin_${plugin.replace(/[^A-Za-z0-9_]/g, '_')}`;
    if (used.has(name)) name = `${name}_${i + 1}`;
    used.add(name);
    names.set(plugin, name);
  });
  return names;
}

function nodeLine(step: PictureStep): string {
  const lines = [step.id, step.title, `${stepDuration(step)}${step.upToDate ? ' up to date' : ''}`].map(mermaidText);
  return `s${step.index}["${lines.join('<br/>')}"]`;
}

export function renderMermaid(picture: PlanPicture): string {
  const out = [`%% meshspec plan '${picture.topology.replace(/[\r\n]/g, ' ')}': ${timingSummary(picture)}`, 'flowchart LR'];
  const nodeId = new Map(picture.steps.map((step) => [step.id, `s${step.index}`]));
  for (const step of picture.steps) if (step.cluster === undefined) out.push(`  ${nodeLine(step)}`);
  picture.clusters.forEach((cluster, i) => {
    out.push(`  subgraph c${i + 1}["${mermaidText(`cluster ${cluster}`)}"]`);
    for (const step of picture.steps) if (step.cluster === cluster) out.push(`    ${nodeLine(step)}`);
    out.push('  end');
  });
  const critical: number[] = [];
  picture.edges.forEach((edge, i) => {
    out.push(`  ${nodeId.get(edge.from)} ${edge.kind === 'needs' ? '-->' : '-.->'} ${nodeId.get(edge.to)}`);
    if (edge.critical) critical.push(i);
  });
  const classes = pluginClasses(picture.plugins);
  for (const plugin of picture.plugins) {
    out.push(`  classDef ${classes.get(plugin)} fill:${pluginColour(picture.plugins, plugin)},stroke:#555555,color:#111111`);
    const members = picture.steps.filter((step) => step.plugin === plugin).map((step) => nodeId.get(step.id));
    out.push(`  class ${members.join(',')} ${classes.get(plugin)}`);
  }
  // Defined after the plugin classes so their fill wins: grey says "apply will not run this".
  const upToDate = picture.steps.filter((step) => step.upToDate);
  if (upToDate.length > 0) {
    out.push(`  classDef upToDate fill:${UP_TO_DATE.fill},stroke:${UP_TO_DATE.stroke},color:${UP_TO_DATE.text}`);
    out.push(`  class ${upToDate.map((step) => nodeId.get(step.id)).join(',')} upToDate`);
  }
  const onPath = picture.steps.filter((step) => step.critical);
  if (onPath.length > 0) {
    out.push(`  classDef critical stroke:${CRITICAL},stroke-width:3px`);
    out.push(`  class ${onPath.map((step) => nodeId.get(step.id)).join(',')} critical`);
  }
  if (critical.length > 0) out.push(`  linkStyle ${critical.join(',')} stroke:${CRITICAL},stroke-width:3px`);
  return `${out.join('\n')}\n`;
}
