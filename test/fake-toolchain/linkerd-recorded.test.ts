// The FAKE linkerd CLI answers with the real CLI's recorded output (../shared/conformance/linkerd/<version>/):
// the same objects, with meshspec's identity in place of the recorded one, the `--set` values meshspec passes
// honoured, and anything else refused. Runs the fake executable as meshspec does (argv in, YAML out).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseManifestText } from '../../packages/core/src/kube/manifests.js';
import type { KubeObject } from '../../packages/core/src/kube/types.js';
import { fingerprintOf, generateTrustAnchor, issueIssuer, keyMatchesCert } from '../../packages/plugin-linkerd/src/index.js';
import { conformanceObjects, readConformanceText } from '../conformance/index.js';
import { FAKE_BIN } from './index.js';

const LINKERD = join(FAKE_BIN, 'linkerd');
const DAY = 86_400_000;
let dir: string;
let files: { anchors: string; crt: string; key: string };
let anchorPem: string;
let issuer: { cert: string; key: string };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'meshspec-fake-linkerd-recorded-'));
  const anchor = await generateTrustAnchor(30 * DAY);
  issuer = await issueIssuer(anchor, 10 * DAY);
  anchorPem = anchor.cert;
  files = { anchors: join(dir, 'ca.crt'), crt: join(dir, 'issuer.crt'), key: join(dir, 'issuer.key') };
  writeFileSync(files.anchors, anchor.cert);
  writeFileSync(files.crt, issuer.cert);
  writeFileSync(files.key, issuer.key, { mode: 0o600 });
  writeFileSync(
    join(dir, 'kubeconfig'),
    'apiVersion: v1\nkind: Config\ncontexts: [{ name: c1, context: { cluster: x, user: y } }]\ncurrent-context: c1\n',
  );
});

function linkerd(version: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const env = {
    ...process.env,
    MESHSPEC_FAKE_CLUSTERS: 'kubeconfig',
    KUBECONFIG: join(dir, 'kubeconfig'),
    MESHSPEC_FAKE_LINKERD_VERSION: version,
  };
  const r = spawnSync(LINKERD, ['--context', 'c1', ...args], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
/** The same CLI against the fake toolchain's simulated kind cluster `kind-c1` (no API server involved). */
function linkerdOnSimulatedCluster(version: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const state = join(dir, 'simulated');
  mkdirSync(join(state, 'kind', 'clusters', 'c1'), { recursive: true });
  writeFileSync(join(state, 'kind', 'clusters', 'c1', 'cluster.json'), '{}');
  const env: NodeJS.ProcessEnv = { ...process.env, MESHSPEC_FAKE_STATE: state, MESHSPEC_FAKE_LINKERD_VERSION: version };
  delete env['MESHSPEC_FAKE_CLUSTERS'];
  const r = spawnSync(LINKERD, ['--context', 'kind-c1', ...args], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const render = (version: string, args: string[]): KubeObject[] => {
  const r = linkerd(version, args);
  expect(r.code, r.stderr).toBe(0);
  return parseManifestText(r.stdout);
};
const ids = (objects: KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
const find = (objects: KubeObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name) as (KubeObject & { data?: Record<string, string> }) | undefined;
const identityArgs = () => [
  '--identity-trust-anchors-file',
  files.anchors,
  '--identity-issuer-certificate-file',
  files.crt,
  '--identity-issuer-key-file',
  files.key,
];

const RELEASES = [
  { version: 'stable-2.13.3', folder: 'stable-2.13.3' },
  { version: 'edge-26.6.3', folder: 'edge-26.6.3' },
  { version: 'version-2.20', folder: 'edge-26.6.3' },
] as const;

describe.each(RELEASES)(
  'FAKE linkerd CLI $version answers with the recorded output of the real CLI (linkerd/$folder)',
  ({ version, folder }) => {
    it('install --ignore-cluster: exactly the recorded objects, with meshspec identity everywhere the render carries one', () => {
      const objects = render(version, ['install', '--ignore-cluster', ...identityArgs()]);
      const recorded = conformanceObjects(`linkerd/${folder}/install-control-plane.yaml`);
      expect(ids(objects)).toEqual(ids(recorded));

      const roots = find(objects, 'ConfigMap', 'linkerd-identity-trust-roots')!.data!['ca-bundle.crt']!;
      expect(roots).toBe(anchorPem.trim()); // the chart trims the anchors
      const secret = find(objects, 'Secret', 'linkerd-identity-issuer')!.data!;
      const crt = Buffer.from(secret['crt.pem']!, 'base64').toString();
      const key = Buffer.from(secret['key.pem']!, 'base64').toString();
      // The CLI re-encodes: same certificate (parsed), no trailing newline; the key as SEC1 "EC PRIVATE KEY".
      expect(fingerprintOf(crt)).toBe(fingerprintOf(issuer.cert));
      expect(crt.endsWith('-----END CERTIFICATE-----')).toBe(true);
      expect(key.startsWith('-----BEGIN EC PRIVATE KEY-----')).toBe(true);
      expect(keyMatchesCert(key, issuer.cert)).toBe(true);
      const values = find(objects, 'ConfigMap', 'linkerd-config')!.data!['values']!;
      expect(values).toContain(anchorPem.trim().split('\n')[1]);

      // Nothing of the recorded (foreign) identity is left, in any string or Secret.
      const recordedAnchorLine = readConformanceText(`linkerd/${folder}/test-trust-anchor.crt`).split('\n')[1]!;
      const everything =
        JSON.stringify(objects) +
        objects
          .filter((o) => o.kind === 'Secret')
          .map((o) => Object.values((o as { data?: Record<string, string> }).data ?? {}).map((v) => Buffer.from(v, 'base64').toString()))
          .join('');
      expect(everything).not.toContain(recordedAnchorLine);
      const overrides = Buffer.from(
        find(objects, 'Secret', 'linkerd-config-overrides')!.data!['linkerd-config-overrides']!,
        'base64',
      ).toString();
      expect(overrides).toContain(anchorPem.trim().split('\n')[1]);
      // The pods carry the anchors' sha256 (the chart's trust-root-sha256 annotation), as the real CLI renders them.
      const anchorSha = createHash('sha256').update(anchorPem).digest('hex');
      const podAnnotations = objects
        .filter((o) => o.kind === 'Deployment')
        .map(
          (o) =>
            (o as unknown as { spec: { template: { metadata: { annotations: Record<string, string> } } } }).spec.template.metadata
              .annotations['linkerd.io/trust-root-sha256'],
        );
      expect(podAnnotations.length).toBeGreaterThan(0);
      expect(new Set(podAnnotations)).toEqual(new Set([anchorSha]));
      // Everything else is byte for byte the recorded object.
      const unchanged = (o: KubeObject) =>
        o.kind !== 'Deployment' &&
        !['linkerd-config', 'linkerd-identity-trust-roots', 'linkerd-identity-issuer', 'linkerd-config-overrides'].includes(
          o.metadata.name,
        );
      expect(objects.filter(unchanged)).toEqual(recorded.filter(unchanged));
    });

    it('install --set clusterNetworks: every place the chart puts them (config, destination, proxies, overrides)', () => {
      const objects = render(version, [
        'install',
        '--ignore-cluster',
        ...identityArgs(),
        '--set',
        'clusterNetworks=10.1.0.0/16\\,172.18.0.0/16',
      ]);
      const text = JSON.stringify(objects);
      expect(text).not.toContain('192.168.0.0/16');
      expect(find(objects, 'ConfigMap', 'linkerd-config')!.data!['values']).toContain('clusterNetworks: 10.1.0.0/16,172.18.0.0/16\n');
      const destination = find(objects, 'Deployment', 'linkerd-destination') as unknown as {
        spec: { template: { spec: { containers: { args?: string[] }[] } } };
      };
      expect(destination.spec.template.spec.containers.flatMap((c) => c.args ?? [])).toContain(
        '--cluster-networks=10.1.0.0/16,172.18.0.0/16',
      );
      expect(
        Buffer.from(find(objects, 'Secret', 'linkerd-config-overrides')!.data!['linkerd-config-overrides']!, 'base64').toString(),
      ).toMatch(/^clusterNetworks: 10\.1\.0\.0\/16,172\.18\.0\.0\/16\n/);
    });

    it('a --set the recordings cannot honour is refused, not ignored; a bad issuer is still refused by the openssl check', () => {
      const refused = linkerd(version, ['install', '--ignore-cluster', ...identityArgs(), '--set', 'proxy.logLevel=debug']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/cannot honour --set proxy\.logLevel=debug/);
      expect(refused.stdout).toBe('');
      const foreign = linkerd(version, [
        'install',
        '--ignore-cluster',
        '--identity-trust-anchors-file',
        files.crt,
        '--identity-issuer-certificate-file',
        files.crt,
        '--identity-issuer-key-file',
        files.key,
      ]);
      expect(foreign.code).toBe(1);
      expect(foreign.stderr).toMatch(/failed to validate issuer credentials/);
    });

    it('install --crds, viz install, multicluster install: the recorded objects', () => {
      expect(render(version, ['install', '--crds', '--ignore-cluster'])).toEqual(conformanceObjects(`linkerd/${folder}/install-crds.yaml`));
      expect(render(version, ['viz', 'install'])).toEqual(conformanceObjects(`linkerd/${folder}/viz-install.yaml`));
      expect(render(version, ['multicluster', 'install'])).toEqual(conformanceObjects(`linkerd/${folder}/multicluster-install.yaml`));
    });

    it("multicluster install --set gateway.enabled=false: without the objects of the chart's gateway templates", () => {
      const all = conformanceObjects(`linkerd/${folder}/multicluster-install.yaml`);
      const objects = render(version, ['multicluster', 'install', '--set', 'gateway.enabled=false']);
      expect(
        ids(all)
          .filter((id) => !ids(objects).includes(id))
          .sort(),
      ).toEqual(
        [
          'AuthorizationPolicy/linkerd-multicluster/linkerd-gateway',
          'Deployment/linkerd-multicluster/linkerd-gateway',
          'MeshTLSAuthentication/linkerd-multicluster/any-meshed',
          'NetworkAuthentication/linkerd-multicluster/source-cluster',
          'Server/linkerd-multicluster/linkerd-gateway',
          'Service/linkerd-multicluster/linkerd-gateway',
          'ServiceAccount/linkerd-multicluster/linkerd-gateway',
        ].sort(),
      );
    });

    // With MESHSPEC_FAKE_CLUSTERS=kubeconfig, uninstall lists the live objects of the real API server
    // (linkerd-cluster.mjs, tested in test/integration); on the simulated clusters it lists the recorded ones.
    it('uninstall on a simulated cluster names the recorded control plane and CRDs, without Secret or ConfigMap contents', () => {
      const r = linkerdOnSimulatedCluster(version, ['uninstall']);
      expect(r.code, r.stderr).toBe(0);
      const objects = parseManifestText(r.stdout);
      expect(ids(objects)).toEqual([
        ...ids(conformanceObjects(`linkerd/${folder}/install-control-plane.yaml`)),
        ...ids(conformanceObjects(`linkerd/${folder}/install-crds.yaml`)),
      ]);
      expect(objects.filter((o) => o.kind === 'Secret' && 'data' in o)).toEqual([]);
    });
  },
);

describe('FAKE linkerd CLI: version-specific renders', () => {
  it('2.20 install --crds --set installGatewayAPI=true: the render that bundles the Gateway API CRDs; false: without', () => {
    expect(render('edge-26.6.3', ['install', '--crds', '--ignore-cluster', '--set', 'installGatewayAPI=true'])).toEqual(
      conformanceObjects('linkerd/edge-26.6.3/install-crds-with-gateway-api.yaml'),
    );
    expect(render('edge-26.6.3', ['install', '--crds', '--ignore-cluster', '--set', 'installGatewayAPI=false'])).toEqual(
      conformanceObjects('linkerd/edge-26.6.3/install-crds.yaml'),
    );
    // 2.13's CLI has no such value: refused rather than silently rendering something else.
    expect(linkerd('stable-2.13.3', ['install', '--crds', '--ignore-cluster', '--set', 'installGatewayAPI=false']).stderr).toMatch(
      /cannot honour --set installGatewayAPI=false/,
    );
  });

  it('2.20 multicluster install with controllers[N].link.ref.name: the recorded west controller, once per link, renamed', () => {
    const recorded = conformanceObjects('linkerd/edge-26.6.3/multicluster-install-controller-west.yaml');
    expect(render('edge-26.6.3', ['multicluster', 'install', '--set', 'controllers[0].link.ref.name=west'])).toEqual(recorded);
    const two = render('edge-26.6.3', [
      'multicluster',
      'install',
      '--set',
      'controllers[0].link.ref.name=east',
      '--set',
      'controllers[1].link.ref.name=south',
    ]);
    const base = ids(conformanceObjects('linkerd/edge-26.6.3/multicluster-install.yaml'));
    const added = ids(two).filter((id) => !base.includes(id));
    const westAdded = ids(recorded).filter((id) => !base.includes(id));
    expect(added).toEqual([...westAdded.map((id) => id.replace(/west/g, 'east')), ...westAdded.map((id) => id.replace(/west/g, 'south'))]);
    expect(JSON.stringify(two)).not.toMatch(/\bwest\b/);
    const controller = find(two, 'Deployment', 'controller-south') as unknown as {
      spec: { template: { spec: { containers: { args?: string[] }[] } } };
    };
    expect(controller.spec.template.spec.containers.flatMap((c) => c.args ?? [])).toEqual(
      expect.arrayContaining(['-probe-service=probe-south', 'south']),
    );
    expect(linkerd('stable-2.13.3', ['multicluster', 'install', '--set', 'controllers[0].link.ref.name=west']).code).toBe(2);
  });

  it('link-gen with and without a gateway: the Link the real 2.20 CLI wrote (recorded under recorded/linkerd/edge-26.6.3); 2.13 refuses --gateway like the real CLI', () => {
    mkdirSync(join(dir, 'simulated', 'kube', 'kind-c1', 'lb'), { recursive: true });
    writeFileSync(join(dir, 'simulated', 'kube', 'kind-c1', 'lb', 'linkerd-multicluster.linkerd-gateway'), '172.18.255.201');
    const linkOf = (args: string[]) => {
      const r = linkerdOnSimulatedCluster('edge-26.6.3', [
        'multicluster',
        'link-gen',
        '--cluster-name',
        'c1',
        '--api-server-address',
        'https://192.0.2.9:6443',
        ...args,
      ]);
      expect(r.code, r.stderr).toBe(0);
      return parseManifestText(r.stdout).find((o) => o.kind === 'Link') as KubeObject & { spec: Record<string, unknown> };
    };
    const remoteDiscovery = { matchLabels: { 'mirror.linkerd.io/exported': 'remote-discovery' } };
    const federated = { matchLabels: { 'mirror.linkerd.io/federated': 'member' } };
    // Without a gateway: no gateway fields, an empty probe, and no `selector`: exported=true services are not mirrored.
    expect(linkOf(['--gateway=false']).spec).toEqual({
      clusterCredentialsSecret: 'cluster-credentials-c1',
      federatedServiceSelector: federated,
      probeSpec: {},
      remoteDiscoverySelector: remoteDiscovery,
      targetClusterDomain: 'cluster.local',
      targetClusterLinkerdNamespace: 'linkerd',
      targetClusterName: 'c1',
    });
    expect(linkOf([]).spec).toEqual({
      clusterCredentialsSecret: 'cluster-credentials-c1',
      federatedServiceSelector: federated,
      gatewayAddress: '172.18.255.201',
      gatewayIdentity: 'linkerd-gateway.linkerd-multicluster.serviceaccount.identity.linkerd.cluster.local',
      gatewayPort: '4143',
      probeSpec: { path: '/ready', period: '3s', port: '4191' },
      remoteDiscoverySelector: remoteDiscovery,
      selector: { matchLabels: { 'mirror.linkerd.io/exported': 'true' } },
      targetClusterDomain: 'cluster.local',
      targetClusterLinkerdNamespace: 'linkerd',
      targetClusterName: 'c1',
    });
    for (const run of [linkerd, linkerdOnSimulatedCluster]) {
      const refused = run('stable-2.13.3', ['multicluster', 'link', '--cluster-name', 'c1', '--gateway=false']);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr.split('\n').slice(0, 3)).toEqual([
        'Error: unknown flag: --gateway',
        'Usage:',
        '  linkerd multicluster link [flags]',
      ]);
    }
  });

  it('a version without recorded output is refused with the versions there are', () => {
    const r = linkerd('stable-2.14.10', ['install', '--crds', '--ignore-cluster']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no recorded output of linkerd stable-2\.14\.10 \(recorded: stable-2\.13\.3, edge-26\.6\.3, version-2\.20\)/);
    expect(
      execFileSync(LINKERD, ['version', '--client', '--short'], {
        encoding: 'utf8',
        env: { ...process.env, MESHSPEC_FAKE_LINKERD_VERSION: 'stable-2.14.10' },
      }).trim(),
    ).toBe('stable-2.14.10');
  });
});

describe('FAKE linkerd-smi CLI answers with the recorded output of the real CLI (linkerd-smi/v0.2.7)', () => {
  it('smi install: the recorded objects; another version is refused', () => {
    expect(render('stable-2.13.3', ['smi', 'install'])).toEqual(conformanceObjects('linkerd-smi/v0.2.7/install.yaml'));
    const env = {
      ...process.env,
      MESHSPEC_FAKE_CLUSTERS: 'kubeconfig',
      KUBECONFIG: join(dir, 'kubeconfig'),
      MESHSPEC_FAKE_LINKERD_SMI_VERSION: 'v0.2.6',
    };
    const r = spawnSync(LINKERD, ['--context', 'c1', 'smi', 'install'], { encoding: 'utf8', env });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no recorded output of linkerd-smi v0\.2\.6/);
  });
});
