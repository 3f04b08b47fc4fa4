// The fake charts' workloads run the images the real charts run: each pod spec's containers (and tolerations) are taken
// from the real chart render in ../shared/conformance (`helm template` at the same chart version), so the
// image-pull model counts real image references, never invented ones.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '../../conformance/locate.mjs';
import { fail, YAML } from './common.mjs';

const RECORDED_TEMPLATE = {
  metallb: (version) => join('metallb', `v${version}`, 'helm-template.yaml'),
  'ingress-nginx': (version) => join('ingress-nginx', version, 'helm-template.yaml'),
};
const WORKLOADS = new Set(['Deployment', 'DaemonSet', 'StatefulSet']);

/** `objects` with each workload's containers (and initContainers) replaced by the real chart's, matched by kind and name. */
export function withRecordedImages(objects, chartName, version) {
  const relative = RECORDED_TEMPLATE[chartName]?.(version);
  if (!relative) return objects;
  // Missing data fails the call with the instructions (exit 2, like the recorded linkerd output).
  let dir;
  try {
    dir = conformanceDir();
  } catch (e) {
    fail(e.message, 2);
  }
  const file = join(dir, relative);
  if (!existsSync(file)) return objects; // a chart version with no recorded render keeps its placeholder images
  const recorded = YAML.parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS())
    .filter((o) => o && WORKLOADS.has(o.kind));
  return objects.map((o) => {
    if (!WORKLOADS.has(o.kind)) return o;
    const real = recorded.find((r) => r.kind === o.kind && r.metadata?.name === o.metadata.name);
    if (!real) return o;
    // Tolerations too: they decide which kind nodes run the pods (MetalLB's speaker runs on the control plane).
    const { containers, initContainers, tolerations } = real.spec.template.spec;
    const pod = {
      ...o.spec.template.spec,
      containers,
      ...(initContainers ? { initContainers } : {}),
      ...(tolerations ? { tolerations } : {}),
    };
    return { ...o, spec: { ...o.spec, template: { ...o.spec.template, spec: pod } } };
  });
}
