// `meshspec doctor` against a PATH holding only fake tools (shell scripts printing versions), so the
// result does not depend on what this machine has installed.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { versionIn } from './commands/doctor.js';
import { builtCoreUrl, onlyWarnings, runCli } from './__fixtures__/run-cli.js';

const temp = mkdtempSync(join(tmpdir(), 'meshspec-doctor-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const FAKE_OUTPUT: Record<string, string> = {
  kind: 'kind v0.27.0 go1.23.6 linux/amd64',
  docker: '27.5.1',
  // What the real kwokctl v0.8.0 prints for --version.
  kwokctl: 'kwokctl version v0.8.0 go1.26.8 (linux/amd64)',
  helm: 'v3.17.2+gcbc2ea6',
  linkerd: 'stable-2.13.3',
  kubectl: 'Client Version: v1.32.2\nKustomize Version: v5.5.0',
  'linkerd-smi': 'v0.2.7',
  figlet: 'FIGlet Copyright (C) 1991-2012 Glenn Chappell, Ian Chai, John Cowan, Christiaan Keet\nVersion: 2.2.5',
};

/** A directory with fake versions of `tools` only; used as the whole PATH. */
function fakeBin(name: string, tools: string[]): string {
  const dir = join(temp, name);
  mkdirSync(dir);
  for (const tool of tools) {
    const file = join(dir, tool);
    writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' '${FAKE_OUTPUT[tool]!.replace(/\n/g, "'\n printf '%s\\n' '")}'\n`);
    chmodSync(file, 0o755);
  }
  return dir;
}

/** Linkerd + ingress on existing clusters: needs linkerd and helm, nothing of kind's. */
const NO_KIND = `apiVersion: meshspec.dev/v1alpha1
kind: Topology
metadata: { name: doctor }
clusters: { a: { context: ctx-a }, b: { context: ctx-b } }
linkerd: { version: stable-2.13.3 }
ingress: { expose: [] }
`;

interface DoctorReport {
  ok: boolean;
  checks: { plugin: string; name: string; ok: boolean; detail: string; fix?: string }[];
}

describe('doctor (fake tool executables on PATH)', () => {
  it('lists each tool of the topology with its version; exit 0 when all are there', async () => {
    const bin = fakeBin('all-for-topology', ['linkerd', 'helm']);
    writeFileSync(join(temp, 'no-kind.yaml'), NO_KIND);
    const { code, stdout, stderr } = await runCli(['doctor', 'no-kind.yaml'], { cwd: temp, env: { PATH: bin } });
    // Only the topology's ingress-nginx deprecation (positioned, on stderr).
    expect(onlyWarnings(stderr)).toEqual({ paths: ['ingress.controller'], errors: 0 });
    expect(stdout).toBe(
      [
        `✓ linkerd (linkerd): stable-2.13.3 at ${bin}/linkerd`,
        `✓ helm (ingress): v3.17.2 at ${bin}/helm`,
        'everything meshspec needs is here',
        '',
      ].join('\n'),
    );
    expect(code).toBe(0);
  });

  it.each([
    ['stable-2.13.3 (the seed path: TrafficSplit via linkerd-smi)', 'stable-2.13.3', true],
    ['edge-26.6.3 (HTTPRoute splits: no linkerd-smi)', 'edge-26.6.3', false],
  ])('checks linkerd-smi exactly when the splits need it: Linkerd %s', async (_name, version, needed) => {
    const bin = fakeBin(`smi-${version}`, ['linkerd', 'linkerd-smi']);
    const file = join(temp, `smi-${version}.yaml`);
    writeFileSync(
      file,
      `apiVersion: meshspec.dev/v1alpha1\nkind: Topology\nmetadata: { name: doctor-smi }\nclusters: { a: { context: ctx-a }, b: { context: ctx-b } }\nlinkerd: { version: ${version}, export: [{ namespace: test, service: podinfo }] }\nsmi: { splits: [{ namespace: test, service: podinfo }] }\n`,
    );
    const { code, stdout } = await runCli(['doctor', file, '-o', 'json'], { cwd: temp, env: { PATH: bin } });
    const names = (JSON.parse(stdout) as DoctorReport).checks.map((c) => c.name);
    expect(names.includes('linkerd-smi')).toBe(needed);
    expect(code).toBe(0);
  });

  it('with a topology, lists what apply will need: no linkerd-smi for Linkerd 2.18+ (HTTPRoute), the configured linkerd cliPath', async () => {
    const bin = fakeBin('modern', ['linkerd', 'helm', 'linkerd-smi']);
    writeFileSync(
      join(temp, 'modern.yaml'),
      NO_KIND.replace(/version: stable-2\.13\.3/, `version: edge-25.4.4, cliPath: ${bin}/linkerd`) + 'smi: { splits: [] }\n',
    );
    const { stdout } = await runCli(['doctor', 'modern.yaml'], { cwd: temp, env: { PATH: bin } });
    expect(stdout).toContain(`linkerd (linkerd): `);
    expect(stdout).toContain(`at ${bin}/linkerd`);
    expect(stdout).not.toContain('linkerd-smi');
  });

  it('a missing tool is a failed check with a fix, and exit 1', async () => {
    const bin = fakeBin('no-helm', ['linkerd']);
    writeFileSync(join(temp, 'no-kind.yaml'), NO_KIND);
    const { code, stdout } = await runCli(['doctor', 'no-kind.yaml'], { cwd: temp, env: { PATH: bin } });
    expect(code).toBe(1);
    expect(stdout).toContain(`✓ linkerd (linkerd): stable-2.13.3 at ${bin}/linkerd`);
    expect(stdout).toContain('✗ helm (ingress): not found on PATH (meshspec uses it: installs the ingress-nginx chart)');
    expect(stdout).toContain('    fix: install helm and put it on PATH');
    expect(stdout).toMatch(/1 problem found\n$/);
  });

  it('without a file: every built-in plugin, kind, docker, kwokctl, helm and linkerd with their versions (json)', async () => {
    const bin = fakeBin('everything', Object.keys(FAKE_OUTPUT));
    const { code, stdout } = await runCli(['doctor', '-o', 'json'], { cwd: temp, env: { PATH: bin } });
    const report = JSON.parse(stdout) as DoctorReport;
    const tools = Object.fromEntries(report.checks.filter((c) => !c.name.startsWith('inotify')).map((c) => [c.name, c.detail]));
    expect(tools).toEqual({
      kind: `v0.27.0 at ${bin}/kind`,
      docker: `27.5.1 at ${bin}/docker`,
      kwokctl: `v0.8.0 at ${bin}/kwokctl`,
      kubectl: `v1.32.2 at ${bin}/kubectl`,
      helm: `v3.17.2+gcbc2ea6 at ${bin}/helm`,
      linkerd: `stable-2.13.3 at ${bin}/linkerd`,
      'linkerd-smi': `v0.2.7 at ${bin}/linkerd-smi`,
    });
    // Each tool is listed once, under the first plugin that needs it.
    expect(report.checks.filter((c) => c.name === 'helm')).toHaveLength(1);
    // The kind plugin's own host check (inotify limits) depends on this machine; only consistency is asserted.
    expect(report.checks.some((c) => c.name === 'inotify limits')).toBe(true);
    expect(report.ok).toBe(report.checks.every((c) => c.ok));
    expect(code).toBe(report.ok ? 0 : 1);
  });

  it('with an empty PATH every tool is missing', async () => {
    const bin = fakeBin('empty', []);
    const { code, stdout } = await runCli(['doctor', '--output', 'json'], { cwd: temp, env: { PATH: bin } });
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as DoctorReport;
    expect(report.ok).toBe(false);
    expect(
      report.checks
        .filter((c) => !c.ok && c.detail.startsWith('not found on PATH'))
        .map((c) => c.name)
        .sort(),
    ).toEqual(['docker', 'helm', 'kind', 'kubectl', 'kwokctl', 'linkerd', 'linkerd-smi']);
  });
});

describe('doctor asks plugins, never branches on their names', () => {
  // The kind plugin's kubectl check used to be an `if (plugin.name === 'kind')` in this command; a plugin now
  // says what doctor should check beyond its step tools, and gets the same tool check everyone gets.
  it("a third-party plugin's doctor hook checks its own tool with checkTool, listed like the others", async () => {
    const dir = join(temp, 'hook-plugin');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'banner.mjs'),
      `import { definePlugin } from '${builtCoreUrl()}';\n` +
        `export default definePlugin({ name: 'banner', steps: () => [], doctor: async ({ checkTool }) => [await checkTool({ command: 'figlet', versionArgs: ['-I', '5'], why: 'draws banners by hand' }), { name: 'banner font', ok: false, detail: 'no font', fix: 'install one' }] });\n`,
    );
    writeFileSync(join(dir, 'meshspec.config.mjs'), "export default { plugins: ['./banner.mjs'] };\n");
    const bin = fakeBin('hook-plugin-bin', ['figlet', 'kubectl']);
    const { code, stdout } = await runCli(['doctor', '-o', 'json'], { cwd: dir, env: { PATH: bin } });
    const report = JSON.parse(stdout) as DoctorReport;
    expect(report.checks.filter((c) => c.plugin === 'banner')).toEqual([
      { plugin: 'banner', name: 'figlet', ok: true, detail: `2.2.5 at ${bin}/figlet` },
      { plugin: 'banner', name: 'banner font', ok: false, detail: 'no font', fix: 'install one' },
    ]);
    // kubectl comes from the kind plugin's own hook (and is listed once although workloads needs it too).
    expect(report.checks.filter((c) => c.name === 'kubectl')).toEqual([
      { plugin: 'kind', name: 'kubectl', ok: true, detail: `v1.32.2 at ${bin}/kubectl` },
    ]);
    expect(code).toBe(1);
  });
});

describe('versionIn', () => {
  it.each([
    ['kind v0.27.0 go1.23.6 linux/amd64', 'v0.27.0'],
    ['Client Version: v1.32.2', 'v1.32.2'],
    ['stable-2.13.3', 'stable-2.13.3'],
    ['Version: 3.17', '3.17'],
    ['no version here', undefined],
  ])('%s -> %s', (output, version) => {
    expect(versionIn(output)).toBe(version);
  });
});
