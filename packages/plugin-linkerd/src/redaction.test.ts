import { redact } from '@meshspec/core/plugin';
import { createTestStepContext } from '@meshspec/core/testing';
import { describe, expect, it } from 'vitest';
import { CERT_FILES, ensureLinkerdCertificates, generateTrustAnchor, issueIssuer } from './certs.js';

const HOUR = 3_600_000;
const options = { trustAnchorValidityMs: 87_600 * HOUR, issuerValidityMs: 8760 * HOUR, issuerRenewBeforeMs: 720 * HOUR };

/** Every form of a key PEM a tool may print: the PEM, each body line, and the base64 a chart renders. */
function formsOf(pem: string): string[] {
  const trimmed = pem.trim();
  return [
    pem,
    trimmed,
    ...trimmed.split('\n').filter((l) => !l.startsWith('-----')),
    Buffer.from(pem).toString('base64'),
    Buffer.from(trimmed).toString('base64'),
    Buffer.from(`${trimmed}\n`).toString('base64'),
  ];
}

describe('linkerd keys are registered with the log redactor', () => {
  it.each(['generated', 'read back'])('when the certs are %s', async (when) => {
    const ctx = createTestStepContext({ apiVersion: 'meshspec.dev/v1alpha1', kind: 'Topology', metadata: { name: 't' }, clusters: {} });
    if (when === 'read back') {
      // Keys made outside ensureLinkerdCertificates (an earlier process): unknown to the redactor until read.
      const anchor = await generateTrustAnchor(options.trustAnchorValidityMs);
      const issuer = await issueIssuer(anchor, options.issuerValidityMs);
      await ctx.secrets.write(CERT_FILES.caCert, anchor.cert);
      await ctx.secrets.write(CERT_FILES.caKey, anchor.key);
      await ctx.secrets.write(CERT_FILES.issuerCert, issuer.cert);
      await ctx.secrets.write(CERT_FILES.issuerKey, issuer.key);
      const b64 = Buffer.from(issuer.key.trim()).toString('base64');
      expect(redact(b64)).toBe(b64);
      expect(await ensureLinkerdCertificates(ctx.secrets, options)).toMatchObject({ trustAnchor: 'reused', issuer: 'reused' });
    } else {
      expect(await ensureLinkerdCertificates(ctx.secrets, options)).toMatchObject({ trustAnchor: 'generated', issuer: 'generated' });
    }
    for (const name of [CERT_FILES.caKey, CERT_FILES.issuerKey]) {
      const pem = (await ctx.secrets.read(name))!;
      for (const form of formsOf(pem)) {
        const shown = redact(`tls.key: ${form}`);
        expect(shown, `${name} form leaked`).not.toContain(form);
        expect(shown).toContain('***');
      }
    }
  });
});
