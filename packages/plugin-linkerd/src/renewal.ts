// Whether the stored issuer must be re-issued, decided when the plan is built, so that it can be part of
// the certs step's inputs. Only public certificates are read here (plus whether the key file exists):
// plans are built before any step runs and must never load key material.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CERT_FILES, notAfterOf, notBeforeOf } from './identity.js';

/** The PEM text of a stored file, or undefined when it is absent. */
type StoredFile = (name: string) => string | undefined;

export interface StoredIdentity {
  caCert?: string;
  issuerCert?: string;
  issuerKeyPresent: boolean;
}

/** Reads the public half of the stored identity from `<stateDir>/secrets`. */
export function readStoredIdentity(stateDir: string): StoredIdentity {
  const path = (name: string) => join(stateDir, 'secrets', name);
  const read: StoredFile = (name) => {
    try {
      return readFileSync(path(name), 'utf8');
    } catch {
      return undefined;
    }
  };
  const caCert = read(CERT_FILES.caCert);
  const issuerCert = read(CERT_FILES.issuerCert);
  return { ...(caCert ? { caCert } : {}), ...(issuerCert ? { issuerCert } : {}), issuerKeyPresent: existsSync(path(CERT_FILES.issuerKey)) };
}

/**
 * Why the stored issuer needs re-issuing now, or undefined when it does not (or when there is no trust
 * anchor yet: a first apply generates both, which needs no flag). Mirrors ensureLinkerdCertificates'
 * reasons for a stored anchor: issuer missing, not signed by the anchor, or expiring within
 * `renewBeforeMs`. An unreadable certificate counts as due, so the certs step runs and reports it.
 */
export function issuerRenewalReason(stored: StoredIdentity, renewBeforeMs: number, now = new Date()): string | undefined {
  if (!stored.caCert) return undefined;
  if (!stored.issuerCert || !stored.issuerKeyPresent) return 'issuer certificate or key missing';
  try {
    const ca = new X509Certificate(stored.caCert);
    const issuer = new X509Certificate(stored.issuerCert);
    if (!issuer.checkIssued(ca) || !issuer.verify(ca.publicKey)) return 'issuer is not signed by the trust anchor';
    const left = notAfterOf(stored.issuerCert).getTime() - now.getTime();
    if (left <= renewBeforeMs) return left <= 0 ? 'issuer expired' : 'issuer expires soon';
    return undefined;
  } catch (e) {
    return `stored certificate unreadable (${(e as Error).message})`;
  }
}

/**
 * A stored certificate whose notBefore is still ahead (this machine's clock behind, or a wrongly made
 * file): no proxy accepts it until then. Not a renewal to schedule: apply re-issues such an issuer from the
 * anchor (safe), and stops on such an anchor (never replaced). Undefined when both are valid now.
 */
export function notYetValidReason(stored: Pick<StoredIdentity, 'caCert' | 'issuerCert'>, now = new Date()): string | undefined {
  try {
    if (stored.caCert && notBeforeOf(stored.caCert).getTime() > now.getTime())
      return `trust anchor not valid until ${notBeforeOf(stored.caCert).toISOString()}`;
    if (stored.issuerCert && notBeforeOf(stored.issuerCert).getTime() > now.getTime())
      return `issuer not valid until ${notBeforeOf(stored.issuerCert).toISOString()}`;
  } catch {
    // Unreadable: issuerRenewalReason reports it, and the certs step says what is wrong when it runs.
  }
  return undefined;
}
