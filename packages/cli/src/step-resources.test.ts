// Every built-in step tells the scheduler what it waits on and how long it takes: an undeclared step would
// fall into the `other` resource and a 5 s guess, and the critical path (and the order steps start in)
// would be wrong for real plans.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { criticalPath, defaultResourceLimits, simulateSchedule, type Plan } from '@meshspec/core';
import { Session } from '../../core/src/app/session.js';
import { createLogger } from '../../core/src/log/logger.js';
import { builtinPlugins } from './builtin-plugins.js';
import { EXAMPLES } from './__fixtures__/run-cli.js';

const RESOURCES = ['cluster-create', 'helm', 'linkerd', 'kubectl', 'docker', 'api'];

async function planOf(example: string): Promise<Plan> {
  const log = createLogger({ stream: { write: () => true }, verbose: false });
  const session = await Session.open({
    file: join(EXAMPLES, example, 'topology.yaml'),
    plugins: builtinPlugins,
    log,
    stateDir: join(EXAMPLES, example, '.no-state'),
  });
  return session.plan;
}

describe('built-in steps declare a resource and an estimate', () => {
  it.each(['linkerd-multicluster', 'three-clusters', 'six-clusters', 'modern-linkerd'])('%s', async (example) => {
    const plan = await planOf(example);
    for (const { id, step } of plan.steps) {
      expect(RESOURCES, id).toContain(step.resource);
      expect(step.estimateSeconds, id).toBeGreaterThan(0);
    }
  });

  it.each([
    ['kind:cluster@east', 'cluster-create', 35],
    ['linkerd:control-plane@east', 'linkerd', 90],
    ['linkerd:viz@east', 'linkerd', 60],
    ['metallb:install@east', 'helm', 45],
    ['ingress:controller@east', 'helm', 60],
    ['linkerd:multicluster@east', 'linkerd', 40],
    ['linkerd:link:west@east', 'linkerd', 5],
    ['linkerd:export:test/podinfo@east', 'api', 2],
    ['smi:split:test/podinfo@east', 'api', 2],
  ])('%s: %s, about %i s (the durations issue 11 measured with)', async (id, resource, seconds) => {
    const step = (await planOf('three-clusters')).graph.get(id)!.step;
    expect([step.resource, step.estimateSeconds]).toEqual([resource, seconds]);
  });

  it('with these estimates, three clusters reach their critical path under the default limits of a 4-CPU, 16 GiB machine', async () => {
    const plan = await planOf('three-clusters');
    const limits = defaultResourceLimits({ cpus: 4, freeMemoryBytes: 16 * 2 ** 30 });
    expect(simulateSchedule(plan, { limits }).makespanMs).toBe(criticalPath(plan).totalMs);
    // The scheduler before this one (plan order, 4 at once) did not.
    expect(simulateSchedule(plan, { limits: {}, total: 4, order: 'plan' }).makespanMs).toBeGreaterThan(criticalPath(plan).totalMs * 1.2);
  });
});
