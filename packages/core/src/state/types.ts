/** Generated secrets (private keys, kubeconfigs): files with mode 0600 in the state directory. */
export interface SecretStore {
  readonly dir: string;
  has(name: string): Promise<boolean>;
  read(name: string): Promise<string | undefined>;
  /** Writes atomically with mode 0600; returns the absolute path. */
  write(name: string, content: string): Promise<string>;
  path(name: string): string;
}
