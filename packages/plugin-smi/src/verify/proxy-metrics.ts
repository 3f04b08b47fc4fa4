// mTLS evidence from a Linkerd proxy's Prometheus metrics (:4191/metrics): outbound `request_total` series
// carry `tls="true"` and the peer's `server_id` when the connection was mutually authenticated.
import type { LinkerdFacts } from '@meshspec/plugin-linkerd';

export interface TlsEvidence {
  /** Outbound requests to the authority over mTLS / not. */
  tlsRequests: number;
  plainRequests: number;
  /** server_id -> requests (e.g. `default.test.serviceaccount.identity.linkerd.cluster.local`). */
  identities: Record<string, number>;
}

const SERIES = /^request_total\{([^}]*)\}\s+([0-9.eE+-]+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const m of text.matchAll(LABEL)) labels[m[1]!] = m[2]!.replace(/\\(.)/g, '$1');
  return labels;
}

/** Sums outbound request_total series whose authority starts with `authorityPrefix` (the split service's FQDN). */
export function tlsEvidence(metrics: string, authorityPrefix: string): TlsEvidence {
  const evidence: TlsEvidence = { tlsRequests: 0, plainRequests: 0, identities: {} };
  for (const line of metrics.split('\n')) {
    const m = SERIES.exec(line.trim());
    if (!m) continue;
    const labels = parseLabels(m[1]!);
    if (labels['direction'] !== 'outbound' || !(labels['authority'] ?? '').startsWith(authorityPrefix)) continue;
    const count = Number(m[2]);
    // A series at 0 proves nothing (Prometheus keeps series that once existed).
    if (!(count > 0)) continue;
    if (labels['tls'] === 'true') {
      evidence.tlsRequests += count;
      const id = labels['server_id'] ?? '(no server_id)';
      evidence.identities[id] = (evidence.identities[id] ?? 0) + count;
    } else evidence.plainRequests += count;
  }
  return evidence;
}

/**
 * Which cluster an identity stands for, as far as identities can tell: every cluster shares one trust
 * domain, so a remote backend shows up as its gateway (Linkerd's facts know that identity), a local one
 * as the workload's own service account.
 */
export function describeIdentity(id: string, linkerd: Pick<LinkerdFacts, 'isGatewayIdentity'>): string {
  return linkerd.isGatewayIdentity(id) ? `${id} (a remote cluster's gateway)` : `${id} (local workload)`;
}
