// Lazy entry points to the certificate generator (certs.ts): same names and signatures, loading it and
// @peculiar/x509 (~200 modules) on first call, so plans, status and validate never pay for it. A module of
// its own rather than part of identity.ts: certs.ts imports identity.ts's readers, and identity.ts importing
// certs.ts back (even lazily) would make the two one import cycle.
import type { SecretStore } from '@meshspec/core/plugin';
import type { CertificateOptions, EnsureResult, PemPair } from './certs.js';

export async function ensureLinkerdCertificates(secrets: SecretStore, options: CertificateOptions): Promise<EnsureResult> {
  return (await import('./certs.js')).ensureLinkerdCertificates(secrets, options);
}

/** A new self-signed trust anchor (root CA). */
export async function generateTrustAnchor(validityMs: number, now = new Date()): Promise<PemPair> {
  return (await import('./certs.js')).generateTrustAnchor(validityMs, now);
}

/** A new issuer (intermediate CA, path length 0) signed by the trust anchor. */
export async function issueIssuer(trustAnchor: PemPair, validityMs: number, now = new Date()): Promise<PemPair> {
  return (await import('./certs.js')).issueIssuer(trustAnchor, validityMs, now);
}
