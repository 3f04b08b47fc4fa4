import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets, createLogger, redact, registerSecret } from './logger.js';

const sink = () => {
  const lines: string[] = [];
  return { lines, stream: { write: (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)) } };
};

afterEach(() => clearSecrets());

describe('createLogger', () => {
  it('hides debug unless verbose and prefixes child scopes', () => {
    const quiet = sink();
    const log = createLogger({ stream: quiet.stream });
    log.debug('argv: kind create cluster');
    log.info('hello');
    log.child('kind:cluster@demo').warn('slow');
    log.child('a').child('b').error('bad');
    expect(quiet.lines).toEqual(['hello', 'warn: [kind:cluster@demo] slow', 'error: [a b] bad']);

    const loud = sink();
    createLogger({ stream: loud.stream, verbose: true }).debug('argv: kind');
    expect(loud.lines).toEqual(['debug: argv: kind']);
    const errorsOnly = sink();
    createLogger({ stream: errorsOnly.stream, level: 'error' }).warn('ignored');
    expect(errorsOnly.lines).toEqual([]);
  });

  it('redacts registered secrets on the stream and in the log file, debug included', () => {
    const out = sink();
    const file = join(mkdtempSync(join(tmpdir(), 'meshspec-log-')), 'meshspec.log');
    const log = createLogger({ stream: out.stream, file });
    registerSecret('s3cr3t-token');
    const pem = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIAbcdefghijklmnopqrstuvwxyz0123456789\n-----END EC PRIVATE KEY-----\n';
    registerSecret(pem);
    log.info('token=s3cr3t-token ok');
    log.debug(`key line MHcCAQEEIAbcdefghijklmnopqrstuvwxyz0123456789 leaked?`);
    log.info(`whole ${pem}`);
    expect(out.lines[0]).toBe('token=*** ok');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('MHcCAQEE');
    expect(text).toMatch(/debug key line \*\*\* leaked\?/);
    expect(out.lines.join('\n')).not.toContain('MHcCAQEE');
  });

  it('ignores values too short to redact safely', () => {
    registerSecret('ab');
    expect(redact('abc cab')).toBe('abc cab');
  });
});
