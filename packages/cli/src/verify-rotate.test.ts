// `meshspec verify` / `meshspec rotate` wiring through the CLI: output shapes and exit codes for the cases
// that need no cluster (the traffic and rotation paths themselves are tested against real API servers in
// test/integration/verify.integration.test.ts and rotate.integration.test.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, stackFrames } from './__fixtures__/run-cli.js';

const temp = mkdtempSync(join(tmpdir(), 'meshspec-verify-rotate-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function topology(name: string, extra = ''): string {
  const file = join(temp, `${name}.yaml`);
  writeFileSync(
    file,
    `apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: ${name} }\nclusters:\n  east: { context: ctx-east }\n${extra}`,
  );
  return file;
}

describe('meshspec verify (CLI)', () => {
  it('-o json: nothing to verify is ok (exit 0) with an empty check list', async () => {
    const file = topology('plain');
    const { code, stdout } = await runCli(['verify', file, '-o', 'json', '--state-dir', join(temp, 'state-plain')]);
    expect(JSON.parse(stdout)).toEqual({ topology: 'plain', ok: true, checks: [] });
    expect(code).toBe(0);
  });

  it('text: says there is nothing to verify', async () => {
    const { code, stdout } = await runCli(['verify', topology('plain2'), '--state-dir', join(temp, 'state-plain2')]);
    expect(stdout).toBe('nothing to verify: the topology has no splits or exposed services\n');
    expect(code).toBe(0);
  });
});

describe('meshspec rotate (CLI)', () => {
  it('a target no used plugin owns is an error naming it, exit 1, no stack trace', async () => {
    const { code, stderr } = await runCli(['rotate', topology('nolinkerd'), '--issuer', '--state-dir', join(temp, 'state-nolinkerd')]);
    expect(stderr).toMatch(/meshspec: no plugin used by .*nolinkerd\.yaml can rotate 'issuer'/);
    expect(stackFrames(stderr)).toEqual([]);
    expect(code).toBe(1);
  });

  it('--issuer without a stored trust anchor refuses before touching any cluster', async () => {
    const file = topology('noanchor', 'linkerd:\n  version: stable-2.13.3\n  multicluster: { enabled: false }\n  links: none\n');
    const { code, stdout, stderr } = await runCli(['rotate', file, '--issuer', '-o', 'json', '--state-dir', join(temp, 'state-noanchor')]);
    const out = JSON.parse(stdout) as { ok: boolean; rotate: string; actions: { ok: boolean; detail: string }[] };
    expect(out).toMatchObject({ ok: false, rotate: 'issuer' });
    expect(out.actions).toHaveLength(1);
    expect(out.actions[0]!.detail).toMatch(
      /^no trust anchor \(linkerd-ca\.crt \+ linkerd-ca\.key\) in .*state-noanchor\/secrets: the issuer can only be rotated by the anchor's owner$/,
    );
    expect(stackFrames(stderr)).toEqual([]);
    expect(code).toBe(1);
  });
});

describe('meshspec status --verify (CLI)', () => {
  it('-o json carries the verify checks beside the status checks, with one ok', async () => {
    const { code, stdout } = await runCli([
      'status',
      topology('plain3'),
      '--verify',
      '-o',
      'json',
      '--state-dir',
      join(temp, 'state-plain3'),
    ]);
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ topology: 'plain3', verify: [] });
    expect(out['ok']).toBe(code === 0);
  });
});
