// Private keys and other generated secrets live as 0600 files under `<stateDir>/secrets/` (dir 0700):
// losing them means re-keying the mesh, leaking them means anyone can impersonate it.
import { access, chmod, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretStore } from './types.js';
import { ensurePrivateDir, writeAtomic } from './state-store.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export class FileSecretStore implements SecretStore {
  readonly dir: string;

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'secrets');
  }

  path(name: string): string {
    // Names are flat file names: a '/' or '..' would let a plugin write outside the secrets dir.
    if (!NAME.test(name) || name.includes('..')) {
      throw new TypeError(`secret name "${name}" must be a plain file name (letters, digits, '.', '_', '-')`);
    }
    return join(this.dir, name);
  }

  async has(name: string): Promise<boolean> {
    return access(this.path(name)).then(() => true, () => false);
  }

  async read(name: string): Promise<string | undefined> {
    return readFile(this.path(name), 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
  }

  async write(name: string, content: string): Promise<string> {
    const file = this.path(name);
    await ensurePrivateDir(this.dir);
    await writeAtomic(file, content, 0o600);
    // Belt and braces: the rename replaced any older, looser file, but make the final mode explicit.
    await chmod(file, 0o600);
    return file;
  }
}

export function createSecretStore(stateDir: string): SecretStore {
  return new FileSecretStore(stateDir);
}
