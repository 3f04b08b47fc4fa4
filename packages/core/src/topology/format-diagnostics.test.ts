import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../errors.js';
import { formatDiagnostics } from './format-diagnostics.js';

const text = [
  'apiVersion: meshspec.dev/v1alpha1',
  'kind: Topology',
  'metadata: { name: mesh }',
  'clusters:',
  '  demo3:',
  '\tserviceSubnet: 10.97.0.0/12',
].join('\n');

const diagnostics: Diagnostic[] = [
  {
    file: 'topology.yaml',
    line: 6,
    column: 17,
    path: 'clusters.demo3.serviceSubnet',
    source: 'kind',
    message: '10.97.0.0/12 has host bits set; its network is 10.96.0.0/12',
    fix: 'write 10.96.0.0/12',
  },
  { file: 'topology.yaml', line: 1, column: 1, path: '', source: 'yaml', message: 'no path, no fix' },
  { file: 'other.yaml', line: 3, column: 2, path: 'x', source: 'schema', message: 'file without known text', fix: 'f' },
];

describe('formatDiagnostics', () => {
  it('prints location, path, message, excerpt with caret and fix, then a count', async () => {
    const output = formatDiagnostics(diagnostics, { color: false, sources: { 'topology.yaml': text } });
    await expect(output).toMatchFileSnapshot('__golden__/diagnostics.txt');
    expect(output).not.toContain('\u001b[');
    // The caret keeps the line's tab so it sits under the column in any terminal.
    expect(output).toContain('\n  6 | \tserviceSubnet: 10.97.0.0/12\n    | \t               ^\n');
  });

  it('colors with ANSI codes only when asked', () => {
    const output = formatDiagnostics(diagnostics.slice(0, 1), { color: true, sources: { 'topology.yaml': text } });
    expect(output).toContain('\u001b[31merror\u001b[0m');
    expect(output).toContain('\u001b[36mfix:\u001b[0m write 10.96.0.0/12');
  });

  it.each([
    [1, '1 problem found'],
    [3, '3 problems found'],
  ])('counts %i problem(s)', (count, line) => {
    expect(formatDiagnostics(diagnostics.slice(0, count), { color: false }).trimEnd().split('\n').at(-1)).toBe(line);
  });
});

describe('formatDiagnostics warnings', () => {
  const warning: Diagnostic = {
    file: 'topology.yaml',
    line: 5,
    column: 3,
    path: 'clusters.demo3',
    source: 'ingress',
    message: 'deprecated',
    fix: 'switch',
    severity: 'warning',
  };

  it('labels warnings as warnings and counts them apart from problems', () => {
    const output = formatDiagnostics([warning, diagnostics[0]!], { color: false, sources: { 'topology.yaml': text } });
    expect(output).toContain('topology.yaml:5:3 warning clusters.demo3: deprecated\n');
    expect(output.trimEnd().split('\n').at(-1)).toBe('1 problem found, 1 warning');
  });

  it('warnings alone are counted as warnings', () => {
    expect(formatDiagnostics([warning, warning], { color: false }).trimEnd().split('\n').at(-1)).toBe('2 warnings');
  });
});
