// The real upstream data for conformance tests (../shared/conformance, see its README): where it is, the
// files it promises, and their objects. Missing data is an error that says so, never a skip.
import { parseManifestText } from '../../packages/core/src/kube/manifests.js';
import type { KubeObject } from '../../packages/core/src/kube/types.js';
import { conformanceDir, listedFiles, readConformanceText } from './locate.mjs';

export { CONFORMANCE_ENV, ConformanceDataError, conformanceDir, listedFiles, readConformanceText } from './locate.mjs';

/** Absolute path of one file of the data (checked to exist: ConformanceDataError otherwise), for topologies that name it. */
export function conformancePath(relPath: string, env: NodeJS.ProcessEnv = process.env): string {
  readConformanceText(relPath, env);
  return `${conformanceDir(env)}/${relPath}`;
}

/** Every `folder/file` the data's README names; each must exist (else ConformanceDataError). */
export function conformanceFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const files = listedFiles(readConformanceText('README.md', env));
  for (const file of files) readConformanceText(file, env);
  return files;
}

/** The Kubernetes objects of one listed YAML file, in file order. */
export function conformanceObjects(relPath: string, env: NodeJS.ProcessEnv = process.env): KubeObject[] {
  return parseManifestText(readConformanceText(relPath, env), `${conformanceDir(env)}/${relPath}`);
}

/** The CustomResourceDefinitions of a file (some files mix them with other objects). */
export function conformanceCrds(relPath: string, env: NodeJS.ProcessEnv = process.env): KubeObject[] {
  return conformanceObjects(relPath, env).filter((o) => o.kind === 'CustomResourceDefinition');
}

/** Paths of the data the tests use, named once. */
export const CONFORMANCE = {
  metallbCrds: (version: 'v0.14.9' | 'v0.16.1') => `metallb/${version}/crds.yaml`,
  gatewayApiCrds: (version: 'v1.2.1' | 'v1.5.1') => `gateway-api/${version}/standard-crds.yaml`,
  smiTrafficSplitCrd: 'linkerd-smi/v0.2.7/trafficsplit-crd.yaml',
  linkerd: (folder: 'stable-2.13.3' | 'edge-26.6.3', file: string) => `linkerd/${folder}/${file}`,
  podinfo: (version: '6.7.1' | '6.14.1') => `podinfo/${version}/kustomize.yaml`,
} as const;
