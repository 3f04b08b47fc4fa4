// A plugin whose steps only write files and sleep, written into a temp project together with a
// meshspec.config.mjs that loads it — the way a user's own plugin is loaded. Every step appends
// `{"id","event":"start"|"end","t"}` lines to events.log in the topology's folder; destroy hooks append
// the step id to destroyed.log. `work:flaky@a` fails while a file named `fail-flaky` exists there.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtCoreUrl } from './run-cli.js';

/** The graph: root -> slow@a -> flaky@a -> after-flaky@a, and root -> slow@b -> final@b (independent of a). */
export const WORK_EDGES: Record<string, string[]> = {
  'work:root': [],
  'work:slow@a': ['work:root'],
  'work:slow@b': ['work:root'],
  'work:flaky@a': ['work:slow@a'],
  'work:after-flaky@a': ['work:flaky@a'],
  'work:final@b': ['work:slow@b'],
};

const PLUGIN = (coreUrl: string) => `
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { definePlugin } from ${JSON.stringify(coreUrl)};

const EDGES = ${JSON.stringify(WORK_EDGES)};

export default definePlugin({
  name: 'work',
  schema: {
    type: 'object',
    description: 'Test steps that write files and sleep.',
    additionalProperties: false,
    properties: { sleepMs: { type: 'integer', default: 300, description: 'How long the slow steps take.' } },
  },
  steps(topology, section, ctx) {
    if (!section) return [];
    const log = (file, line) => appendFileSync(join(ctx.topologyDir, file), line + '\\n');
    return Object.entries(EDGES).map(([id, needs]) => ({
      id,
      title: 'work ' + id,
      ...(id.includes('@') ? { cluster: id.split('@')[1] } : {}),
      needs,
      plan: ['touch ' + id],
      inputs: { id, sleepMs: section.sleepMs ?? 300 },
      async run(stepCtx) {
        log('events.log', JSON.stringify({ id, event: 'start', t: Date.now() }));
        if (id.startsWith('work:slow')) await sleep(section.sleepMs ?? 300, undefined, { signal: stepCtx.signal });
        if (id === 'work:flaky@a' && existsSync(join(ctx.topologyDir, 'fail-flaky'))) {
          throw new Error('flaky step failed on purpose (fail-flaky marker present)');
        }
        log('events.log', JSON.stringify({ id, event: 'end', t: Date.now() }));
        return { wrote: id };
      },
      async destroy() {
        log('destroyed.log', id);
      },
    }));
  },
});
`;

export const WORK_TOPOLOGY = `apiVersion: meshspec.dev/v1alpha1
kind: Topology
metadata: { name: apply-test }
clusters: { a: { context: ctx-a }, b: { context: ctx-b } }
work: { sleepMs: 400 }
`;

/** Writes topology.yaml, meshspec.config.mjs and work-plugin.mjs into `dir`. */
export function writeWorkProject(dir: string): void {
  mkdirSync(dir, { recursive: true });
  // A package.json bounds cosmiconfig's search to this folder.
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  writeFileSync(join(dir, 'meshspec.config.mjs'), "export default { plugins: ['./work-plugin.mjs'] };\n");
  writeFileSync(join(dir, 'work-plugin.mjs'), PLUGIN(builtCoreUrl()));
  writeFileSync(join(dir, 'topology.yaml'), WORK_TOPOLOGY);
}
