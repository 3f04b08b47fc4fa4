// `meshspec plan -o dot`: the plan as a Graphviz digraph. Pure and deterministic (golden-tested).
// Node names are generated (s1, s2, ... in run order); labels carry the step id, title and duration with
// every character outside a safe set (up to U+FFFF) written as an HTML character reference, so quotes, braces and
// line breaks in a title cannot end a string. Graphviz decodes references BEFORE its own backslash
// escapes (\n, \l, \N...), so a backslash is written as two references: an escaped backslash. Checked
// with the real `dot` in test/picture/dot-in-graphviz.test.ts.
import { stepDuration, timingSummary, type PlanPicture, type PictureStep } from './model.js';
import { CRITICAL, encodeLabel, pluginColour, UP_TO_DATE } from './style.js';

export const dotText = (text: string) => encodeLabel(text, (code) => (code === 0x5c ? '&#92;&#92;' : `&#${code};`), { rawBeyondBmp: true });

/** A label of several lines: each escaped, joined by dot's centred line break. */
const label = (...lines: string[]) => `"${lines.map(dotText).join('\\n')}"`;

function nodeLine(picture: PlanPicture, step: PictureStep): string {
  const attrs = [`label=${label(step.id, step.title, `${stepDuration(step)}${step.upToDate ? ' up to date' : ''}`)}`];
  if (step.upToDate)
    attrs.push(
      `fillcolor="${UP_TO_DATE.fill}"`,
      `fontcolor="${UP_TO_DATE.text}"`,
      `color="${step.critical ? CRITICAL : UP_TO_DATE.stroke}"`,
    );
  else attrs.push(`fillcolor="${pluginColour(picture.plugins, step.plugin)}"`, ...(step.critical ? [`color="${CRITICAL}"`] : []));
  if (step.critical) attrs.push('penwidth=3');
  return `s${step.index} [${attrs.join(', ')}];`;
}

export function renderDot(picture: PlanPicture): string {
  const out = [
    'digraph plan {',
    `  graph [rankdir=LR, fontname="Helvetica", labelloc=t, label=${label(`meshspec plan ${picture.topology}`, timingSummary(picture))}];`,
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
    '  edge [color="#555555"];',
  ];
  for (const step of picture.steps) if (step.cluster === undefined) out.push(`  ${nodeLine(picture, step)}`);
  picture.clusters.forEach((cluster, i) => {
    out.push(`  subgraph cluster_${i + 1} {`, `    label=${label(`cluster ${cluster}`)};`, '    style=rounded;');
    for (const step of picture.steps) if (step.cluster === cluster) out.push(`    ${nodeLine(picture, step)}`);
    out.push('  }');
  });
  const nodeId = new Map(picture.steps.map((step) => [step.id, `s${step.index}`]));
  for (const edge of picture.edges) {
    const attrs = [...(edge.kind === 'after' ? ['style=dashed'] : []), ...(edge.critical ? [`color="${CRITICAL}"`, 'penwidth=3'] : [])];
    out.push(`  ${nodeId.get(edge.from)} -> ${nodeId.get(edge.to)}${attrs.length > 0 ? ` [${attrs.join(', ')}]` : ''};`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
