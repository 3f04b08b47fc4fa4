// The light half of Linkerd's identity PKI: names, and reading certificates with node:crypto. Plans,
// status and validate need only this; generating certificates needs @peculiar/x509 (certs.ts), which
// with its ASN.1 codecs is ~200 modules, so that module is imported only when a step really generates
// (through cert-generation.ts, which loads it on first call).
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';

export const TRUST_ANCHOR_CN = 'root.linkerd.cluster.local';
export const ISSUER_CN = 'identity.linkerd.cluster.local';

/** Secret store names (the store is flat and shared by plugins, hence the prefix). */
export const CERT_FILES = {
  caCert: 'linkerd-ca.crt',
  caKey: 'linkerd-ca.key',
  issuerCert: 'linkerd-issuer.crt',
  issuerKey: 'linkerd-issuer.key',
} as const;

/** SHA-256 of the certificate's DER, hex: safe to log and record. */
export function fingerprintOf(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');
}

/** Does this private key belong to this certificate? */
export function keyMatchesCert(keyPem: string, certPem: string): boolean {
  const certKey = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  // createPublicKey derives the public key from a private one.
  return certKey.equals(createPublicKey(keyPem).export({ type: 'spki', format: 'der' }));
}

/** Is `issuerPem` signed by the trust anchor (and named as its child)? */
export async function isSignedBy(issuerPem: string, caPem: string): Promise<boolean> {
  const issuer = new X509Certificate(issuerPem);
  const ca = new X509Certificate(caPem);
  return issuer.issuer === ca.subject && issuer.verify(ca.publicKey);
}

export function notAfterOf(certPem: string): Date {
  const cert = new X509Certificate(certPem);
  // validToDate is Node >= 22.10; validTo ("Jan  1 00:00:00 2030 GMT") parses the same.
  return (cert as X509Certificate & { validToDate?: Date }).validToDate ?? new Date(cert.validTo);
}

/** When the certificate starts being valid: a future one (clock skew, a hand-made file) is refused by every peer. */
export function notBeforeOf(certPem: string): Date {
  const cert = new X509Certificate(certPem);
  return (cert as X509Certificate & { validFromDate?: Date }).validFromDate ?? new Date(cert.validFrom);
}

/** Certificates in a PEM bundle, normalised (for comparing trust roots across clusters). */
export function certificatesIn(pem: string): string[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map((m) => m[0].replace(/\s+/g, ''));
}
