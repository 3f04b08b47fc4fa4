// The fake `linkerd` CLI's renders, taken from what the real CLI printed (../shared/conformance/linkerd/
// <version>/, see its README): `install --crds`, `install`/`upgrade`, `viz install`, `multicluster install`
// and their `uninstall` counterparts answer with those recorded objects, so everything downstream (server-
// side apply, waits, kwok rollouts, status, destroy) meets Linkerd's real Deployments, Services, webhooks,
// RBAC and CRDs. What the fake changes, it changes the way the CLI would:
// - the identity: the recorded anchor/issuer are replaced by the files given on the command line, encoded
//   as the CLI encodes them (anchors verbatim; the issuer certificate re-encoded, the key as SEC1 "EC
//   PRIVATE KEY"), everywhere the render carries them (ConfigMaps, the issuer Secret, the overrides Secret);
// - the `--set` values meshspec passes (clusterNetworks, installGatewayAPI, gateway.enabled,
//   controllers[N].link.ref.name); any other `--set` is refused, never ignored;
// - against a real cluster (MESHSPEC_FAKE_CLUSTERS=kubeconfig, without --ignore-cluster) the refusals the real
//   CLI makes before rendering: `install`/`upgrade` without Linkerd's CRDs or without any EndpointSlice
//   (2.13 and 2.20 alike), 2.18+ `install --crds` without the Gateway API CRDs (messages from linkerd2's cli/cmd at the tags). The cluster is read with the machine's kubectl.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConformanceDataError, readConformanceText } from '../../conformance/locate.mjs';
import { fail, flag, flags, hasFlag, YAML } from './common.mjs';

const FAKE_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'bin');

/** Versions the fake can answer as, and the folder of the real CLI's output it answers with. */
export const RECORDED_VERSIONS = {
  'stable-2.13.3': { folder: 'stable-2.13.3', minor: 13 },
  'edge-26.6.3': { folder: 'edge-26.6.3', minor: 20 },
  'version-2.20': { folder: 'edge-26.6.3', minor: 20 },
};

export function recordedRelease(version) {
  const release = RECORDED_VERSIONS[version];
  if (!release) {
    fail(
      `fake linkerd: there is no recorded output of linkerd ${version} (recorded: ${Object.keys(RECORDED_VERSIONS).join(', ')}); set MESHSPEC_FAKE_LINKERD_VERSION to one of them`,
      2,
    );
  }
  return release;
}

/** The objects of one recorded file, in the CLI's order. */
export function recordedObjects(folder, file) {
  let text;
  try {
    text = readConformanceText(`linkerd/${folder}/${file}`);
  } catch (e) {
    if (e instanceof ConformanceDataError) fail(`fake linkerd: ${e.message}`, 2);
    throw e;
  }
  return YAML.parseAllDocuments(text)
    .map((d) => d.toJS())
    .filter((o) => o !== null && o !== undefined);
}

// ---------------------------------------------------------------------------------------------------
// --set values, parsed like Helm's strvals: `a=1,b=2` in one flag, `\,` for a literal comma.

export function parseSets(argv) {
  const out = [];
  for (const raw of flags(argv, '--set')) {
    for (const part of raw.split(/(?<!\\),/)) {
      const eq = part.indexOf('=');
      if (eq <= 0) fail(`Error: failed parsing --set data: key "${part}" has no value`);
      const key = part.slice(0, eq);
      const text = part.slice(eq + 1).replace(/\\,/g, ',');
      out.push({ key, value: text === 'true' ? true : text === 'false' ? false : text, raw: part });
    }
  }
  return out;
}

function refuseUnknownSets(sets, known, what) {
  for (const s of sets) {
    if (!known.some((k) => (k instanceof RegExp ? k.test(s.key) : k === s.key))) {
      fail(
        `fake linkerd: cannot honour --set ${s.raw} for \`${what}\`: the recorded output of the real CLI has no render for it (supported: ${known.length ? known.map(String).join(', ') : 'none'})`,
        2,
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// The real cluster, as the CLI would look at it (kubeconfig mode only).

const kubeconfigMode = () => process.env.MESHSPEC_FAKE_CLUSTERS === 'kubeconfig';
const checksCluster = (argv) => kubeconfigMode() && !hasFlag(argv, '--ignore-cluster');

/** The machine's kubectl: the first on PATH that is not the fake toolchain's. */
function machineKubectl() {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || resolve(dir) === FAKE_BIN) continue;
    const candidate = join(dir, 'kubectl');
    if (existsSync(candidate)) return candidate;
  }
  fail('fake linkerd: kubeconfig mode reads the cluster with kubectl, and there is none on PATH', 2);
}

function kubectl(argv, args) {
  const kubeconfig = flag(argv, '--kubeconfig') ?? process.env.KUBECONFIG;
  const context = flag(argv, '--context');
  const full = [...(kubeconfig ? ['--kubeconfig', kubeconfig] : []), ...(context ? ['--context', context] : []), ...args];
  const r = spawnSync(machineKubectl(), full, { encoding: 'utf8', timeout: 60_000 });
  if (r.error || r.status !== 0) fail(`Error: ${(r.stderr || r.error?.message || '').trim() || `kubectl ${args.join(' ')} failed`}`);
  return r.stdout;
}

const USAGE = {
  install:
    'Usage:\n  linkerd install [flags]\n\nFlags:\n      --crds   Install Linkerd CRDs\n      --ignore-cluster   Ignore the current Kubernetes cluster when checking for existing cluster configuration (default false)\n',
};

/**
 * pkg/healthcheck CheckCustomResourceDefinitions (both tags), run by `install` and `upgrade` before they
 * render the control plane: every CRD of `install --crds` (without Gateway API) with its last version.
 * `install` prints its own line, `upgrade` adds the list; both exit 1 (seen with the real CLIs).
 */
function requireLinkerdCrds(argv, folder, mode) {
  const list = JSON.parse(kubectl(argv, ['get', 'customresourcedefinitions.apiextensions.k8s.io', '-o', 'json']));
  const served = new Map(list.items.map((c) => [c.metadata?.name, (c.spec?.versions ?? []).map((v) => v.name)]));
  const problems = [];
  for (const crd of recordedObjects(folder, 'install-crds.yaml')) {
    const versions = crd.spec?.versions ?? [];
    if (versions.length === 0) continue;
    const last = versions[versions.length - 1].name;
    if (!served.has(crd.metadata.name)) problems.push(`missing ${crd.metadata.name}`);
    else if (!served.get(crd.metadata.name).includes(last)) problems.push(`CRD ${crd.metadata.name} is missing version ${last}`);
  }
  if (problems.length === 0) return;
  if (mode === 'install') fail('Linkerd CRDs must be installed first. Run linkerd install with the --crds flag.');
  fail(`Linkerd CRDs must be installed first. Run linkerd upgrade with the --crds flag:\n${problems.join(', ')}`);
}

/** pkg/k8s/authz.go EndpointSliceAccess (stable-2.13.3 and version-2.20): some EndpointSlice must exist, in any namespace. */
function requireEndpointSlices(argv) {
  const names = kubectl(argv, ['get', 'endpointslices.discovery.k8s.io', '--all-namespaces', '-o', 'name']).trim();
  if (names === '') fail(`Error: no EndpointSlice resources exist in the cluster\n${USAGE.install}`);
}

/**
 * version-2.20 cli/cmd/install.go checkGatewayAPICRDs + validateFinalValues: whether the Gateway API CRDs
 * are there (and whose), and whether `installGatewayAPI` fits. Returns the value the render uses.
 */
function gatewayApiDecision(argv, requested) {
  const list = JSON.parse(kubectl(argv, ['get', 'customresourcedefinitions.apiextensions.k8s.io', '-o', 'json']));
  let installed = 'absent';
  for (const name of ['httproutes.gateway.networking.k8s.io', 'grpcroutes.gateway.networking.k8s.io']) {
    const crd = list.items.find((c) => c.metadata?.name === name);
    if (!crd) continue;
    if (crd.metadata.annotations?.['linkerd.io/created-by']) {
      installed = 'linkerd';
      break;
    }
    installed = 'external';
    if (!(crd.spec?.versions ?? []).some((v) => v.name === 'v1'))
      fail(`the ${name} CRD is missing the v1 version, please upgrade to Gateway API v1.1.1 or later`);
  }
  const installing = requested ?? installed === 'linkerd';
  if (installed === 'absent' && !installing) {
    fail(`The Gateway API CRDs must be installed prior to installing Linkerd. Run:

kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.2.1/standard-install.yaml

or see https://gateway-api.sigs.k8s.io/guides/#installing-gateway-api for more options.`);
  }
  if (installed === 'linkerd' && !installing) fail('Linkerd is providing GW API, but your current install configuration will remove it');
  if (installed === 'external' && installing)
    fail(
      'Linkerd cannot install the Gateway API CRDs because they are already installed by an external source. Please set `installGatewayAPI` to `false`.',
    );
  return installing;
}

// ---------------------------------------------------------------------------------------------------
// Renders.

/** `linkerd install --crds`: 2.18+ adds the (experimental, v1.1.1) Gateway API CRDs with installGatewayAPI=true. */
export function renderCrds(argv, version) {
  const release = recordedRelease(version);
  const sets = parseSets(argv);
  refuseUnknownSets(sets, release.minor >= 18 ? ['installGatewayAPI'] : [], 'install --crds');
  const requested = sets.findLast((s) => s.key === 'installGatewayAPI')?.value;
  if (requested !== undefined && typeof requested !== 'boolean')
    fail(`fake linkerd: installGatewayAPI must be true or false, got ${requested}`, 2);
  const withGatewayApi = release.minor >= 18 && checksCluster(argv) ? gatewayApiDecision(argv, requested) : requested === true;
  const objects = recordedObjects(release.folder, withGatewayApi ? 'install-crds-with-gateway-api.yaml' : 'install-crds.yaml');
  process.stderr.write('Rendering Linkerd CRDs...\nNext, run `linkerd install | kubectl apply -f -` to install the control plane.\n\n');
  return objects;
}

const PEM_BLOCK = /^([ \t]*)-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)^[ \t]*-----END \2-----/gm;
const pemBody = (pem) => pem.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '').replace(/\s+/g, '');

/** Replaces each PEM block of `text` whose body is a key of `byBody` with its value, at the block's indentation. */
export function replacePemBlocks(text, byBody) {
  return text.replace(PEM_BLOCK, (block, indent) => {
    const replacement = byBody.get(pemBody(block));
    return replacement === undefined
      ? block
      : replacement
          .trim()
          .split('\n')
          .map((l) => `${indent}${l}`)
          .join('\n');
  });
}

/** Applies `fn` to every string in `value` (deeply), and to the decoded text of a Secret's data. */
function mapStrings(value, fn, path = '') {
  if (typeof value === 'string') return fn(value, path);
  if (Array.isArray(value)) return value.map((v, i) => mapStrings(v, fn, `${path}[${i}]`));
  if (value && typeof value === 'object') {
    const isSecret = value.kind === 'Secret' && value.apiVersion === 'v1';
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (isSecret && k === 'data' && v && typeof v === 'object') {
          return [
            k,
            Object.fromEntries(
              Object.entries(v).map(([dk, dv]) => [
                dk,
                Buffer.from(fn(Buffer.from(dv, 'base64').toString('utf8'), `${path}.data.${dk}`), 'utf8').toString('base64'),
              ]),
            ),
          ];
        }
        return [k, mapStrings(v, fn, path ? `${path}.${k}` : k)];
      }),
    );
  }
  return value;
}

const sha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');

const decodeSecret = (objects, name, key) => {
  const secret = objects.find((o) => o.kind === 'Secret' && o.metadata?.name === name);
  const data = secret?.data?.[key];
  if (!data) fail(`fake linkerd: the recorded render has no ${key} in Secret ${name}`, 2);
  return Buffer.from(data, 'base64').toString('utf8');
};

function opensslPem(args, what) {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) fail(`Error: failed to read ${what}: ${(r.stderr || r.error?.message || '').trim()}`);
  return r.stdout;
}

/**
 * `linkerd install|upgrade` with the identity files meshspec writes. The caller validated the files (as
 * the CLI's issuer check does); here they replace the recorded identity, encoded as the CLI encodes them.
 */
export function renderControlPlane(argv, version, files) {
  const release = recordedRelease(version);
  const sets = parseSets(argv);
  refuseUnknownSets(sets, ['clusterNetworks'], 'install');
  if (checksCluster(argv)) {
    const upgrade = argv.includes('upgrade');
    // 2.18+ `upgrade` renders the CRDs against the cluster first, so the Gateway API check comes before all else.
    if (upgrade && release.minor >= 18) gatewayApiDecision(argv, undefined);
    // Then the CRDs, then (validating the values) the EndpointSlices.
    requireLinkerdCrds(argv, release.folder, upgrade ? 'upgrade' : 'install');
    requireEndpointSlices(argv);
  }
  const objects = recordedObjects(release.folder, 'install-control-plane.yaml');

  const recordedAnchor = readConformanceText(`linkerd/${release.folder}/test-trust-anchor.crt`);
  const recordedCrt = decodeSecret(objects, 'linkerd-identity-issuer', 'crt.pem');
  const recordedKey = decodeSecret(objects, 'linkerd-identity-issuer', 'key.pem');
  // As cli/cmd/options.go does: anchors verbatim, the issuer certificate parsed and re-encoded (the first
  // one in the file), the key parsed and re-encoded as SEC1 "EC PRIVATE KEY".
  const byBody = new Map([
    [pemBody(recordedAnchor), files.anchors],
    [pemBody(recordedCrt), opensslPem(['x509', '-in', files.issuerCrtFile], 'the issuer certificate')],
    [pemBody(recordedKey), opensslPem(['ec', '-in', files.issuerKeyFile], 'the issuer key')],
  ]);

  // The chart stamps `linkerd.io/trust-root-sha256` (sha256 of the anchors as given) on the control plane's pods.
  const recordedAnchorSha = sha256(recordedAnchor);
  if (!JSON.stringify(objects).includes(recordedAnchorSha))
    fail('fake linkerd: the recorded render carries no trust-root-sha256 of the recorded anchor', 2);
  const anchorSha = sha256(files.anchors);

  const networks = sets.findLast((s) => s.key === 'clusterNetworks')?.value;
  const recordedNetworks = /^clusterNetworks: (.+)$/m.exec(
    objects.find((o) => o.kind === 'ConfigMap' && o.metadata?.name === 'linkerd-config')?.data?.values ?? '',
  )?.[1];
  if (networks !== undefined && !recordedNetworks)
    fail('fake linkerd: the recorded linkerd-config carries no clusterNetworks to replace', 2);

  const rendered = objects.map((o) => {
    let out = mapStrings(o, (s) => {
      let t = s.includes('-----BEGIN') ? replacePemBlocks(s, byBody) : s === recordedAnchorSha ? anchorSha : s;
      if (networks !== undefined) t = t.split(recordedNetworks).join(String(networks));
      return t;
    });
    // The overrides Secret holds the values that differ from the chart's defaults, keys sorted (Go's yaml).
    if (networks !== undefined && out.kind === 'Secret' && out.metadata?.name === 'linkerd-config-overrides') {
      const text = Buffer.from(out.data['linkerd-config-overrides'], 'base64').toString('utf8');
      out = {
        ...out,
        data: { ...out.data, 'linkerd-config-overrides': Buffer.from(`clusterNetworks: ${networks}\n${text}`, 'utf8').toString('base64') },
      };
    }
    return out;
  });

  // Honesty check: nothing of the recorded identity may survive (it would be a foreign trust anchor in the cluster).
  mapStrings(rendered, (s, path) => {
    for (const [body] of byBody)
      if (body.length > 0 && s.replace(/\s+/g, '').includes(body))
        fail(`fake linkerd: the recorded identity is still in the render at ${path}`, 70);
    return s;
  });
  return rendered;
}

export function renderViz(version) {
  return recordedObjects(recordedRelease(version).folder, 'viz-install.yaml');
}

/** The chart's gateway.yaml and gateway-policy.yaml, rendered only with gateway.enabled (default true). */
const isGatewayObject = (o) =>
  (['Deployment', 'Service', 'ServiceAccount', 'PodDisruptionBudget', 'Server', 'AuthorizationPolicy'].includes(o.kind) &&
    o.metadata?.name === 'linkerd-gateway') ||
  (o.kind === 'MeshTLSAuthentication' && o.metadata?.name === 'any-meshed') ||
  (o.kind === 'NetworkAuthentication' && o.metadata?.name === 'source-cluster');

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * `linkerd multicluster install`. For 2.18+ each `controllers[N].link.ref.name=<source>` adds that link's
 * controller objects: the recorded `controllers[0].link.ref.name=west` render's extra objects, renamed.
 */
export function renderMulticluster(argv, version) {
  const release = recordedRelease(version);
  const sets = parseSets(argv);
  const controllerKey = /^controllers\[(\d+)\]\.link\.ref\.name$/;
  refuseUnknownSets(sets, release.minor >= 18 ? ['gateway.enabled', controllerKey] : ['gateway.enabled'], 'multicluster install');
  const gateway = sets.findLast((s) => s.key === 'gateway.enabled')?.value ?? true;
  if (typeof gateway !== 'boolean') fail(`fake linkerd: gateway.enabled must be true or false, got ${gateway}`, 2);

  const controllers = [];
  for (const s of sets) {
    const m = controllerKey.exec(s.key);
    if (!m) continue;
    if (typeof s.value !== 'string' || !DNS_LABEL.test(s.value)) fail(`fake linkerd: --set ${s.raw}: a link name must be a DNS label`, 2);
    controllers[Number(m[1])] = s.value;
  }
  if (controllers.some((c) => c === undefined) || controllers.length !== controllers.filter(Boolean).length)
    fail('fake linkerd: controllers[] must be given without gaps, from index 0', 2);

  const base = recordedObjects(release.folder, 'multicluster-install.yaml').filter((o) => gateway || !isGatewayObject(o));
  if (controllers.length === 0) return base;
  const key = (o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
  const baseKeys = new Set(recordedObjects(release.folder, 'multicluster-install.yaml').map(key));
  const perController = recordedObjects(release.folder, 'multicluster-install-controller-west.yaml').filter((o) => !baseKeys.has(key(o)));
  if (perController.length === 0) fail('fake linkerd: the recorded controller render adds no objects', 2);
  return [...base, ...controllers.flatMap((name) => perController.map((o) => JSON.parse(JSON.stringify(o).replace(/\bwest\b/g, name))))];
}

/** The recorded control plane as the CLI printed it (for `uninstall`, which only names objects). */
export function recordedControlPlane(version) {
  return recordedObjects(recordedRelease(version).folder, 'install-control-plane.yaml');
}

/** `linkerd smi install` (linkerd-smi's own CLI): the recorded v0.2.7 render (namespace, adaptor, RBAC, TrafficSplit CRD). */
export function renderSmi(smiVersion) {
  if (smiVersion !== 'v0.2.7') fail(`fake linkerd-smi: there is no recorded output of linkerd-smi ${smiVersion} (recorded: v0.2.7)`, 2);
  let text;
  try {
    text = readConformanceText(`linkerd-smi/${smiVersion}/install.yaml`);
  } catch (e) {
    if (e instanceof ConformanceDataError) fail(`fake linkerd-smi: ${e.message}`, 2);
    throw e;
  }
  return YAML.parseAllDocuments(text)
    .map((d) => d.toJS())
    .filter((o) => o !== null && o !== undefined);
}
