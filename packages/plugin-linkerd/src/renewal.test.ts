import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CERT_FILES, generateTrustAnchor, issueIssuer } from './certs.js';
import { issuerRenewalReason, notYetValidReason, readStoredIdentity, type StoredIdentity } from './renewal.js';

const HOUR = 3_600_000;
const RENEW_BEFORE = 720 * HOUR;

describe('issuer renewal decided at plan time', async () => {
  const anchor = await generateTrustAnchor(87_600 * HOUR);
  const other = await generateTrustAnchor(87_600 * HOUR);
  const good = await issueIssuer(anchor, 8760 * HOUR);
  const expiring = await issueIssuer(anchor, 100 * HOUR);
  const expired = await issueIssuer(anchor, HOUR, new Date(Date.now() - 10 * HOUR));
  const foreign = await issueIssuer(other, 8760 * HOUR);
  const notYetValid = await issueIssuer(anchor, 8760 * HOUR, new Date(Date.now() + 48 * HOUR));
  const stored = (issuerCert: string | undefined, caCert: string | undefined = anchor.cert, issuerKeyPresent = true): StoredIdentity => ({
    ...(caCert ? { caCert } : {}),
    ...(issuerCert ? { issuerCert } : {}),
    issuerKeyPresent,
  });

  it.each<[string, StoredIdentity, string | undefined]>([
    ['nothing stored (first apply generates both)', { issuerKeyPresent: false }, undefined],
    ['a valid issuer signed by the anchor', stored(good.cert), undefined],
    ['the anchor without an issuer', stored(undefined, anchor.cert, false), 'issuer certificate or key missing'],
    ['an issuer certificate without its key', stored(good.cert, anchor.cert, false), 'issuer certificate or key missing'],
    ['an issuer signed by another anchor', stored(foreign.cert), 'issuer is not signed by the trust anchor'],
    ['an issuer inside the renewal window', stored(expiring.cert), 'issuer expires soon'],
    ['an expired issuer', stored(expired.cert), 'issuer expired'],
  ])('%s', (_name, identity, reason) => {
    expect(issuerRenewalReason(identity, RENEW_BEFORE)).toBe(reason);
  });

  it('a certificate not valid yet (notBefore in the future) is named apart from renewals: the anchor first, then the issuer', async () => {
    const futureAnchor = await generateTrustAnchor(87_600 * HOUR, new Date(Date.now() + 48 * HOUR));
    expect(notYetValidReason(stored(good.cert))).toBeUndefined();
    expect(notYetValidReason(stored(notYetValid.cert))).toMatch(/^issuer not valid until \d{4}-.*Z$/);
    expect(issuerRenewalReason(stored(notYetValid.cert), RENEW_BEFORE)).toBeUndefined();
    expect(notYetValidReason(stored(notYetValid.cert, futureAnchor.cert))).toMatch(/^trust anchor not valid until \d{4}-/);
    expect(notYetValidReason(stored('not a certificate'))).toBeUndefined();
  });

  it('an unreadable certificate counts as due, so the certs step runs and reports it', () => {
    expect(issuerRenewalReason(stored('not a certificate'), RENEW_BEFORE)).toMatch(/^stored certificate unreadable/);
  });

  it('reads only the public certificates and whether the key exists', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'meshspec-renewal-'));
    expect(readStoredIdentity(stateDir)).toEqual({ issuerKeyPresent: false });
    mkdirSync(join(stateDir, 'secrets'));
    writeFileSync(join(stateDir, 'secrets', CERT_FILES.caCert), anchor.cert);
    writeFileSync(join(stateDir, 'secrets', CERT_FILES.issuerCert), good.cert);
    writeFileSync(join(stateDir, 'secrets', CERT_FILES.issuerKey), good.key);
    const identity = readStoredIdentity(stateDir);
    expect(identity).toEqual({ caCert: anchor.cert, issuerCert: good.cert, issuerKeyPresent: true });
    expect(JSON.stringify(identity)).not.toContain(good.key.split('\n')[1]!);
  });
});
