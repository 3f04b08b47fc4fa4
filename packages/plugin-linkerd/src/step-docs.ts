// The kinds of step this plugin makes, for docs/plugins.md (generated) and PluginTester's check that
// every step it makes is documented.
import type { StepDoc } from '@meshspec/core/plugin';

export const STEP_DOCS: readonly StepDoc[] = [
  {
    id: 'linkerd:certs',
    does: 'Generates the trust anchor and issuer shared by all clusters (ECDSA P-256, in-process, keys 0600 in the state directory).',
  },
  { id: 'linkerd:gateway-api@<c>', does: 'Applies the pinned Gateway API CRDs (standard channel), Linkerd 2.18 and later, before `crds`.' },
  { id: 'linkerd:crds@<c>', does: "Applies Linkerd's CRDs (`linkerd install --crds`).", outputs: '`{ objects }` (how many were applied)' },
  {
    id: 'linkerd:control-plane@<c>',
    does: 'Installs the control plane with the shared identity and waits for its rollout.',
    outputs: '`{ mode, clusterNetworks }`',
  },
  { id: 'linkerd:viz@<c>', does: 'Installs the viz extension.' },
  { id: 'linkerd:multicluster@<c>', does: 'Installs the multicluster extension (gateway, service mirror).' },
  { id: 'linkerd:gateway@<c>', does: "Waits for the multicluster gateway's LoadBalancer address.", outputs: '`{ address }`' },
  {
    id: 'linkerd:link:<source>@<target>',
    does: "Links `<target>` to `<source>`: `<source>`'s exported services get mirrors in `<target>`. A flat link (pod-to-pod) passes `--gateway=false` and waits for no gateway.",
  },
  {
    id: 'linkerd:export:<ns>/<svc>@<c>',
    does: 'Labels the service for its export mode (`mirror.linkerd.io/exported=true` or `=remote-discovery`, or `mirror.linkerd.io/federated=member`), so linked clusters mirror it; destroy removes the label.',
  },
];
