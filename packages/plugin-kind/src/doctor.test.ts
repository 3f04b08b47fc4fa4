import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DoctorCheck, ToolRequirement } from '@meshspec/core/plugin';
import { checkInotifyLimits, kindDoctor, kindTools } from './doctor.js';

async function procDir(watches: string, instances: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'inotify-'));
  await writeFile(join(dir, 'max_user_watches'), `${watches}\n`);
  await writeFile(join(dir, 'max_user_instances'), `${instances}\n`);
  return dir;
}

describe('checkInotifyLimits', () => {
  it.each([
    ['both at the recommendation', '524288', '512', true, undefined],
    ['both above', '1048576', '8192', true, undefined],
    ['Debian defaults', '8192', '128', false, 'max_user_watches 8192 < 524288, max_user_instances 128 < 512'],
    ['only instances low', '524288', '128', false, 'max_user_instances 128 < 512'],
  ])('%s', async (_, watches, instances, ok, low) => {
    const check = await checkInotifyLimits(await procDir(watches, instances));
    expect(check.ok).toBe(ok);
    if (low) {
      expect(check.detail).toBe(`${low}: on Linux more than 3 kind clusters fail to start (too many open files) without raising them`);
      expect(check.fix).toContain('sudo sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512');
    } else {
      expect(check.fix).toBeUndefined();
    }
  });

  it('passes where there is no /proc inotify directory (not Linux)', async () => {
    const check = await checkInotifyLimits(join(tmpdir(), 'definitely-missing-inotify-dir'));
    expect(check).toMatchObject({ ok: true });
    expect(check.detail).toContain('not readable');
  });
});

describe('kindTools', () => {
  it.each([
    ['kind', 'kind v0.20.0 go1.20.4 linux/amd64', 'v0.20.0'],
    ['docker', '24.0.7\n', '24.0.7'],
  ])('parses the %s version', (command, output, version) => {
    expect(kindTools.find((t) => t.command === command)!.parseVersion!(output)).toBe(version);
  });
});

describe('kindDoctor', () => {
  it("checks kubectl through doctor's own tool check (kind users reach their clusters with it), then the inotify limits", async () => {
    const asked: ToolRequirement[] = [];
    const checkTool = async (tool: ToolRequirement): Promise<DoctorCheck> => {
      asked.push(tool);
      return { name: tool.command, ok: true, detail: 'v1.35.0 at /bin/kubectl' };
    };
    const checks = await kindDoctor({ exec: undefined as never, checkTool }, await procDir('524288', '512'));
    expect(asked.map((t) => [t.command, ...t.versionArgs])).toEqual([['kubectl', 'version', '--client']]);
    expect(checks.map((c) => [c.name, c.ok])).toEqual([
      ['kubectl', true],
      ['inotify limits', true],
    ]);
  });
});
