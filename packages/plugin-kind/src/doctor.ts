// Host checks for kind: tools, kubectl for the clusters kind makes, and the inotify limits that break kind
// beyond ~3 clusters on Linux.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DoctorCheck, DoctorContext, ToolRequirement } from '@meshspec/core/plugin';

/** What kind's "known issues" page recommends; below it kubelet/kube-proxy fail with "too many open files". */
export const INOTIFY_RECOMMENDED = { max_user_watches: 524288, max_user_instances: 512 } as const;
export const INOTIFY_FIX = 'sudo sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512';

export const kindTools: ToolRequirement[] = [
  {
    command: 'kind',
    versionArgs: ['version'],
    parseVersion: (out) => /\bv\d+\.\d+\.\d+\S*/.exec(out)?.[0],
    why: 'creates and deletes the local Kubernetes clusters',
  },
  {
    command: 'docker',
    versionArgs: ['version', '--format', '{{.Client.Version}}'],
    parseVersion: (out) => /\d+\.\d+\.\d+\S*/.exec(out)?.[0],
    why: 'runs the kind nodes; meshspec creates the kind network and reads node addresses with it',
  },
];

/**
 * Not run by any step (meshspec talks to the API itself), but kind writes a kubectl context per cluster and
 * prints `kubectl cluster-info --context kind-<name>` as the way in: doctor checks it for kind users.
 */
export const kubectlForKindClusters: ToolRequirement = {
  command: 'kubectl',
  versionArgs: ['version', '--client'],
  why: 'looking at clusters by hand; meshspec itself talks to the API directly',
};

/** kind's doctor hook: kubectl (checked like every tool) and the host's inotify limits. */
export async function kindDoctor(ctx: DoctorContext, procDir?: string): Promise<DoctorCheck[]> {
  return [await ctx.checkTool(kubectlForKindClusters), await checkInotifyLimits(procDir)];
}

/**
 * Checks fs.inotify limits against kind's recommendation. `procDir` is injectable for tests; a missing
 * directory means not Linux (Docker Desktop VMs set their own limits), which is not a problem.
 */
export async function checkInotifyLimits(procDir = '/proc/sys/fs/inotify'): Promise<DoctorCheck> {
  const name = 'inotify limits';
  const read = async (key: string) => {
    const text = await readFile(join(procDir, key), 'utf8').catch(() => undefined);
    return text === undefined ? undefined : Number.parseInt(text.trim(), 10);
  };
  const watches = await read('max_user_watches');
  const instances = await read('max_user_instances');
  if (watches === undefined || instances === undefined) {
    return { name, ok: true, detail: `${procDir} not readable (not Linux?); nothing to check` };
  }
  const low = [
    watches < INOTIFY_RECOMMENDED.max_user_watches ? `max_user_watches ${watches} < ${INOTIFY_RECOMMENDED.max_user_watches}` : undefined,
    instances < INOTIFY_RECOMMENDED.max_user_instances
      ? `max_user_instances ${instances} < ${INOTIFY_RECOMMENDED.max_user_instances}`
      : undefined,
  ].filter((x): x is string => x !== undefined);
  if (low.length === 0) return { name, ok: true, detail: `max_user_watches ${watches}, max_user_instances ${instances}` };
  return {
    name,
    ok: false,
    detail: `${low.join(', ')}: on Linux more than 3 kind clusters fail to start (too many open files) without raising them`,
    fix: `${INOTIFY_FIX} (persist in /etc/sysctl.d/ to survive reboots)`,
  };
}
