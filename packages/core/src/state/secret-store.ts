// Private keys and other generated secrets live as 0600 files under `<stateDir>/secrets/` (dir 0700):
// losing them means re-keying the mesh, leaking them means anyone can impersonate it. Files that exist
// already (copied in, restored from a backup, made by an older version) are tightened whenever they are
// read or reused, with a warning: a key that was world-readable may have been read.
import { access, chmod, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretStore } from './types.js';
import { ensurePrivateDir, writeAtomic } from './state-store.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface SecretStoreOptions {
  /** Told about every mode that had to be tightened. */
  warn?(this: void, message: string): void;
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/** chmod `path` to `wanted` if it grants more than that; says so. Missing paths are left alone. */
async function tighten(path: string, wanted: number, describe: (was: number) => string, warn?: (message: string) => void): Promise<void> {
  let mode: number;
  try {
    mode = (await stat(path)).mode & 0o777;
  } catch {
    return;
  }
  if ((mode & ~wanted) === 0) return;
  await chmod(path, wanted);
  warn?.(describe(mode));
}

const tightenDir = (dir: string, warn?: (message: string) => void) =>
  tighten(dir, 0o700, (was) => `secrets dir ${dir} had mode ${octal(was)}; set to 0700`, warn);
const tightenFile = (file: string, warn?: (message: string) => void) =>
  tighten(file, 0o600, (was) => `secret ${file} had mode ${octal(was)} (readable by others); set to 0600`, warn);

/**
 * Every file in `<stateDir>/secrets/` to 0600 and the dir to 0700. Run before a run's steps: a step that is
 * up to date in state reads no secret, so read-time tightening alone would leave its keys as they were.
 */
export async function tightenSecrets(stateDir: string, warn?: (message: string) => void): Promise<void> {
  const dir = join(stateDir, 'secrets');
  const names = await readdir(dir).catch(() => undefined);
  if (names === undefined) return;
  await tightenDir(dir, warn);
  for (const name of names) await tightenFile(join(dir, name), warn);
}

export class FileSecretStore implements SecretStore {
  readonly dir: string;
  private readonly warn: ((message: string) => void) | undefined;

  constructor(stateDir: string, options: SecretStoreOptions = {}) {
    this.dir = join(stateDir, 'secrets');
    this.warn = options.warn;
  }

  path(name: string): string {
    // Names are flat file names: a '/' or '..' would let a plugin write outside the secrets dir.
    if (!NAME.test(name) || name.includes('..')) {
      throw new TypeError(`secret name "${name}" must be a plain file name (letters, digits, '.', '_', '-')`);
    }
    return join(this.dir, name);
  }

  async has(name: string): Promise<boolean> {
    const file = this.path(name);
    const exists = await access(file).then(
      () => true,
      () => false,
    );
    // A step's status check asks has() and then skips the step: the key is reused without being read.
    if (exists) await this.tightenFor(file);
    return exists;
  }

  async read(name: string): Promise<string | undefined> {
    const file = this.path(name);
    const content = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (content !== undefined) await this.tightenFor(file);
    return content;
  }

  async write(name: string, content: string): Promise<string> {
    const file = this.path(name);
    await ensurePrivateDir(this.dir);
    await writeAtomic(file, content, 0o600);
    // Belt and braces: the rename replaced any older, looser file, but make the final mode explicit.
    await chmod(file, 0o600);
    return file;
  }

  private async tightenFor(file: string): Promise<void> {
    await tightenDir(this.dir, this.warn);
    await tightenFile(file, this.warn);
  }
}

export function createSecretStore(stateDir: string, options: SecretStoreOptions = {}): SecretStore {
  return new FileSecretStore(stateDir, options);
}
