// The linkerd CLI invocations, as argv arrays. Pure: the plan shows them with <placeholders>, run() with
// the discovered values, so what `meshspec plan` prints is exactly what `apply` runs.
import { applyPlanLine } from '@meshspec/core/plugin';
import type { LinkerdCapabilities } from './version.js';
import { helmList } from './mesh.js';

export interface IdentityFiles {
  trustAnchors: string;
  issuerCert: string;
  issuerKey: string;
}

/** `linkerd install --crds`; from 2.18 the Gateway API CRDs come only when asked for. */
export function crdsArgs(context: string, caps: LinkerdCapabilities, installGatewayApi: boolean): string[] {
  const gatewayApi = caps.installsGatewayApiCrds ? [] : ['--set', `installGatewayAPI=${installGatewayApi}`];
  return ['--context', context, 'install', '--crds', ...gatewayApi];
}

/** `linkerd install` (first time) or `linkerd upgrade` (control plane present) with the shared identity. */
export function controlPlaneArgs(context: string, mode: 'install' | 'upgrade', files: IdentityFiles, clusterNetworks: string[]): string[] {
  return [
    '--context',
    context,
    mode,
    '--identity-trust-anchors-file',
    files.trustAnchors,
    '--identity-issuer-certificate-file',
    files.issuerCert,
    '--identity-issuer-key-file',
    files.issuerKey,
    '--set',
    `clusterNetworks=${helmList(clusterNetworks)}`,
  ];
}

export function vizArgs(context: string): string[] {
  return ['--context', context, 'viz', 'install'];
}

/**
 * `linkerd multicluster install`. From 2.18 the chart runs one controller per link it receives, declared
 * in its `controllers` values (link-gen no longer emits them), so every source linked into this cluster
 * is listed here.
 */
export function multiclusterArgs(context: string, caps: LinkerdCapabilities, gateway: boolean, linkedSources: string[]): string[] {
  const controllers = caps.usesLinkGen ? linkedSources.flatMap((source, i) => ['--set', `controllers[${i}].link.ref.name=${source}`]) : [];
  return ['--context', context, 'multicluster', 'install', ...(gateway ? [] : ['--set', 'gateway.enabled=false']), ...controllers];
}

/**
 * Run against the SOURCE cluster: emits the Link (and credentials; before 2.18 also the service-mirror
 * controller) to apply in the target. `--api-server-address` puts an address the target can reach into
 * the credentials instead of the kubeconfig's (on kind: 127.0.0.1, useless from another cluster).
 */
export function linkArgs(
  sourceContext: string,
  source: string,
  caps: LinkerdCapabilities,
  gateway: boolean,
  apiServerAddress: string | undefined,
): string[] {
  return [
    '--context',
    sourceContext,
    'multicluster',
    caps.usesLinkGen ? 'link-gen' : 'link',
    '--cluster-name',
    source,
    ...(apiServerAddress ? ['--api-server-address', apiServerAddress] : []),
    ...(gateway ? [] : ['--gateway=false']),
  ];
}

/** Before 2.18 only: renders what `link` created in the target, for deletion. */
export function unlinkArgs(targetContext: string, source: string): string[] {
  return ['--context', targetContext, 'multicluster', 'unlink', '--cluster-name', source];
}

export const uninstallArgs = {
  controlPlane: (context: string) => ['--context', context, 'uninstall'],
  viz: (context: string) => ['--context', context, 'viz', 'uninstall'],
  multicluster: (context: string) => ['--context', context, 'multicluster', 'uninstall'],
};

export const versionArgs = ['version', '--client', '--short'];

/** One plan line for "render with the CLI, server-side apply through the kube client". */
export function applyLine(targetContext: string, cli: string, args: string[]): string {
  return applyPlanLine(targetContext, [cli, ...args].join(' '));
}
