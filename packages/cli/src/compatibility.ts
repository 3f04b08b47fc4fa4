// docs/compatibility.md, rendered from the plugins' pin tables so it cannot drift from them
// (compatibility.test.ts compares the file with this render).
import { NODE_IMAGE_PINS } from '@meshspec/plugin-kind';
import { EDGE_OF_RELEASE, GATEWAY_API_SUPPORT, KUBERNETES_SUPPORT, PLUGIN_LINKERD_PINS, type Pin } from '@meshspec/plugin-linkerd';
import { PLUGIN_METALLB_PINS } from '@meshspec/plugin-metallb';
import { PLUGIN_INGRESS_PINS } from '@meshspec/plugin-ingress';
import { PLUGIN_WORKLOADS_PINS } from '@meshspec/plugin-workloads';

/** What an example topology runs, read from its file. */
export interface ExampleStack {
  name: string;
  linkerd: string;
  nodeImage: string;
  gatewayApi: string;
  metallb: string;
  ingress: string;
  splits: string;
}

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: string[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

export function renderCompatibility(examples: readonly ExampleStack[]): string {
  const edgeOf = new Map(EDGE_OF_RELEASE.map((r) => [r.minor, `edge-${r.edge.join('.')}`]));
  const gatewayApiOf = (minor: number) => {
    const s = GATEWAY_API_SUPPORT.find((g) => minor >= g.linkerd[0] && minor <= g.linkerd[1]);
    return s ? `${s.min} – ${s.max}` : minor >= 14 ? 'installed by `linkerd install --crds`' : '—';
  };
  const imagesFor = (min: number, max: number) =>
    NODE_IMAGE_PINS.filter((p) => {
      const m = Number(p.kubernetes.split('.')[1]);
      return m >= min && m <= max;
    })
      .map((p) => `${p.image.split('@')[0]!.replace('kindest/node:', '')} (kind ${p.kind})`)
      .join(', ') || 'none pinned';
  const linkerdRows = KUBERNETES_SUPPORT.filter((r) => r.linkerd >= 13).map((r) => [
    `2.${r.linkerd}`,
    r.linkerd >= 16 ? (edgeOf.get(r.linkerd) ?? '') : r.linkerd === 13 ? 'stable-2.13.x' : (edgeOf.get(r.linkerd) ?? '') + ' (approx.)',
    `1.${r.min} – 1.${r.max}`,
    r.linkerd >= 18 ? gatewayApiOf(r.linkerd) : r.linkerd >= 14 ? 'installed by `linkerd install --crds`' : 'not used',
    imagesFor(r.min, r.max),
  ]);
  const pins = [
    ...PLUGIN_LINKERD_PINS.map((p) => ['linkerd', p] as const),
    ...NODE_IMAGE_PINS.map(
      (p) => ['kind', { what: `kindest/node ${p.kubernetes}`, version: p.image, source: p.source } satisfies Pin] as const,
    ),
    ...PLUGIN_METALLB_PINS.map((p) => ['metallb', p] as const),
    ...PLUGIN_INGRESS_PINS.map((p) => ['ingress', p] as const),
    ...PLUGIN_WORKLOADS_PINS.map((p) => ['workloads', p] as const),
  ];
  return [
    '# Compatibility',
    '',
    "<!-- Generated from the plugins' pin tables (packages/*/src/pins.ts, plugin-linkerd/src/kubernetes-support.ts) and the",
    '     example topologies; packages/cli/src/compatibility.test.ts fails when this file differs. Regenerate with',
    '     `scripts/pnpm vitest run --project unit packages/cli/src/compatibility.test.ts -u`. -->',
    '',
    '## Linkerd × Kubernetes × Gateway API × kind',
    '',
    "`meshspec validate` rejects a kind node image whose Kubernetes is outside the Linkerd release's range, and a Gateway API",
    'version the release does not support. kind supports a node image only with the kind release that built it, by digest.',
    '',
    table(['Linkerd', 'release', 'Kubernetes', 'Gateway API (standard channel)', 'kind node images meshspec pins'], linkerdRows),
    '',
    "Kubernetes ranges: https://linkerd.io/2/reference/k8s-versions (2.20: Linkerd's docs as recorded in `../shared/conformance/README.md`).",
    'Gateway API: https://linkerd.io/2/features/gateway-api. Linkerd 2.14–2.17 install the Gateway API CRDs themselves; from 2.18',
    'meshspec applies the pinned standard channel as its own step (`linkerd:gateway-api@<cluster>`).',
    '',
    '## The examples',
    '',
    table(
      ['example', 'Linkerd', 'Kubernetes (node image)', 'Gateway API CRDs', 'MetalLB', 'ingress', 'splits'],
      examples.map((e) => [e.name, e.linkerd, e.nodeImage, e.gatewayApi, e.metallb, e.ingress, e.splits]),
    ),
    '',
    '## Every pin and its source',
    '',
    table(
      ['plugin', 'what', 'version', 'source'],
      pins.map(([plugin, p]) => [plugin, p.what, `\`${p.version}\``, p.source]),
    ),
    '',
  ].join('\n');
}
