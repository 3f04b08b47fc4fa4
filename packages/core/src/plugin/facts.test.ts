import { describe, expect, it } from 'vitest';
import { PluginError, TopologyError } from '../errors.js';
import { definePlugin } from './define.js';
import { factsAccess, factsOf } from './facts.js';
import type { Topology } from './types.js';

const topology = (extra: Record<string, unknown> = {}): Topology => ({
  apiVersion: 'meshspec.dev/v1alpha1',
  kind: 'Topology',
  metadata: { name: 't' },
  clusters: { a: {}, b: {} },
  ...extra,
});

let computed = 0;
const provider = definePlugin<{ size?: number }, { clusters: string[]; size: number; stepOf(cluster: string): string }>({
  name: 'provider',
  key: 'providerSection',
  steps: () => [],
  facts: (t, section) => {
    computed++;
    return { clusters: section ? Object.keys(t.clusters) : [], size: section?.size ?? 1, stepOf: (c) => `provider:cluster@${c}` };
  },
});
const silent = definePlugin({ name: 'silent', steps: () => [] });

describe('plugin facts', () => {
  it('are derived from the topology and the section under the plugin key', () => {
    expect(factsOf(provider, topology({ providerSection: { size: 3 } }))).toMatchObject({ clusters: ['a', 'b'], size: 3 });
    expect(factsOf(provider, topology()).clusters).toEqual([]);
    expect(factsOf(provider, topology()).stepOf('a')).toBe('provider:cluster@a');
  });

  it.each([
    { name: 'dependsOn', consumer: { name: 'user', dependsOn: ['provider'] } },
    { name: 'optionalDependsOn', consumer: { name: 'user', optionalDependsOn: ['provider'] } },
    { name: 'no consumer (tests of one plugin)', consumer: undefined },
  ])('are readable by a plugin declaring the provider in $name, computed once per topology', ({ consumer }) => {
    computed = 0;
    const access = factsAccess(topology({ providerSection: {} }), consumer);
    expect(access.facts(provider).clusters).toEqual(['a', 'b']);
    expect(access.facts(provider).size).toBe(1);
    expect(computed).toBe(1);
  });

  it('are computed once per topology for every consumer, and again for another topology', () => {
    computed = 0;
    const shared = topology({ providerSection: {} });
    const readers = [{ name: 'one', dependsOn: ['provider'] }, { name: 'two', optionalDependsOn: ['provider'] }, undefined];
    const seen = readers.map((consumer) => factsAccess(shared, consumer).facts(provider));
    expect(computed).toBe(1);
    expect(seen[1]).toBe(seen[0]);
    expect(seen[2]).toBe(seen[0]);
    const other = factsAccess(topology({ providerSection: { size: 7 } }), undefined).facts(provider);
    expect(computed).toBe(2);
    expect(other.size).toBe(7);
  });

  it('refuses a plugin that does not declare the provider, saying what to add', () => {
    const access = factsAccess(topology(), { name: 'sneaky', dependsOn: ['other'] });
    expect(() => access.facts(provider)).toThrow(PluginError);
    expect(() => access.facts(provider)).toThrow(
      "plugin sneaky reads the facts of plugin provider but does not declare it; add 'provider' to dependsOn (or optionalDependsOn",
    );
  });

  it('refuses a plugin that publishes no facts', () => {
    expect(() => factsAccess(topology(), { name: 'user', dependsOn: ['silent'] }).facts(silent)).toThrow(
      'plugin silent publishes no facts',
    );
  });
});

describe('plugin facts through the engine', () => {
  const sneaky = definePlugin({
    name: 'sneaky',
    schema: { type: 'object' },
    steps: () => [],
    validate: (_t, _s, ctx) => (ctx.facts(provider).size > 0 ? [] : []),
  });

  it("reports an undeclared read in validate as that plugin's problem, with the fix", async () => {
    const { validateTopology } = await import('../topology/validate.js');
    const text = 'apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: t }\nclusters:\n  a: { context: a }\nsneaky: {}\n';
    const error = await validateTopology({ text, file: 'topology.yaml', plugins: [provider, sneaky] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TopologyError);
    const messages = (error as TopologyError).diagnostics.map((d) => `${d.source}: ${d.message}`).join('\n');
    expect(messages).toContain('sneaky');
    expect(messages).toContain("reads the facts of plugin provider but does not declare it; add 'provider' to dependsOn");
  });
});
