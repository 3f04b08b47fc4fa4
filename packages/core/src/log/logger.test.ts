import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clearSecrets, createLogger, MAX_LOG_FILE_BYTES, MAX_LOG_LINE_CHARS, redact, registerSecret } from './logger.js';

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

  it('logTo: children made earlier write to the file too; lines are bounded; the file is rotated and 0600', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'meshspec-log-')), 'meshspec.log');
    writeFileSync(file, 'x'.repeat(MAX_LOG_FILE_BYTES - 100));
    chmodSync(file, 0o644);
    const log = createLogger({ stream: sink().stream });
    const step = log.child('kind:cluster@demo');
    step.info('before logTo: not in the file');
    log.logTo(file);
    step.debug('y'.repeat(MAX_LOG_LINE_CHARS * 3));
    step.info('after');
    expect(existsSync(`${file}.1`)).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('before logTo');
    expect(text).toMatch(/debug \[kind:cluster@demo\] y+… \(\d+ more characters\)\n/);
    expect(text).toMatch(/info {2}\[kind:cluster@demo\] after\n$/);
    expect(text.length).toBeLessThan(MAX_LOG_LINE_CHARS + 200);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('logTo keeps a file the logger was created with unless asked to replace it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meshspec-log-'));
    const log = createLogger({ stream: sink().stream, file: join(dir, 'chosen.log') });
    log.logTo(join(dir, 'meshspec.log'));
    log.info('one');
    expect(existsSync(join(dir, 'meshspec.log'))).toBe(false);
    expect(readFileSync(join(dir, 'chosen.log'), 'utf8')).toMatch(/info {2}one\n$/);
    log.logTo(join(dir, 'meshspec.log'), { replace: true });
    log.info('two');
    expect(readFileSync(join(dir, 'meshspec.log'), 'utf8')).toMatch(/info {2}two\n$/);
  });

  it('ignores values too short to redact safely', () => {
    registerSecret('ab');
    expect(redact('abc cab')).toBe('abc cab');
  });
});
