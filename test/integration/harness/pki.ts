// Certificates for one test cluster, made with openssl: a cluster CA, the apiserver's serving cert (IP
// SAN = its loopback address), an admin client cert in group system:masters, and the service-account
// signing key pair. Each cluster gets its own CA, like independent real clusters.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClusterPki {
  dir: string;
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  adminCert: string;
  adminKey: string;
  saKey: string;
  saPub: string;
}

const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });

export function createClusterPki(dir: string, host: string, serviceIp: string, name: string): ClusterPki {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p = (f: string) => join(dir, f);
  const pki: ClusterPki = {
    dir,
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    servingCert: p('apiserver.crt'),
    servingKey: p('apiserver.key'),
    adminCert: p('admin.crt'),
    adminKey: p('admin.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
  };
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=meshspec-it-${name}-ca`,
    '-keyout',
    pki.caKey,
    '-out',
    pki.caCert,
  ]);

  const sans = [
    `IP:${host}`,
    `IP:${serviceIp}`,
    'DNS:localhost',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
  ];
  writeFileSync(
    p('serving.ext'),
    `subjectAltName=${sans.join(',')}\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n`,
  );
  signed('/CN=kube-apiserver', pki.servingKey, pki.servingCert, p('serving.ext'));

  writeFileSync(p('client.ext'), 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n');
  signed('/O=system:masters/CN=meshspec-it-admin', pki.adminKey, pki.adminCert, p('client.ext'));

  openssl(['genrsa', '-out', pki.saKey, '2048']);
  openssl(['rsa', '-in', pki.saKey, '-pubout', '-out', pki.saPub]);
  return pki;

  function signed(subject: string, key: string, cert: string, ext: string) {
    const csr = `${cert}.csr`;
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', subject, '-keyout', key, '-out', csr]);
    openssl([
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      pki.caCert,
      '-CAkey',
      pki.caKey,
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      ext,
      '-out',
      cert,
    ]);
  }
}
