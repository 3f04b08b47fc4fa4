// Argument handling end to end through main(): what each command accepts, and that every misuse is a
// one-line message with exit code 2 (never a stack trace, never silently ignored).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, nearestCommand, parseCli } from './args.js';
import { EXAMPLES, runCli, stackFrames } from './__fixtures__/run-cli.js';

const SEED = join(EXAMPLES, 'linkerd-multicluster/topology.yaml');

describe('parseCli: accepted options per command', () => {
  it.each([
    [
      'validate',
      ['validate', 't.yaml', '-o', 'json', '-c', 'm.json', '--state-dir', 's', '-v'],
      { file: 't.yaml', output: 'json', config: 'm.json', stateDir: 's', verbose: true },
    ],
    [
      'plan',
      ['plan', 't.yaml', '--only', 'linkerd:*', '--only', '*@demo', '--output', 'text'],
      { file: 't.yaml', only: ['linkerd:*', '*@demo'], output: 'text' },
    ],
    ['plan as mermaid', ['plan', 't.yaml', '-o', 'mermaid'], { file: 't.yaml', output: 'mermaid' }],
    ['plan as dot', ['plan', 't.yaml', '-o', 'dot'], { file: 't.yaml', output: 'dot' }],
    ['plan as html', ['plan', 't.yaml', '--output', 'html', '--only', 'kind:*'], { file: 't.yaml', output: 'html', only: ['kind:*'] }],
    [
      'apply',
      ['apply', 't.yaml', '--concurrency', '8', '--kubeconfig', 'k', '--only', 'kind:*'],
      { file: 't.yaml', concurrency: 8, kubeconfig: 'k', only: ['kind:*'] },
    ],
    ['destroy', ['destroy', 't.yaml', '--concurrency', '1', '-o', 'json'], { file: 't.yaml', concurrency: 1, output: 'json' }],
    [
      'apply --parallel',
      ['apply', 't.yaml', '--parallel', 'cluster-create=2,helm=4', '--parallel', 'api=8'],
      { file: 't.yaml', parallel: ['cluster-create=2,helm=4', 'api=8'] },
    ],
    ['status', ['status', 't.yaml', '--kubeconfig', 'k', '-o', 'json'], { file: 't.yaml', kubeconfig: 'k', output: 'json' }],
    ['status --verify', ['status', 't.yaml', '--verify', '-n', '50'], { file: 't.yaml', verify: true, requests: 50 }],
    ['verify', ['verify', 't.yaml', '-n', '200', '-o', 'json'], { file: 't.yaml', requests: 200, output: 'json' }],
    ['rotate --issuer', ['rotate', 't.yaml', '--issuer'], { file: 't.yaml', rotate: 'issuer' }],
    ['rotate --trust-anchor', ['rotate', 't.yaml', '--trust-anchor'], { file: 't.yaml', rotate: 'trust-anchor' }],
    ['schema', ['schema', '--config', 'm.mjs'], { config: 'm.mjs' }],
    ['doctor without a file', ['doctor', '-o', 'json'], { output: 'json' }],
    ['doctor with a file', ['doctor', 't.yaml', '-v'], { file: 't.yaml', verbose: true }],
    ['version', ['version'], { command: 'version' }],
    ['--version', ['--version'], { command: 'version' }],
  ])('%s', (_name, argv, expected) => {
    expect(parseCli(argv)).toMatchObject(expected);
  });

  it('defaults: text output, no filters, not verbose', () => {
    expect(parseCli(['plan', 't.yaml'])).toEqual({
      command: 'plan',
      file: 't.yaml',
      verbose: false,
      help: false,
      output: 'text',
      only: [],
    });
  });
});

describe('usage errors exit 2 with the reason', () => {
  it.each([
    ['unknown command with a near name', ['aply', 't.yaml'], "meshspec: unknown command 'aply'; did you mean 'apply'?"],
    ['unknown command with a typo in the middle', ['plna', 't.yaml'], "did you mean 'plan'?"],
    ['unknown command with no near name', ['frobnicate'], "meshspec: unknown command 'frobnicate'\n"],
    ['missing file', ['plan'], "'plan' needs a topology file: meshspec plan topology.yaml"],
    ['missing file (apply)', ['apply'], "'apply' needs a topology file"],
    ['two files', ['validate', 'a.yaml', 'b.yaml'], "'validate' takes one topology file, got 2"],
    ['file where none is taken', ['schema', 't.yaml'], "'schema' takes no file argument"],
    ['rotate without a target', ['rotate', 't.yaml'], "'rotate' needs exactly one of --issuer or --trust-anchor"],
    [
      'rotate with both targets',
      ['rotate', 't.yaml', '--issuer', '--trust-anchor'],
      "'rotate' needs exactly one of --issuer or --trust-anchor",
    ],
    ['verify with a bad request count', ['verify', 't.yaml', '-n', '0'], '--requests must be a whole number from 1 to 100000'],
    ['--verify only on status', ['apply', 't.yaml', '--verify'], "'apply' does not take --verify"],
    ['unknown option', ['plan', 't.yaml', '--dry-run'], "Unknown option '--dry-run'"],
    ['option of another command', ['validate', 't.yaml', '--only', 'kind:*'], "'validate' does not take --only"],
    ['--concurrency on plan', ['plan', 't.yaml', '--concurrency', '2'], "'plan' does not take --concurrency"],
    ['--kubeconfig on validate', ['validate', 't.yaml', '--kubeconfig', 'k'], "'validate' does not take --kubeconfig"],
    ['--state-dir on schema', ['schema', '--state-dir', 'x'], "'schema' does not take --state-dir"],
    ['--output on schema', ['schema', '-o', 'json'], "'schema' does not take --output"],
    ['concurrency zero', ['apply', 't.yaml', '--concurrency', '0'], "--concurrency must be a whole number >= 1, not '0'"],
    ['concurrency fraction', ['apply', 't.yaml', '--concurrency', '1.5'], "--concurrency must be a whole number >= 1, not '1.5'"],
    ['concurrency word', ['destroy', 't.yaml', '--concurrency', 'many'], "--concurrency must be a whole number >= 1, not 'many'"],
    ['output yaml', ['plan', 't.yaml', '--output', 'yaml'], "--output must be 'text', 'json', 'mermaid', 'dot' or 'html', not 'yaml'"],
    [
      'a picture of something else than the plan',
      ['status', 't.yaml', '-o', 'html'],
      "--output must be 'text' or 'json', not 'html' ('html' is for plan)",
    ],
    [
      'a plan picture from apply',
      ['apply', 't.yaml', '-o', 'mermaid'],
      "--output must be 'text' or 'json', not 'mermaid' ('mermaid' is for plan)",
    ],
    ['output empty', ['validate', 't.yaml', '-o', ''], "--output must be 'text' or 'json', not ''"],
    ['option missing its value', ['apply', 't.yaml', '--concurrency'], "Option '--concurrency <value>' argument missing"],
  ])('%s', async (_name, argv, message) => {
    const { code, stdout, stderr } = await runCli(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toMatch(/Run 'meshspec (\w+ )?--help' for usage\.\n$/);
    expect(stackFrames(stderr)).toEqual([]);
  });

  it('points at the failing command in the hint', async () => {
    const { stderr } = await runCli(['apply', SEED, '--concurrency', '-3']);
    expect(stderr).toContain("Run 'meshspec apply --help' for usage.");
  });

  it('knows every command it advertises', () => {
    expect(COMMANDS).toEqual(['validate', 'plan', 'apply', 'destroy', 'status', 'verify', 'rotate', 'schema', 'doctor', 'version']);
  });
});

describe('nearestCommand', () => {
  it.each([
    ['aply', 'apply'],
    ['plna', 'plan'],
    ['dcotor', 'doctor'],
    ['vresion', 'version'],
    ['valdiate', 'validate'],
    ['destory', 'destroy'],
    ['stat', 'status'],
    ['Apply', 'apply'],
    ['frobnicate', undefined],
    ['x', undefined],
  ])('%s -> %s', (typed, expected) => {
    expect(nearestCommand(typed)).toBe(expected);
  });
});
