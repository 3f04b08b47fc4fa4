// The time-to-mesh bench's timing model: how long each kind of step takes on a real machine (the
// durations issue 11 measured with; the same numbers the plugins declare as `estimateSeconds`), and the
// fake-toolchain call that carries that time (MESHSPEC_FAKE_SLEEP). Steps that only talk to the API
// server in-process (pools, exports, splits, routes, the demo app, the gateway address, certificates)
// run no command and are modelled as 0 s: their cost is whatever the in-process simulation takes.

/** kind of step (`plugin:kind` of its id) → seconds, and the command glob that sleeps for it. */
export const MODEL = [
  { kind: 'kind:network', seconds: 1, command: 'docker network create *' },
  { kind: 'kind:cluster', seconds: 35, command: 'kind create cluster *' },
  { kind: 'metallb:install', seconds: 45, command: 'helm upgrade --install metallb *' },
  { kind: 'ingress:controller', seconds: 60, command: 'helm upgrade --install ingress-nginx *' },
  { kind: 'linkerd:crds', seconds: 5, command: 'linkerd --context * install --crds*' },
  { kind: 'linkerd:control-plane', seconds: 90, command: 'linkerd --context * install --identity-trust-anchors-file *' },
  { kind: 'linkerd:viz', seconds: 60, command: 'linkerd --context * viz install*' },
  { kind: 'linkerd:multicluster', seconds: 40, command: 'linkerd --context * multicluster install*' },
  { kind: 'linkerd:link', seconds: 5, command: 'linkerd --context * multicluster link *' },
  { kind: 'smi:install', seconds: 20, command: 'linkerd smi install *' },
];

/** `linkerd:link:west@east` → `linkerd:link`. */
export const kindOf = (id) => id.split('@')[0].split(':').slice(0, 2).join(':');

const byKind = new Map(MODEL.map((m) => [m.kind, m]));

/** Modelled milliseconds of a planned step at `scale` (e.g. 1/50). */
export const modelMs = (node, scale) => Math.round((byKind.get(kindOf(node.id))?.seconds ?? 0) * 1000 * scale);

/** MESHSPEC_FAKE_SLEEP rules for `scale`. */
export const sleepRules = (scale) => MODEL.map((m) => `${m.command}=${Math.round(m.seconds * 1000 * scale)}`);

/** The model must use the plugins' own estimates ("the same durations"): every disagreement, for the bench to refuse. */
export function disagreements(plan) {
  const out = [];
  for (const node of plan.steps) {
    const m = byKind.get(kindOf(node.id));
    if (m && node.step.estimateSeconds !== m.seconds)
      out.push(`${node.id}: plugin estimate ${node.step.estimateSeconds} s, model ${m.seconds} s`);
  }
  return out;
}
