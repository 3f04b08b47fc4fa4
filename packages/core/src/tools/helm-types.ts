export interface HelmRelease {
  release: string;
  /** `repo/chart`, an OCI reference, a URL or a local path. */
  chart: string;
  /** Repository URL, added as `--repo` so no `helm repo add` state is needed. */
  repo?: string;
  version?: string;
  namespace: string;
  kubeContext: string;
  values?: Record<string, unknown>;
  /** `--wait` for resources to be ready. */
  wait?: boolean;
  timeout?: string;
}

export interface HelmDriver {
  /** `helm upgrade --install`; values passed as a file (never on argv). */
  upgradeInstall(release: HelmRelease, options?: { signal?: AbortSignal }): Promise<void>;
  uninstall(release: Pick<HelmRelease, 'release' | 'namespace' | 'kubeContext'>, options?: { signal?: AbortSignal }): Promise<void>;
  /** The argv `upgradeInstall` would run, for `meshspec plan`. */
  describe(release: HelmRelease): string;
  /** Deployed release status, or undefined if not installed. */
  status(
    release: Pick<HelmRelease, 'release' | 'namespace' | 'kubeContext'>,
  ): Promise<{ status: string; chartVersion?: string; revision: number } | undefined>;
}
