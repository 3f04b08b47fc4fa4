// `meshspec schema` (the editor schema, composed from every loaded plugin), `--help` of every command and
// `version`.
import { join } from 'node:path';
import { findMissingDescriptions, TOPOLOGY_SCHEMA_ID } from '@meshspec/core';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './args.js';
import { HELP, VERSION } from './help.js';
import { EXAMPLES, runCli } from './__fixtures__/run-cli.js';

interface Schema {
  $id: string;
  properties: Record<string, Schema & { properties?: Record<string, unknown>; additionalProperties?: unknown }>;
}

async function schema(argv: string[] = [], cwd?: string): Promise<Schema> {
  const { code, stdout, stderr } = await runCli(['schema', ...argv], cwd ? { cwd } : {});
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return JSON.parse(stdout) as Schema;
}

describe('schema', () => {
  it('prints the composed schema: $id, one section per built-in plugin, every property described', async () => {
    const s = await schema();
    expect(s.$id).toBe(TOPOLOGY_SCHEMA_ID);
    expect(Object.keys(s.properties).sort()).toEqual(
      [
        'apiVersion',
        'clusters',
        'ingress',
        'kind',
        'kindClusters',
        'kwokClusters',
        'linkerd',
        'metadata',
        'metallb',
        'smi',
        'workloads',
      ].sort(),
    );
    expect(findMissingDescriptions(s)).toEqual([]);
    expect(s.properties['banner']).toBeUndefined();
    expect(JSON.stringify(s.properties['clusters'])).toContain('podSubnet');
  });

  it('the schema files the examples point editors at are current (regenerate with `scripts/meshspec schema > examples/topology.schema.json`)', async () => {
    const { readFile } = await import('node:fs/promises');
    expect(JSON.parse(await readFile(join(EXAMPLES, 'topology.schema.json'), 'utf8'))).toEqual(await schema());
    const custom = await schema(['--config', join(EXAMPLES, 'custom-plugin/meshspec.config.mjs')]);
    expect(JSON.parse(await readFile(join(EXAMPLES, 'custom-plugin/topology.schema.json'), 'utf8'))).toEqual(custom);
  });

  // The golden of the composed schema: byte for byte, so key order and every default count. Sections are
  // defined once (their types and defaults are derived from these schemas), so a change here is a change
  // of what users may write: update it deliberately (`-u`) and read the diff.
  it('examples/topology.schema.json is byte for byte what `meshspec schema` prints', async () => {
    const { code, stdout } = await runCli(['schema']);
    expect(code).toBe(0);
    await expect(stdout).toMatchFileSnapshot(join(EXAMPLES, 'topology.schema.json'));
  });

  it('--config adds the custom plugin banner section', async () => {
    const s = await schema(['--config', join(EXAMPLES, 'custom-plugin/meshspec.config.mjs')]);
    expect(s.properties['banner']).toMatchObject({ type: 'object', additionalProperties: false, required: ['message'] });
    expect(Object.keys(s.properties['banner']!.properties)).toEqual(['message', 'namespace', 'clusters']);
    expect(findMissingDescriptions(s)).toEqual([]);
  });

  it('finds the config from the current directory when none is given', async () => {
    const s = await schema([], join(EXAMPLES, 'custom-plugin'));
    expect(s.properties['banner']).toBeDefined();
  });
});

describe('--help and version', () => {
  /** Options each command's help must mention (the ones parseCli accepts for it). */
  const mentions: Record<string, string[]> = {
    validate: ['--output', '--config', '--state-dir', '--verbose', '--help'],
    plan: ['--output', '--only', '--config', '--state-dir'],
    apply: ['--only', '--concurrency', '--output', '--kubeconfig', '--config', '--state-dir'],
    destroy: ['--only', '--concurrency', '--output', '--kubeconfig', '--config', '--state-dir'],
    status: ['--output', '--kubeconfig', '--config', '--state-dir', '--verify', '--requests'],
    verify: ['--requests', '--output', '--kubeconfig', '--config', '--state-dir'],
    rotate: ['--issuer', '--trust-anchor', '--output', '--kubeconfig', '--config', '--state-dir'],
    schema: ['--config', '--help'],
    doctor: ['--output', '--config', '--help'],
    version: ['meshspec version'],
  };

  it('covers every command', () => {
    expect(Object.keys(mentions).sort()).toEqual([...COMMANDS].sort());
  });

  it.each(COMMANDS)('%s --help exits 0 and names its options', async (command) => {
    for (const flag of ['--help', '-h']) {
      const { code, stdout, stderr } = await runCli([command, flag]);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toBe(`${HELP[command]}\n`);
      expect(stdout).toContain(`Usage: meshspec ${command}`);
      for (const option of mentions[command]!) expect(stdout).toContain(option);
    }
  });

  it('--help wins over a missing file and other options', async () => {
    const { code, stdout } = await runCli(['apply', '--help', '--concurrency', '3']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: meshspec apply');
  });

  it.each([[[]], [['help']], [['--help']], [['-h']]])('main help for %j lists every command', async (argv) => {
    const { code, stdout } = await runCli(argv);
    expect(code).toBe(0);
    for (const command of COMMANDS) expect(stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it.each([['version'], ['--version'], ['-V']])('%s prints the version', async (arg) => {
    const { code, stdout } = await runCli([arg]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${VERSION}\n`);
  });

  it("the version is the package's", async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
