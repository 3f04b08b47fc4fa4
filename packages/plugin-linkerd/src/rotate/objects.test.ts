import { describe, expect, it } from 'vitest';
import { createTestStepContext } from '@meshspec/core/testing';
import type { Topology } from '@meshspec/core/plugin';
import { generateTrustAnchor, issueIssuer } from '../certs.js';
import { CERT_FILES } from '../identity.js';
import { bundle, issuerCertOf, issuerSecret, restartPatch, sameAnchors } from './objects.js';
import { issuerRenewalWarning } from './renewal-warning.js';

const HOUR = 3_600_000;
const decode = (v: string) => Buffer.from(v, 'base64').toString('utf8');

describe('rotation objects', () => {
  it('issuer Secret keeps the scheme the cluster uses (linkerd.io/tls from linkerd install, kubernetes.io/tls from cert-manager)', async () => {
    const anchor = await generateTrustAnchor(1000 * HOUR);
    const issuer = await issueIssuer(anchor, 100 * HOUR);
    const linkerdScheme = issuerSecret(
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, data: { 'crt.pem': '', 'key.pem': '' } },
      'linkerd',
      issuer,
      anchor.cert,
    );
    expect(Object.keys(linkerdScheme['data'] as object)).toEqual(['crt.pem', 'key.pem']);
    expect(issuerCertOf(linkerdScheme)).toBe(issuer.cert);
    expect(decode((linkerdScheme['data'] as Record<string, string>)['key.pem']!)).toBe(issuer.key.trim());
    const tlsScheme = issuerSecret(
      { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/tls', metadata: { name: 'x' }, data: { 'tls.crt': '', 'tls.key': '' } },
      'linkerd',
      issuer,
      anchor.cert,
    );
    expect(Object.keys(tlsScheme['data'] as object)).toEqual(['tls.crt', 'tls.key', 'ca.crt']);
    expect(issuerCertOf(tlsScheme)).toBe(issuer.cert);
  });

  it('bundles distinct anchors in order and compares bundles order-insensitively', async () => {
    const a = await generateTrustAnchor(1000 * HOUR);
    const b = await generateTrustAnchor(1000 * HOUR);
    const both = bundle([a.cert, b.cert, a.cert]);
    expect(both).toBe(`${a.cert.trim()}\n${b.cert.trim()}\n`);
    expect(sameAnchors(both, bundle([b.cert, a.cert]))).toBe(true);
    expect(sameAnchors(both, a.cert)).toBe(false);
  });

  it('restart patch is the pod-template annotation kubectl rollout restart sets', () => {
    expect(restartPatch('Deployment', 'app', 'ns', '2026-01-01T00:00:00.000Z')).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'app', namespace: 'ns' },
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00.000Z' } } } },
    });
  });
});

describe('issuerRenewalWarning (apply summary)', () => {
  const topology = { apiVersion: 'meshspec.dev/v1alpha1', kind: 'Topology', metadata: { name: 't' }, clusters: { demo: {} } } as Topology;
  it.each([
    { validity: 8760 * HOUR, want: 0 },
    { validity: 240 * HOUR, want: 1 },
  ])('issuer valid $validity ms -> $want warning(s)', async ({ validity, want }) => {
    const ctx = createTestStepContext(topology);
    const anchor = await generateTrustAnchor(87_600 * HOUR);
    await ctx.secrets.write(CERT_FILES.issuerCert, (await issueIssuer(anchor, validity)).cert);
    const lines = await issuerRenewalWarning({ version: 'stable-2.13.3' }, ctx);
    expect(lines).toHaveLength(want);
    if (want)
      expect(lines[0]).toMatch(
        /^warning: the Linkerd issuer expires in 9 days \(.*\), within issuerRenewBefore \(720h\): run meshspec rotate <topology.yaml> --issuer$/,
      );
  });
});
