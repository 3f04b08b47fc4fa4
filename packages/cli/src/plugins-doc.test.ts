// docs/plugins.md carries generated parts (step ids, facts, options) rendered from the built-in plugins:
// change a step, a fact or a schema description and this test says the page is stale. Regenerate with
// `scripts/pnpm run docs`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectStepsForDocs } from './__fixtures__/plugins-doc-steps.js';
import { findMissingDescriptions } from '@meshspec/core';
import { stepDocMatches } from '@meshspec/core/testing';
import { describe, expect, it } from 'vitest';
import { builtinPlugins } from './builtin-plugins.js';
import {
  optionRows,
  readFactsDeclarations,
  renderFacts,
  renderOptions,
  renderSteps,
  replaceGenerated,
  undocumentedFacts,
  type PluginFacts,
} from './plugins-doc.js';
import { REPO } from './__fixtures__/run-cli.js';

const DOC = join(REPO, 'docs/plugins.md');

async function factsOfBuiltins(): Promise<Map<string, PluginFacts | undefined>> {
  const facts = new Map<string, PluginFacts | undefined>();
  for (const plugin of builtinPlugins) {
    const file = join(REPO, 'packages', `plugin-${plugin.name}`, 'src/facts.ts');
    facts.set(plugin.name, existsSync(file) ? await readFactsDeclarations(readFileSync(file, 'utf8'), file) : undefined);
  }
  return facts;
}

describe('docs/plugins.md', () => {
  it('its generated parts are the render of the built-in plugins (steps, facts, options)', async () => {
    const facts = await factsOfBuiltins();
    const doc = replaceGenerated(readFileSync(DOC, 'utf8'), {
      steps: renderSteps(builtinPlugins),
      facts: renderFacts(builtinPlugins, facts),
      options: renderOptions(builtinPlugins),
    });
    await expect(doc).toMatchFileSnapshot(DOC);
  });

  it('every plugin that publishes facts declares them in src/facts.ts, each with a doc comment', async () => {
    const facts = await factsOfBuiltins();
    for (const plugin of builtinPlugins) {
      if (plugin.facts)
        expect(
          facts.get(plugin.name)?.interfaceName,
          `${plugin.name} publishes facts but src/facts.ts declares no <Name>Facts interface`,
        ).toMatch(/Facts$/);
    }
    expect(undocumentedFacts(facts)).toEqual([]);
  });

  it('every option of every plugin has a description', () => {
    for (const plugin of builtinPlugins) {
      expect(findMissingDescriptions({ properties: { [plugin.key]: plugin.schema, ...plugin.clusterSchema } }), plugin.name).toEqual([]);
      expect(plugin.schema?.description, plugin.name).toEqual(expect.any(String));
    }
  });

  it('every built-in plugin documents its steps, and each documented step kind occurs in a real plan', async () => {
    const ids = await collectStepsForDocs(builtinPlugins);
    for (const plugin of builtinPlugins) {
      expect(plugin.stepDocs?.length, `${plugin.name} has no stepDocs`).toBeGreaterThan(0);
      const unused = (plugin.stepDocs ?? []).filter((doc) => !ids.some((id) => stepDocMatches(doc, id))).map((doc) => doc.id);
      expect(unused, `${plugin.name}: documented step ids no example plan makes`).toEqual([]);
      const undocumented = ids.filter(
        (id) => id.startsWith(`${plugin.name}:`) && !(plugin.stepDocs ?? []).some((doc) => stepDocMatches(doc, id)),
      );
      expect(undocumented, `${plugin.name}: steps without stepDocs`).toEqual([]);
    }
  });
});

describe('the doc generators', () => {
  it('reads facts, their types and doc comments from a facts.ts, expanding step-id objects', async () => {
    const source = `
      export interface Helper {
        /** The step of a cluster. */
        step(cluster: string): string;
      }
      /** Not the facts. */
      export interface Other { x: number }
      export interface DemoFacts {
        /** Clusters it makes. */
        clusters: string[];
        network: string | undefined;
        /** Step ids. */
        steps: Helper;
        more: {
          /** Inline. */
          one(a: string, b: number): string;
        };
      }`;
    expect(await readFactsDeclarations(source)).toEqual({
      interfaceName: 'DemoFacts',
      facts: [
        { name: 'clusters', type: 'string[]', doc: 'Clusters it makes.' },
        { name: 'network', type: 'string | undefined', doc: '' },
        { name: 'steps', type: 'Helper', doc: 'Step ids.' },
        { name: 'steps.step(cluster)', type: 'string', doc: 'The step of a cluster.' },
        { name: 'more.one(a, b)', type: 'string', doc: 'Inline.' },
      ],
    });
    expect(undocumentedFacts(new Map([['demo', await readFactsDeclarations(source)]]))).toEqual(['demo: network']);
    expect(await readFactsDeclarations('export interface NotIt { a: string }')).toBeUndefined();
  });

  it('lists options depth first: objects, lists of objects, maps, alternatives', () => {
    const rows = optionRows(
      {
        type: 'object',
        properties: {
          size: { type: 'integer', minimum: 1, maximum: 9, default: 3, description: 'Size.' },
          pools: { type: 'object', description: 'Pools.', additionalProperties: { type: 'string', description: 'A range.' } },
          links: {
            description: 'Links.',
            default: 'all',
            oneOf: [
              { type: 'string', enum: ['all', 'none'], description: 'A pattern.' },
              {
                type: 'array',
                description: 'A list.',
                items: {
                  type: 'object',
                  description: 'One.',
                  properties: { from: { type: 'string', format: 'dns-label', description: 'From.' } },
                },
              },
            ],
          },
        },
      },
      'x',
    );
    expect(rows).toEqual([
      { path: 'x.size', type: 'integer (1–9)', default: 3, description: 'Size.' },
      { path: 'x.pools', type: 'map of string', description: 'Pools.' },
      { path: 'x.pools.<key>', type: 'string', description: 'A range.' },
      { path: 'x.links', type: '`all` \\| `none` or list of object', default: 'all', description: 'Links.' },
      { path: 'x.links[].from', type: 'string (dns-label)', description: 'From.' },
    ]);
  });

  it('replaces only the marked blocks, and refuses a page without the marker', () => {
    const page = 'intro\n<!-- generated:steps -->\nold\n<!-- /generated -->\nhand-written $1\n';
    expect(replaceGenerated(page, { steps: 'new $& table' })).toBe(
      'intro\n<!-- generated:steps -->\nnew $& table\n<!-- /generated -->\nhand-written $1\n',
    );
    expect(() => replaceGenerated(page, { facts: 'x' })).toThrow(/no <!-- generated:facts -->/);
    // An empty block is refilled, and never swallows the next one.
    const two = '<!-- generated:a -->\n<!-- /generated -->\nmiddle\n<!-- generated:b -->\nold\n<!-- /generated -->\n';
    expect(replaceGenerated(two, { a: 'A', b: 'B' })).toBe(
      '<!-- generated:a -->\nA\n<!-- /generated -->\nmiddle\n<!-- generated:b -->\nB\n<!-- /generated -->\n',
    );
  });
});
