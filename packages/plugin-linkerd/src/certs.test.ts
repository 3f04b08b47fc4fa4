import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestStepContext } from '@meshspec/core/testing';
import { describe, expect, it } from 'vitest';
import { CERT_FILES, ensureLinkerdCertificates, generateTrustAnchor, issueIssuer, keyMatchesCert, notBeforeOf } from './certs.js';

const HOUR = 3_600_000;
const options = { trustAnchorValidityMs: 87_600 * HOUR, issuerValidityMs: 8760 * HOUR, issuerRenewBeforeMs: 720 * HOUR };
const openssl = (...args: string[]) => execFileSync('/usr/bin/openssl', args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });

function secretsOf() {
  return createTestStepContext({ apiVersion: 'meshspec.dev/v1alpha1', kind: 'Topology', metadata: { name: 't' }, clusters: {} }).secrets;
}

describe('linkerd certificates (checked with real openssl)', () => {
  it('generates a root and an intermediate that openssl verifies, with the extensions Linkerd needs', async () => {
    const secrets = secretsOf();
    const result = await ensureLinkerdCertificates(secrets, options);
    expect(result).toMatchObject({ trustAnchor: 'generated', issuer: 'generated' });
    const ca = secrets.path(CERT_FILES.caCert);
    const issuer = secrets.path(CERT_FILES.issuerCert);

    expect(openssl('verify', '-CAfile', ca, issuer).trim()).toBe(`${issuer}: OK`);

    const caText = openssl('x509', '-in', ca, '-noout', '-text');
    expect(caText).toMatch(/Subject: CN ?= ?root\.linkerd\.cluster\.local/);
    expect(caText).toMatch(/Issuer: CN ?= ?root\.linkerd\.cluster\.local/);
    expect(caText).toContain('prime256v1');
    expect(caText).toContain('ecdsa-with-SHA256');
    expect(caText).toMatch(/Basic Constraints: critical\s+CA:TRUE\s/);
    expect(caText).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(caText).toContain('X509v3 Subject Key Identifier');
    expect(caText).toContain('X509v3 Authority Key Identifier');

    const issuerText = openssl('x509', '-in', issuer, '-noout', '-text');
    expect(issuerText).toMatch(/Subject: CN ?= ?identity\.linkerd\.cluster\.local/);
    expect(issuerText).toMatch(/Issuer: CN ?= ?root\.linkerd\.cluster\.local/);
    expect(issuerText).toContain('prime256v1');
    expect(issuerText).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(issuerText).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);

    // The issuer's AKI is the root's SKI.
    const ski = (text: string) => /Subject Key Identifier:\s+([0-9A-F:]+)/.exec(text)![1];
    const aki = /Authority Key Identifier:\s+(?:keyid:)?([0-9A-F:]+)/.exec(issuerText)![1];
    expect(aki).toBe(ski(caText));

    // Validity ≈ 8760h (the 5 minutes of clock-skew back-dating aside).
    const dates = (file: string) => {
      const out = openssl('x509', '-in', file, '-noout', '-startdate', '-enddate');
      const [, start] = /notBefore=(.*)/.exec(out)!;
      const [, end] = /notAfter=(.*)/.exec(out)!;
      return (Date.parse(end!) - Date.parse(start!)) / HOUR;
    };
    expect(dates(issuer)).toBeCloseTo(8760 + 5 / 60, 1);
    expect(dates(ca)).toBeCloseTo(87_600 + 5 / 60, 1);

    for (const name of Object.values(CERT_FILES)) expect(statSync(secrets.path(name)).mode & 0o777).toBe(0o600);
  });

  it('writes SEC1 "EC PRIVATE KEY" PEM that openssl reads and that matches each certificate', async () => {
    const secrets = secretsOf();
    await ensureLinkerdCertificates(secrets, options);
    for (const [cert, key] of [
      [CERT_FILES.caCert, CERT_FILES.caKey],
      [CERT_FILES.issuerCert, CERT_FILES.issuerKey],
    ] as const) {
      const keyText = (await secrets.read(key))!;
      expect(keyText.startsWith('-----BEGIN EC PRIVATE KEY-----')).toBe(true);
      openssl('ec', '-in', secrets.path(key), '-check', '-noout');
      const fromKey = openssl('pkey', '-in', secrets.path(key), '-pubout');
      const fromCert = openssl('x509', '-in', secrets.path(cert), '-noout', '-pubkey');
      expect(fromKey).toBe(fromCert);
      expect(keyMatchesCert(keyText, (await secrets.read(cert))!)).toBe(true);
    }
  });

  it('reuses stored files on a second run (same fingerprints, same bytes)', async () => {
    const secrets = secretsOf();
    const first = await ensureLinkerdCertificates(secrets, options);
    const before = await Promise.all(Object.values(CERT_FILES).map((n) => secrets.read(n)));
    const second = await ensureLinkerdCertificates(secrets, options);
    expect(second).toMatchObject({ trustAnchor: 'reused', issuer: 'reused' });
    expect(second.trustAnchorFingerprint).toBe(first.trustAnchorFingerprint);
    expect(second.issuerFingerprint).toBe(first.issuerFingerprint);
    expect(await Promise.all(Object.values(CERT_FILES).map((n) => secrets.read(n)))).toEqual(before);
    const fp = (file: string) => openssl('x509', '-in', secrets.path(file), '-noout', '-fingerprint', '-sha256');
    expect(fp(CERT_FILES.caCert).split('=')[1]!.trim().replaceAll(':', '').toLowerCase()).toBe(first.trustAnchorFingerprint);
  });

  it('re-issues an issuer near expiry from the same anchor, and never touches the anchor', async () => {
    const secrets = secretsOf();
    const first = await ensureLinkerdCertificates(secrets, { ...options, issuerValidityMs: 100 * HOUR });
    const later = await ensureLinkerdCertificates(secrets, options);
    expect(later).toMatchObject({ trustAnchor: 'reused', issuer: 'reissued', reason: 'issuer expires soon' });
    expect(later.trustAnchorFingerprint).toBe(first.trustAnchorFingerprint);
    expect(later.issuerFingerprint).not.toBe(first.issuerFingerprint);
    expect(openssl('verify', '-CAfile', secrets.path(CERT_FILES.caCert), secrets.path(CERT_FILES.issuerCert))).toContain('OK');
  });

  it('re-issues an issuer that is not valid yet (notBefore in the future) from the same anchor', async () => {
    const secrets = secretsOf();
    await ensureLinkerdCertificates(secrets, options);
    const anchorBefore = await secrets.read(CERT_FILES.caCert);
    const anchor = { cert: anchorBefore!, key: (await secrets.read(CERT_FILES.caKey))! };
    const future = await issueIssuer(anchor, 8760 * HOUR, new Date(Date.now() + 48 * HOUR));
    await secrets.write(CERT_FILES.issuerCert, future.cert);
    await secrets.write(CERT_FILES.issuerKey, future.key);
    const result = await ensureLinkerdCertificates(secrets, options);
    expect(result).toMatchObject({ trustAnchor: 'reused', issuer: 'reissued' });
    expect(result.reason).toMatch(/^issuer not valid until \d{4}-/);
    expect(await secrets.read(CERT_FILES.caCert)).toBe(anchorBefore);
    expect(notBeforeOf((await secrets.read(CERT_FILES.issuerCert))!).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('refuses (never replaces) a trust anchor that is not valid yet, and writes nothing', async () => {
    const secrets = secretsOf();
    const anchor = await generateTrustAnchor(87_600 * HOUR, new Date(Date.now() + 48 * HOUR));
    await secrets.write(CERT_FILES.caCert, anchor.cert);
    await secrets.write(CERT_FILES.caKey, anchor.key);
    await expect(ensureLinkerdCertificates(secrets, options)).rejects.toThrow(
      /the Linkerd trust anchor in .*linkerd-ca\.crt is not valid until .*fix the clock.*meshspec never replaces a trust anchor/,
    );
    expect(await secrets.read(CERT_FILES.caCert)).toBe(anchor.cert);
    expect(await secrets.read(CERT_FILES.issuerCert)).toBeUndefined();
  });

  it('refuses to guess when the anchor is incomplete', async () => {
    const secrets = secretsOf();
    await secrets.write(CERT_FILES.issuerCert, 'x');
    await expect(ensureLinkerdCertificates(secrets, options)).rejects.toThrow(/without the trust anchor/);
    const other = secretsOf();
    const anchor = await generateTrustAnchor(options.trustAnchorValidityMs);
    await other.write(CERT_FILES.caCert, anchor.cert);
    await expect(ensureLinkerdCertificates(other, options)).rejects.toThrow(/linkerd-ca.key is missing/);
  });

  it("caps the issuer at the anchor's expiry", async () => {
    const anchor = await generateTrustAnchor(10 * HOUR);
    const issuer = await issueIssuer(anchor, 8760 * HOUR);
    const dir = mkdtempSync(join(tmpdir(), 'linkerd-cap-'));
    writeFileSync(join(dir, 'i.crt'), issuer.cert);
    writeFileSync(join(dir, 'c.crt'), anchor.cert);
    expect(openssl('x509', '-in', join(dir, 'i.crt'), '-noout', '-enddate')).toBe(
      openssl('x509', '-in', join(dir, 'c.crt'), '-noout', '-enddate'),
    );
  });
});
