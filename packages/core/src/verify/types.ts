// What `meshspec verify` asks of plugins: checks that send real traffic and report what answered.
import type { FactsAccess, StatusLine, StepContext } from '../plugin/types.js';
import type { SplitVerdict } from './shares.js';

/** One verify result. `level: 'skip'` = could not be checked here, with the reason in `detail` (not a failure). */
export interface VerifyCheck extends Omit<StatusLine, 'level'> {
  level?: 'ok' | 'warn' | 'error' | 'skip';
  /** For traffic-split checks: the per-backend verdict (rendered as a table, and as-is in JSON). */
  split?: SplitVerdict;
  /** Extra facts worth printing under the line (e.g. TLS identities seen). */
  notes?: string[];
}

/** Reads what only a running pod can tell: its logs and HTTP endpoints through the API server's pod proxy. */
export interface PodReader {
  logs(namespace: string, pod: string, container?: string): Promise<string>;
  /** GET `path` on `port` of the pod via `/api/v1/namespaces/<ns>/pods/<pod>:<port>/proxy<path>`. */
  proxyGet(namespace: string, pod: string, port: number, path: string): Promise<string>;
}

export interface PodReaderFactory {
  forContext(context: string): PodReader;
}

export interface VerifyOptions {
  /** Requests per split and cluster (default 100). */
  requests: number;
  /** How long a client pod may take to finish its requests. */
  timeoutMs: number;
}

export interface VerifyContext extends StepContext, FactsAccess {
  options: VerifyOptions;
  /** Pod logs / pod proxy of `cluster` (default: none, must be given). */
  pods(cluster: string): PodReader;
}

export const DEFAULT_VERIFY_REQUESTS = 100;
export const DEFAULT_VERIFY_TIMEOUT_MS = 180_000;
