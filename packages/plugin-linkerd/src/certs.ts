// Linkerd's identity PKI, generated in-process (the seed procedure used `step certificate create`):
// a self-signed trust anchor shared by every cluster, and an intermediate issuer signed by it. Linkerd
// requires ECDSA P-256. Keys are written as SEC1 "EC PRIVATE KEY" PEM (what step writes and Linkerd reads)
// through the secret store only, and never logged.
// @peculiar/x509 resolves its ASN.1 codecs through tsyringe, which needs the Reflect metadata API first.
import 'reflect-metadata';
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { SecretStore } from '@meshspec/core/plugin';
import { CERT_FILES, fingerprintOf, ISSUER_CN, isSignedBy, keyMatchesCert, notAfterOf, notBeforeOf, TRUST_ANCHOR_CN } from './identity.js';
import { registerKeyPem } from './redaction.js';

// Heavy (see identity.ts): import this module only where certificates are generated. The readers stay
// re-exported here so tests and callers that already load the generator have one place to import from.
export {
  CERT_FILES,
  certificatesIn,
  fingerprintOf,
  ISSUER_CN,
  isSignedBy,
  keyMatchesCert,
  notAfterOf,
  notBeforeOf,
  TRUST_ANCHOR_CN,
} from './identity.js';

type CryptoKey = webcrypto.CryptoKey;
const crypto = globalThis.crypto;
x509.cryptoProvider.set(globalThis.crypto);

const KEY_ALGORITHM: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING_ALGORITHM: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const CA_KEY_USAGE = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;
/** Back-date notBefore a little so a node whose clock lags ours still accepts fresh certificates. */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface PemPair {
  cert: string;
  key: string;
}

export interface CertificateOptions {
  trustAnchorValidityMs: number;
  issuerValidityMs: number;
  /** The issuer is re-issued when it expires within this window. */
  issuerRenewBeforeMs: number;
  now?: Date;
}

export interface EnsureResult {
  trustAnchor: 'generated' | 'reused';
  issuer: 'generated' | 'reused' | 'reissued';
  /** SHA-256 of the certificates' DER, hex: safe to log and record. */
  trustAnchorFingerprint: string;
  issuerFingerprint: string;
  issuerNotAfter: string;
  /** Why the issuer was re-issued, when it was. */
  reason?: string;
}

const generateKeys = () => crypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);

/** Positive 128-bit serial (RFC 5280 wants at most 20 octets, positive). */
const randomSerial = () => {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
};

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ type: 'sec1', format: 'pem' }).toString();
}

/** Reads a PEM private key (SEC1 or PKCS#8) as a WebCrypto signing key. */
async function importSigningKey(pem: string): Promise<CryptoKey> {
  const pkcs8 = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  return crypto.subtle.importKey('pkcs8', pkcs8, KEY_ALGORITHM, false, ['sign']);
}

/** A new self-signed trust anchor (root CA). */
export async function generateTrustAnchor(validityMs: number, now = new Date()): Promise<PemPair> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${TRUST_ANCHOR_CN}`,
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter: new Date(now.getTime() + validityMs),
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(CA_KEY_USAGE, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: await privateKeyPem(keys.privateKey) };
}

/** A new issuer (intermediate CA, path length 0) signed by the trust anchor. */
export async function issueIssuer(trustAnchor: PemPair, validityMs: number, now = new Date()): Promise<PemPair> {
  const ca = new x509.X509Certificate(trustAnchor.cert);
  const caKey = await importSigningKey(trustAnchor.key);
  const keys = await generateKeys();
  // An issuer must not outlive the anchor that vouches for it.
  const notAfter = new Date(Math.min(now.getTime() + validityMs, ca.notAfter.getTime()));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${ISSUER_CN}`,
    issuer: ca.subject,
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(CA_KEY_USAGE, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.publicKey),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: await privateKeyPem(keys.privateKey) };
}

/** Why an existing issuer cannot be kept, or undefined when it can. */
async function issuerProblem(issuer: Partial<PemPair>, ca: string, options: CertificateOptions, now: Date): Promise<string | undefined> {
  if (!issuer.cert || !issuer.key) return 'issuer certificate or key missing';
  if (!keyMatchesCert(issuer.key, issuer.cert)) return 'issuer key does not match the issuer certificate';
  if (!(await isSignedBy(issuer.cert, ca))) return 'issuer is not signed by the trust anchor';
  // Safe to replace (the anchor vouches for the new one), and no control plane can use it until then.
  if (notBeforeOf(issuer.cert).getTime() > now.getTime()) return `issuer not valid until ${notBeforeOf(issuer.cert).toISOString()}`;
  const left = notAfterOf(issuer.cert).getTime() - now.getTime();
  if (left <= options.issuerRenewBeforeMs) return left <= 0 ? 'issuer expired' : 'issuer expires soon';
  return undefined;
}

/**
 * Makes sure the trust anchor and issuer exist in the secret store, generating them only when needed:
 * - nothing stored: generate both;
 * - the trust anchor is NEVER regenerated once stored (every cluster trusts it; replacing it means
 *   re-installing Linkerd and restarting every meshed pod), and a half-stored one is an error;
 * - the issuer is kept while valid, signed by the anchor and outside the renewal window; otherwise it is
 *   re-issued from the anchor's key (the control planes then need `linkerd upgrade` to pick it up).
 */
export async function ensureLinkerdCertificates(secrets: SecretStore, options: CertificateOptions): Promise<EnsureResult> {
  const now = options.now ?? new Date();
  const [caCert, caKey, issuerCert, issuerKey] = await Promise.all([
    secrets.read(CERT_FILES.caCert),
    secrets.read(CERT_FILES.caKey),
    secrets.read(CERT_FILES.issuerCert),
    secrets.read(CERT_FILES.issuerKey),
  ]);
  // Before anything else can print them (error messages, a CLI's verbose output).
  registerKeyPem(caKey);
  registerKeyPem(issuerKey);
  let anchor: PemPair;
  let trustAnchor: EnsureResult['trustAnchor'] = 'reused';
  if (!caCert && !caKey) {
    if (issuerCert || issuerKey) {
      throw new Error(
        `found ${CERT_FILES.issuerCert}/${CERT_FILES.issuerKey} without the trust anchor in ${secrets.dir}: restore ${CERT_FILES.caCert} and ${CERT_FILES.caKey}, or remove the issuer files to start a new mesh identity`,
      );
    }
    anchor = await generateTrustAnchor(options.trustAnchorValidityMs, now);
    registerKeyPem(anchor.key);
    await secrets.write(CERT_FILES.caCert, anchor.cert);
    await secrets.write(CERT_FILES.caKey, anchor.key);
    trustAnchor = 'generated';
  } else {
    if (!caCert)
      throw new Error(
        `${CERT_FILES.caKey} exists without ${CERT_FILES.caCert} in ${secrets.dir}: restore the certificate from your backup`,
      );
    if (notAfterOf(caCert).getTime() <= now.getTime()) {
      throw new Error(
        `the Linkerd trust anchor in ${secrets.path(CERT_FILES.caCert)} expired on ${notAfterOf(caCert).toISOString()}: rotate it by hand (https://linkerd.io/2/tasks/manually-rotating-control-plane-tls-credentials/)`,
      );
    }
    // Never replaced silently (see above): a future anchor is a wrong clock or a wrongly made file.
    if (notBeforeOf(caCert).getTime() > now.getTime()) {
      throw new Error(
        `the Linkerd trust anchor in ${secrets.path(CERT_FILES.caCert)} is not valid until ${notBeforeOf(caCert).toISOString()} (this machine's clock says ${now.toISOString()}): fix the clock if it is behind; if the file was made wrong, restore the anchor the clusters trust from your backup (meshspec never replaces a trust anchor)`,
      );
    }
    if (caKey && !keyMatchesCert(caKey, caCert))
      throw new Error(`${CERT_FILES.caKey} does not belong to ${CERT_FILES.caCert} in ${secrets.dir}: restore the matching pair`);
    anchor = { cert: caCert, key: caKey ?? '' };
  }

  const problem =
    trustAnchor === 'generated' ? 'new trust anchor' : await issuerProblem({ cert: issuerCert, key: issuerKey }, anchor.cert, options, now);
  let issuer: PemPair;
  let issuerOutcome: EnsureResult['issuer'] = 'reused';
  if (problem === undefined) {
    issuer = { cert: issuerCert!, key: issuerKey! };
  } else {
    if (!anchor.key) throw new Error(`cannot issue a new Linkerd issuer (${problem}): ${CERT_FILES.caKey} is missing from ${secrets.dir}`);
    issuer = await issueIssuer(anchor, options.issuerValidityMs, now);
    registerKeyPem(issuer.key);
    await secrets.write(CERT_FILES.issuerCert, issuer.cert);
    await secrets.write(CERT_FILES.issuerKey, issuer.key);
    issuerOutcome = trustAnchor === 'generated' || (!issuerCert && !issuerKey) ? 'generated' : 'reissued';
  }
  return {
    trustAnchor,
    issuer: issuerOutcome,
    trustAnchorFingerprint: fingerprintOf(anchor.cert),
    issuerFingerprint: fingerprintOf(issuer.cert),
    issuerNotAfter: notAfterOf(issuer.cert).toISOString(),
    ...(issuerOutcome === 'reissued' ? { reason: problem } : {}),
  };
}
