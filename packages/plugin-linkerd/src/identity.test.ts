import 'reflect-metadata';
import { createHash } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { generateTrustAnchor as generateTrustAnchorEagerly } from './certs.js';
import { generateTrustAnchor, issueIssuer } from './cert-generation.js';
import { fingerprintOf, isSignedBy, keyMatchesCert, notAfterOf } from './identity.js';

const HOUR = 3_600_000;

// identity.ts reads certificates with node:crypto so that plans never load @peculiar/x509; these pin
// its answers to what the generator's own library sees in the same certificates.
describe('certificate readers without @peculiar/x509', async () => {
  const now = new Date('2030-01-02T03:04:05.000Z');
  const anchor = await generateTrustAnchor(10 * HOUR, now);
  const issuer = await issueIssuer(anchor, 2 * HOUR, now);
  const strangerAnchor = await generateTrustAnchorEagerly(10 * HOUR, now);

  it('reads notAfter to the second, as x509 does', () => {
    for (const pem of [anchor.cert, issuer.cert]) {
      expect(notAfterOf(pem).toISOString()).toBe(new x509.X509Certificate(pem).notAfter.toISOString());
    }
    expect(notAfterOf(issuer.cert).toISOString()).toBe('2030-01-02T05:04:05.000Z');
  });

  it('fingerprints the DER', () => {
    const der = Buffer.from(new x509.X509Certificate(issuer.cert).rawData);
    expect(fingerprintOf(issuer.cert)).toBe(createHash('sha256').update(der).digest('hex'));
    expect(fingerprintOf(issuer.cert)).not.toBe(fingerprintOf(anchor.cert));
  });

  it('matches keys to their certificate only', () => {
    expect(keyMatchesCert(issuer.key, issuer.cert)).toBe(true);
    expect(keyMatchesCert(anchor.key, issuer.cert)).toBe(false);
  });

  it('knows which anchor signed an issuer', async () => {
    expect(await isSignedBy(issuer.cert, anchor.cert)).toBe(true);
    expect(await isSignedBy(issuer.cert, strangerAnchor.cert)).toBe(false);
    // Same subject name, different key: the name check alone would pass.
    expect(await isSignedBy(anchor.cert, strangerAnchor.cert)).toBe(false);
  });
});
