// The tester used as plugin authors use it (its cases register real tests below), and nested runs whose
// describe/it only collect the case bodies, so a case that must fail can be seen failing with its message.
import { describe, expect, it } from 'vitest';
import { definePlugin, stepId, type Plugin } from '../plugin-sdk.js';
import { PluginTester, SCHEMA_CASE, stepDocMatches, type PluginTesterCases, type PluginTesterOptions } from './plugin-tester.js';

interface ClustersFacts {
  ready(cluster: string): string;
}

/** Stands in for a cluster provider: one step per cluster, published through facts. */
const clustersPlugin = definePlugin<{ flavour?: string }, ClustersFacts>({
  name: 'provider',
  schema: {
    type: 'object',
    description: 'Test clusters.',
    additionalProperties: false,
    properties: { flavour: { type: 'string', description: 'Flavour.' } },
  },
  facts: () => ({ ready: (c) => stepId('provider', 'ready', c) }),
  stepDocs: [{ id: 'provider:ready@<c>', does: 'Waits for the cluster.' }],
  steps: (topology, section) =>
    section
      ? Object.keys(topology.clusters).map((c) => ({
          id: stepId('provider', 'ready', c),
          title: `ready ${c}`,
          cluster: c,
          run: async () => {},
        }))
      : [],
});

interface GreetingSection {
  message: string;
  clusters?: string[];
}

const greetingPlugin = definePlugin<GreetingSection>({
  name: 'greeting',
  optionalDependsOn: ['provider'],
  schema: {
    type: 'object',
    description: 'A greeting per cluster.',
    additionalProperties: false,
    required: ['message'],
    properties: {
      message: { type: 'string', description: 'The greeting.' },
      clusters: { type: 'array', items: { type: 'string' }, description: 'Where (default: all).' },
    },
  },
  stepDocs: [{ id: 'greeting:say@<c>', does: 'Says the greeting in a cluster.' }],
  validate(topology, section, ctx) {
    if (!section) return [];
    return (section.clusters ?? []).flatMap((c, i) =>
      c in topology.clusters
        ? []
        : [
            ctx.diagnostic(
              ['greeting', 'clusters', i],
              `unknown cluster '${c}'`,
              `use one of: ${Object.keys(topology.clusters).join(', ')}`,
            ),
          ],
    );
  },
  steps(topology, section, ctx) {
    if (!section) return [];
    const clusters = ctx.facts(clustersPlugin);
    return (section.clusters ?? Object.keys(topology.clusters)).map((c) => ({
      id: stepId('greeting', 'say', c),
      title: `say in ${c}`,
      cluster: c,
      after: [clusters.ready(c)],
      plan: [`say ${JSON.stringify(section.message)} in ${c}`],
      run: async () => {},
    }));
  },
});

const TOPOLOGY = (sections: string) => `apiVersion: meshspec.dev/v1alpha1
kind: Topology
metadata: { name: t }
clusters:
  east: { context: east }
  west: { context: west }
${sections}`;

// The tester as a plugin author uses it: these register real tests.
new PluginTester(greetingPlugin, { plugins: [clustersPlugin] }).run({
  valid: [{ section: { message: 'hi' } }, { section: 'message: hi\nclusters: [west]' }, TOPOLOGY('greeting: { message: hello }\n')],
  invalid: [
    {
      name: 'an unknown cluster, positioned, with the fix',
      topology: TOPOLOGY('greeting:\n  message: hi\n  clusters: [east, north]\n'),
      errors: [{ path: 'greeting.clusters[1]', message: "unknown cluster 'north'", line: 9, column: 20, fix: 'use one of: east, west' }],
    },
    {
      topology: TOPOLOGY('greeting: { mesage: hi }\n'),
      errors: [
        { path: 'greeting.message', message: "missing required key 'message' in greeting", line: 7, column: 11 },
        { path: 'greeting.mesage', message: /unknown key 'mesage'/ },
      ],
    },
  ],
  steps: [
    { section: { message: 'hi' }, ids: ['greeting:say@east', 'greeting:say@west'] },
    { section: { message: 'hi', clusters: ['west'] }, ids: ['greeting:say@west'] },
  ],
  plans: [
    {
      name: 'after the cluster provider when it is used',
      topology: TOPOLOGY('provider: {}\ngreeting: { message: hi }\n'),
      order: ['greeting:say@east', 'greeting:say@west'],
      steps: { 'greeting:say@east': { after: ['provider:ready@east'], plan: ['say "hi" in east'] } },
    },
    {
      name: 'no ordering left when the provider is unused',
      section: { message: 'hi' },
      steps: { 'greeting:say@west': { needs: [], after: [] } },
    },
  ],
});

/** Runs the tester with describe/it that collect the cases; returns them by "group > name". */
function collect(cases: PluginTesterCases, options: PluginTesterOptions = {}, plugin: Plugin = greetingPlugin) {
  const tests = new Map<string, () => Promise<void>>();
  const path: string[] = [];
  new PluginTester(plugin, {
    plugins: [clustersPlugin],
    ...options,
    describe: (name, body) => {
      path.push(name);
      body();
      path.pop();
    },
    it: (name, body) => void tests.set([...path.slice(1), name].join(' > '), body),
  }).run(cases);
  return tests;
}

/** The one collected case's outcome: undefined when it passed, else the failure message. */
async function outcome(cases: PluginTesterCases, plugin?: Plugin): Promise<string | undefined> {
  const tests = [...collect(cases, {}, plugin)].filter(([name]) => name !== SCHEMA_CASE).map(([, body]) => body);
  expect(tests).toHaveLength(1);
  return tests[0]!().then(
    () => undefined,
    (error: Error) => error.message,
  );
}

const invalidNorth = TOPOLOGY('greeting:\n  message: hi\n  clusters: [east, north]\n');

describe('PluginTester reports a failing case as a failed test (nested runs)', () => {
  it('registers one test per case, grouped by kind, named by the section', () => {
    const tests = collect({
      valid: [{ section: { message: 'hi' } }, { name: 'named', section: { message: 'x' } }],
      invalid: [{ topology: invalidNorth, errors: [{ message: /north/ }] }],
    });
    expect([...tests.keys()]).toEqual([
      SCHEMA_CASE,
      'valid > #1 greeting: {"message":"hi"}',
      'valid > named',
      'invalid > #1 greeting: {"message":"hi","clusters":["east","north"]}',
    ]);
  });

  it('a valid case that is invalid fails with every error listed', async () => {
    expect(await outcome({ valid: [{ section: { message: 'hi', clusters: ['north'] } }] })).toBe(
      "expected the topology to be valid, but it has 1 error:\n  10:7 greeting.clusters[0]: unknown cluster 'north' (fix: use one of: east, west)",
    );
  });

  it.each([
    ['fewer errors than found', [], /^should have 0 errors but had 1:\n {2}9:20 greeting.clusters\[1\]: unknown cluster 'north'/],
    [
      'another message',
      [{ message: "unknown cluster 'south'" }],
      /message "unknown cluster 'north'" does not match unknown cluster 'south'/,
    ],
    ['a message pattern that does not match', [{ message: /south/ }], /does not match \/south\//],
    ['another line', [{ message: /north/, line: 8 }], /line is 9, expected 8/],
    ['another column', [{ message: /north/, column: 1 }], /column is 20, expected 1/],
    [
      'another path',
      [{ message: /north/, path: 'greeting.clusters[0]' }],
      /path is greeting.clusters\[1\], expected greeting.clusters\[0\]/,
    ],
    ['another fix', [{ message: /north/, fix: 'nothing' }], /fix "use one of: east, west" does not match nothing/],
  ])('an invalid case expecting %s fails', async (_what, errors, message) => {
    const cases: PluginTesterCases = { invalid: [{ topology: invalidNorth, errors: [{ message: 'x' }] }] };
    cases.invalid![0]!.errors = errors;
    if (errors.length === 0) {
      // A table without expected errors is a mistake in the table itself, reported when it is run.
      expect(() => collect(cases)).toThrow(/list at least one expected error/);
      cases.invalid![0]!.errors = [{ message: /north/ }, { message: /second/ }];
      expect(await outcome(cases)).toMatch(/^should have 2 errors but had 1:\n {2}9:20 greeting.clusters\[1\]: unknown cluster 'north'/);
      return;
    }
    expect(await outcome(cases)).toMatch(message);
  });

  it('an invalid case that validates fails', async () => {
    expect(await outcome({ invalid: [{ topology: TOPOLOGY('greeting: { message: hi }\n'), errors: [{ message: /north/ }] }] })).toBe(
      'should have 1 error but had 0:\n  (none)',
    );
  });

  it('an unexpected warning fails a valid case', async () => {
    const warns = definePlugin({
      ...greetingPlugin,
      name: 'greeting',
      validate: (_t, s, ctx) => (s ? [{ ...ctx.diagnostic(['greeting'], 'old style'), severity: 'warning' as const }] : []),
    });
    expect(await outcome({ valid: [{ section: { message: 'hi' } }] }, warns)).toMatch(
      /^should have 0 warnings but had 1:\n {2}7:1 greeting: old style/,
    );
    expect(
      await outcome({ valid: [{ section: { message: 'hi' }, warnings: [{ message: 'old style', path: 'greeting' }] }] }, warns),
    ).toBeUndefined();
  });

  it('other step ids than expected fail, naming the missing and the extra ones', async () => {
    expect(await outcome({ steps: [{ section: { message: 'hi' }, ids: ['greeting:say@east', 'greeting:say@north'] }] })).toBe(
      'greeting made other steps than expected:\n  actual:   greeting:say@east, greeting:say@west\n  expected: greeting:say@east, greeting:say@north\n  missing:  greeting:say@north\n  extra:    greeting:say@west',
    );
  });

  it('a step its stepDocs do not describe fails', async () => {
    const undocumented = definePlugin({ ...greetingPlugin, stepDocs: [{ id: 'greeting:shout@<c>', does: 'x' }] });
    expect(
      await outcome({ steps: [{ section: { message: 'hi', clusters: ['east'] }, ids: ['greeting:say@east'] }] }, undocumented),
    ).toMatch(/greeting made steps its stepDocs do not describe: greeting:say@east/);
  });

  it('a steps case on an invalid topology fails with its errors', async () => {
    expect(await outcome({ steps: [{ section: { message: 'hi', clusters: ['north'] }, ids: [] }] })).toMatch(
      /^the case's topology is invalid .*\n {2}10:7 greeting.clusters\[0\]: unknown cluster 'north'/,
    );
  });

  it('plans: another order, another soft dependency, other plan lines, a missing step', async () => {
    const both = TOPOLOGY('provider: {}\ngreeting: { message: hi }\n');
    expect(await outcome({ plans: [{ topology: both, order: ['greeting:say@west', 'greeting:say@east'] }] })).toMatch(
      /run in another order than expected/,
    );
    expect(await outcome({ plans: [{ topology: both, steps: { 'greeting:say@east': { plan: ['say "bye" in east'] } } }] })).toMatch(
      /step greeting:say@east: plan lines differ/,
    );
    expect(await outcome({ plans: [{ topology: both, steps: { 'greeting:say@north': {} } }] })).toMatch(
      /step greeting:say@north is not in the plan; the plan has: provider:ready@east, greeting:say@east, provider:ready@west, greeting:say@west/,
    );
    expect(await outcome({ plans: [{ topology: both, steps: { 'greeting:say@east': { after: [] } } }] })).toMatch(
      /step greeting:say@east: after differ/,
    );
  });

  it('an option without a description fails the schema case', async () => {
    const undescribed = definePlugin({
      ...greetingPlugin,
      schema: {
        type: 'object',
        description: 'x',
        properties: { message: { type: 'string' }, clusters: { type: 'array', description: 'y' } },
      },
    });
    const schemaCase = collect({}, {}, undescribed).get(SCHEMA_CASE)!;
    await expect(schemaCase()).rejects.toThrow('options without a description: greeting.message; add a description to each');
    await expect(collect({}).get(SCHEMA_CASE)!()).resolves.toBeUndefined();
  });

  it('a dependency left out fails at construction, naming it', () => {
    const needsClusters = definePlugin({ ...greetingPlugin, dependsOn: ['provider'], optionalDependsOn: [] });
    expect(() => new PluginTester(needsClusters)).toThrow(/provider/);
  });
});

describe('stepDocMatches', () => {
  it.each([
    ['kind:cluster@<c>', 'kind:cluster@east', true],
    ['kind:cluster@<c>', 'kind:network', false],
    ['kind:network', 'kind:network', true],
    ['linkerd:export:<ns>/<svc>@<c>', 'linkerd:export:test/podinfo@demo', true],
    ['linkerd:export:<ns>/<svc>@<c>', 'linkerd:export:podinfo@demo', false],
    ['linkerd:link:<source>@<target>', 'linkerd:link:east@west', true],
    ['linkerd:link:<source>@<target>', 'linkerd:link:east@west@x', false],
  ])('%s ~ %s: %s', (pattern, id, expected) => {
    expect(stepDocMatches({ id: pattern, does: '' }, id)).toBe(expected);
  });
});
