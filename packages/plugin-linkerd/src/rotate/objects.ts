// The cluster objects a rotation writes, as plain data (pure): the issuer Secret, the trust-roots
// ConfigMap and the rollout-restart patch — the same fields `linkerd upgrade` and `kubectl rollout
// restart` change, written directly so a rotation touches nothing else of the control plane.
import type { KubeObject } from '@meshspec/core/plugin';
import { certificatesIn } from '../identity.js';

export const ISSUER_SECRET = 'linkerd-identity-issuer';
export const TRUST_ROOTS_CONFIGMAP = 'linkerd-identity-trust-roots';
export const TRUST_ROOTS_KEY = 'ca-bundle.crt';
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
/**
 * Field manager of the restart annotation only (like kubectl's own), so a later apply, which renders no
 * restartedAt, neither conflicts with it nor removes it. The Secret and ConfigMap are written as
 * `meshspec` (apply's manager): the next apply's `linkerd upgrade` then owns and rewrites them cleanly.
 */
export const ROTATE_FIELD_MANAGER = 'meshspec-rotate';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/**
 * The issuer Secret with the new certificate and key, in the scheme the cluster already uses:
 * `linkerd.io/tls` (crt.pem / key.pem, what `linkerd install` writes) or `kubernetes.io/tls`
 * (tls.crt / tls.key / ca.crt, the cert-manager scheme).
 */
export function issuerSecret(
  existing: KubeObject | undefined,
  namespace: string,
  issuer: { cert: string; key: string },
  anchorsPem: string,
): KubeObject {
  const data = (existing?.['data'] as Record<string, string> | undefined) ?? {};
  const kubernetesScheme = 'tls.crt' in data || existing?.['type'] === 'kubernetes.io/tls';
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: ISSUER_SECRET, namespace },
    data: kubernetesScheme
      ? { 'tls.crt': b64(issuer.cert), 'tls.key': b64(issuer.key), 'ca.crt': b64(anchorsPem) }
      : { 'crt.pem': b64(issuer.cert), 'key.pem': b64(issuer.key.trim()) },
  };
}

/** The issuer certificate PEM held by a cluster's issuer Secret (either scheme). */
export function issuerCertOf(secret: KubeObject | undefined): string | undefined {
  const data = (secret?.['data'] as Record<string, string> | undefined) ?? {};
  const value = data['crt.pem'] ?? data['tls.crt'];
  return value ? Buffer.from(value, 'base64').toString('utf8') : undefined;
}

export function trustRootsConfigMap(namespace: string, anchors: readonly string[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: TRUST_ROOTS_CONFIGMAP, namespace },
    data: { [TRUST_ROOTS_KEY]: bundle(anchors) },
  };
}

/** PEM bundle of distinct certificates, in order. */
export function bundle(anchors: readonly string[]): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const pem of anchors) {
    for (const cert of pemCertificates(pem)) {
      const key = cert.replace(/\s+/g, '');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(cert);
    }
  }
  return `${out.join('\n')}\n`;
}

/** Certificates of a PEM text, as PEM blocks (certificatesIn normalises whitespace away; this keeps it). */
export function pemCertificates(pem: string): string[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map((m) => m[0]);
}

/** Same certificates (order-insensitive)? */
export function sameAnchors(a: string, b: string): boolean {
  const x = certificatesIn(a).sort();
  const y = certificatesIn(b).sort();
  return x.length === y.length && x.every((c, i) => c === y[i]);
}

/** What `kubectl rollout restart` changes: the pod template's restartedAt annotation. */
export function restartPatch(kind: 'Deployment' | 'DaemonSet' | 'StatefulSet', name: string, namespace: string, at: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace },
    spec: { template: { metadata: { annotations: { [RESTARTED_AT]: at } } } },
  };
}
