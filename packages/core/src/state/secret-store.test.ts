import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSecretStore } from './secret-store.js';

const mode = (p: string) => statSync(p).mode & 0o777;

describe('FileSecretStore', () => {
  it('writes secrets 0600 in a 0700 dir and reads them back', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'meshspec-secrets-'));
    const store = new FileSecretStore(stateDir);
    expect(await store.has('issuer.key')).toBe(false);
    expect(await store.read('issuer.key')).toBeUndefined();
    const path = await store.write('issuer.key', 'PRIVATE');
    expect(path).toBe(join(stateDir, 'secrets', 'issuer.key'));
    expect(mode(path)).toBe(0o600);
    expect(mode(join(stateDir, 'secrets'))).toBe(0o700);
    expect(await store.read('issuer.key')).toBe('PRIVATE');
    expect(await store.has('issuer.key')).toBe(true);
    expect(readdirSync(join(stateDir, 'secrets'))).toEqual(['issuer.key']);
  });

  it('tightens a file and dir that already existed with looser modes', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'meshspec-secrets-'));
    mkdirSync(join(stateDir, 'secrets'), { mode: 0o755 });
    chmodSync(join(stateDir, 'secrets'), 0o755);
    writeFileSync(join(stateDir, 'secrets', 'ca.key'), 'old', { mode: 0o644 });
    chmodSync(join(stateDir, 'secrets', 'ca.key'), 0o644);
    const store = new FileSecretStore(stateDir);
    await store.write('ca.key', 'new');
    expect(mode(join(stateDir, 'secrets', 'ca.key'))).toBe(0o600);
    expect(mode(join(stateDir, 'secrets'))).toBe(0o700);
    expect(await store.read('ca.key')).toBe('new');
  });

  it.each(['../escape', 'a/b', '', '.hidden'])('rejects the name %j', (name) => {
    expect(() => new FileSecretStore('/tmp/x').path(name)).toThrow(/plain file name/);
  });
});
