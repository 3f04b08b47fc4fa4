// The Gateway API CRDs as their own step per cluster, before `linkerd install --crds`: from 2.18 on
// Linkerd refuses to install its CRDs unless the Gateway API CRDs exist. meshspec applies the pinned
// standard channel (not the experimental CRDs that `installGatewayAPI=true` bundles), server-side,
// from a URL (the release asset by default) or a file, and checks it is the version and channel asked for.
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { applyPlanLine, parseManifestText, StepError, stepId, type KubeObject, type Step, type StepContext } from '@meshspec/core/plugin';
import { gatewayApiStandardUrl } from './pins.js';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
const BUNDLE_VERSION = `${GATEWAY_API_GROUP}/bundle-version`;
const CHANNEL = `${GATEWAY_API_GROUP}/channel`;
/** Present in every Gateway API release; the step's "already done?" check reads its bundle version. */
export const HTTPROUTE_CRD = `httproutes.${GATEWAY_API_GROUP}`;
const FETCH_TIMEOUT_MS = 60_000;

export const gatewayApiStepId = (cluster: string) => stepId('linkerd', 'gateway-api', cluster);

export interface GatewayApiSource {
  version: string;
  /** A URL (http/https) or an absolute file path. */
  location: string;
}

/** Where the CRDs come from: the manifest as given (a relative path from the topology's folder), else the release asset. */
export function gatewayApiSource(gatewayApi: { version: string; manifest?: string }, topologyDir: string): GatewayApiSource {
  const manifest = gatewayApi.manifest;
  if (manifest === undefined) return { version: gatewayApi.version, location: gatewayApiStandardUrl(gatewayApi.version) };
  const isUrl = /^https?:\/\//.test(manifest);
  return { version: gatewayApi.version, location: isUrl || isAbsolute(manifest) ? manifest : resolve(topologyDir, manifest) };
}

export async function readGatewayApiManifest(source: GatewayApiSource, signal?: AbortSignal): Promise<string> {
  if (!/^https?:\/\//.test(source.location)) return readFile(source.location, 'utf8');
  const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  const response = await fetch(source.location, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout, redirect: 'follow' });
  if (!response.ok) throw new Error(`GET ${source.location}: HTTP ${response.status}`);
  return response.text();
}

/**
 * The CRDs of the manifest, refusing anything that is not the standard channel of the expected version
 * (a wrong file would otherwise install silently and break Linkerd's version check later).
 */
export function gatewayApiCrdsOf(text: string, version: string, where: string): KubeObject[] {
  const objects = parseManifestText(text);
  const crds = objects.filter(
    (o) => o.kind === 'CustomResourceDefinition' && (o['spec'] as { group?: string } | undefined)?.group === GATEWAY_API_GROUP,
  );
  if (crds.length === 0) throw new Error(`${where} holds no Gateway API CustomResourceDefinitions`);
  for (const crd of crds) {
    const annotations = crd.metadata.annotations ?? {};
    if (annotations[BUNDLE_VERSION] !== version || annotations[CHANNEL] !== 'standard') {
      throw new Error(
        `${where}: ${crd.metadata.name} is Gateway API ${annotations[BUNDLE_VERSION] ?? '(no version)'} ${annotations[CHANNEL] ?? '(no channel)'} channel, not ${version} standard`,
      );
    }
  }
  // Only the CRDs: anything else a release file carries (admission policies in some releases) is not
  // what Linkerd needs, and not ours to apply.
  return crds;
}

export function gatewayApiStep(cluster: string, context: string, source: GatewayApiSource, clusterSteps: string[]): Step {
  const id = gatewayApiStepId(cluster);
  return {
    id,
    title: `Gateway API ${source.version} CRDs (standard channel) in ${cluster}`,
    resource: 'api',
    estimateSeconds: 5,
    cluster,
    after: clusterSteps,
    plan: [applyPlanLine(context, `Gateway API ${source.version} standard-channel CRDs from ${source.location}`)],
    inputs: { source },
    async run(run: StepContext) {
      let crds: KubeObject[];
      try {
        crds = gatewayApiCrdsOf(await readGatewayApiManifest(source, run.signal), source.version, source.location);
      } catch (e) {
        throw new StepError(
          id,
          `cannot use the Gateway API CRDs: ${(e as Error).message}; set linkerd.gatewayApi.manifest to the standard-install.yaml of ${source.version} (a URL or a file)`,
          { cluster, cause: e },
        );
      }
      // The kube client waits for each CRD to be Established before it returns.
      await run.kube(cluster).apply(crds, { signal: run.signal });
      return { version: source.version, crds: crds.map((c) => c.metadata.name) };
    },
    async status(run: StepContext) {
      const crd = await run.kube(cluster).get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', HTTPROUTE_CRD);
      return crd?.metadata.annotations?.[BUNDLE_VERSION] === source.version;
    },
    // No destroy: deleting the Gateway API CRDs deletes every route of every tool in the cluster.
  };
}
