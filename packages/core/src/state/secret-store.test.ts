import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSecretStore, tightenSecrets } from './secret-store.js';

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

  it.each(['read', 'has'] as const)('tightens a loose key file and dir when a secret is reused (%s), with a warning', async (how) => {
    const stateDir = mkdtempSync(join(tmpdir(), 'meshspec-secrets-'));
    mkdirSync(join(stateDir, 'secrets'), { mode: 0o755 });
    chmodSync(join(stateDir, 'secrets'), 0o755);
    writeFileSync(join(stateDir, 'secrets', 'ca.key'), 'old', { mode: 0o644 });
    chmodSync(join(stateDir, 'secrets', 'ca.key'), 0o644);
    const warnings: string[] = [];
    const store = new FileSecretStore(stateDir, { warn: (m) => warnings.push(m) });
    if (how === 'read') expect(await store.read('ca.key')).toBe('old');
    else expect(await store.has('ca.key')).toBe(true);
    expect(mode(join(stateDir, 'secrets', 'ca.key'))).toBe(0o600);
    expect(mode(join(stateDir, 'secrets'))).toBe(0o700);
    expect(warnings).toEqual([
      `secrets dir ${join(stateDir, 'secrets')} had mode 0755; set to 0700`,
      `secret ${join(stateDir, 'secrets', 'ca.key')} had mode 0644 (readable by others); set to 0600`,
    ]);
    // Said once: a second read finds nothing to fix.
    await store.read('ca.key');
    expect(warnings).toHaveLength(2);
  });

  it('tightenSecrets fixes every file in the dir (for steps skipped as up to date, which read nothing)', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'meshspec-secrets-'));
    mkdirSync(join(stateDir, 'secrets'));
    for (const name of ['ca.key', 'issuer.key']) {
      writeFileSync(join(stateDir, 'secrets', name), 'k');
      chmodSync(join(stateDir, 'secrets', name), 0o664);
    }
    const warnings: string[] = [];
    await tightenSecrets(stateDir, (m) => warnings.push(m));
    expect(mode(join(stateDir, 'secrets', 'ca.key'))).toBe(0o600);
    expect(mode(join(stateDir, 'secrets', 'issuer.key'))).toBe(0o600);
    expect(warnings.filter((w) => w.startsWith('secret '))).toHaveLength(2);
    await tightenSecrets(join(stateDir, 'nope'), (m) => warnings.push(m)); // no secrets dir: nothing to do
  });

  it.each(['../escape', 'a/b', '', '.hidden'])('rejects the name %j', (name) => {
    expect(() => new FileSecretStore('/tmp/x').path(name)).toThrow(/plain file name/);
  });
});
