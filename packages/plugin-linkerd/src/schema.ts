// The `linkerd` section of a topology: its JSON Schema is the one definition; the TypeScript types and the
// defaults come from it.
import {
  applySchemaDefaults,
  K8S_NAMESPACE,
  K8S_SERVICE_NAME,
  type FromSchema,
  type JsonSchema,
  type ResolvedFromSchema,
} from '@meshspec/core/plugin';
import { GATEWAY_API_PIN, LINKERD_PIN } from './pins.js';
import { VERSION_PATTERN } from './version.js';

/**
 * Linkerd 2.20, what a user starting today gets (the seed example names its stable-2.13.3). Kept in step
 * with plugin-kind's default node image (Kubernetes 1.35, inside 2.20's 1.31-1.35).
 */
export const DEFAULT_VERSION = LINKERD_PIN.version;
export const DEFAULT_GATEWAY_API_VERSION = GATEWAY_API_PIN.version;
/** Trust anchor: 10 years, like `step certificate create --profile root-ca`. */
export const DEFAULT_TRUST_ANCHOR_VALIDITY = '87600h';
/** Issuer: one year, as in the seed procedure (`--not-after 8760h`). */
export const DEFAULT_ISSUER_VALIDITY = '8760h';
/** Re-issue the issuer (and warn in status) when it expires within this window. */
export const DEFAULT_ISSUER_RENEW_BEFORE = '720h';

/**
 * How a link reaches the cluster it mirrors: `gateway` (hierarchical: through the source's multicluster
 * gateway, a LoadBalancer) or `flat` (pod-to-pod, `--gateway=false`, Linkerd 2.14+; pods of both
 * clusters must reach each other).
 */
export type LinkMode = 'gateway' | 'flat';
export const LINK_MODES: readonly LinkMode[] = ['gateway', 'flat'];

/**
 * How a service is exported: `mirror` (`mirror.linkerd.io/exported=true`, mirrored by gateway links),
 * `remote-discovery` (`exported=remote-discovery`: mirrored by every link, traffic goes pod-to-pod, 2.14+)
 * or `federated` (`mirror.linkerd.io/federated=member`: one `<service>-federated` in each linked cluster
 * that balances over every member, 2.17+).
 */
export type ExportMode = 'mirror' | 'remote-discovery' | 'federated';
export const EXPORT_MODES: readonly ExportMode[] = ['mirror', 'remote-discovery', 'federated'];

const DURATION_PATTERN = '^[0-9]+(s|m|h|d)$';
const duration = <D extends string>(description: string, dflt: D) =>
  ({ type: 'string', pattern: DURATION_PATTERN, default: dflt, description }) as const satisfies JsonSchema;
const clusterName = { type: 'string', minLength: 1, description: 'A cluster name from `clusters`.' } as const satisfies JsonSchema;

export const linkerdSectionSchema = {
  type: 'object',
  description: 'Linkerd service mesh on every cluster, one shared trust anchor, multicluster links and exported services.',
  additionalProperties: false,
  properties: {
    version: {
      type: 'string',
      pattern: VERSION_PATTERN,
      default: DEFAULT_VERSION,
      description:
        'Linkerd release of the CLI at `cliPath`: `stable-2.x.y`, `edge-yy.m.n`, `version-2.N` or `enterprise-2.x.y`. Selects link/link-gen and Gateway API handling.',
    },
    cliPath: {
      type: 'string',
      minLength: 1,
      default: 'linkerd',
      description: 'The linkerd CLI to run (a name on PATH or a path); it must match `version`.',
    },
    trustAnchorValidity: duration(
      'Validity of the generated trust anchor (root CA), e.g. `87600h` (10 years). Used only when it is first generated.',
      DEFAULT_TRUST_ANCHOR_VALIDITY,
    ),
    issuerValidity: duration('Validity of the identity issuer certificate, e.g. `8760h`.', DEFAULT_ISSUER_VALIDITY),
    issuerRenewBefore: duration(
      'Re-issue the issuer on apply (and warn in status) when it expires within this window, e.g. `720h`.',
      DEFAULT_ISSUER_RENEW_BEFORE,
    ),
    viz: {
      type: 'boolean',
      default: true,
      description: 'Install the viz extension (metrics, dashboard; needed by `linkerd multicluster gateways`).',
    },
    multicluster: {
      type: 'object',
      additionalProperties: false,
      default: { enabled: true, gateway: true },
      description: 'The multicluster extension.',
      properties: {
        enabled: { type: 'boolean', default: true, description: 'Install the multicluster extension (needed for links and exports).' },
        gateway: {
          type: 'boolean',
          default: true,
          description: 'Install the multicluster gateway (a LoadBalancer Service); false links clusters pod-to-pod (flat network).',
        },
        linkMode: {
          type: 'string',
          enum: [...LINK_MODES],
          description:
            'How links reach the cluster they mirror: `gateway` (through its multicluster gateway) or `flat` (pod-to-pod, `--gateway=false`, Linkerd 2.14+; pod networks must be routable between clusters). Default `gateway`, or `flat` when `gateway` is false. A link entry may override it.',
        },
        podNetworksRoutable: {
          type: 'boolean',
          description:
            "Say that every cluster's pods reach every other cluster's pods (routes, a flat CNI, a VPC). Needed for flat links and remote-discovery/federated exports when the cluster provider cannot tell (context clusters) or says no (kind: see plugin-linkerd's README for the routes to add).",
        },
      },
    },
    installGatewayApi: {
      type: 'boolean',
      default: false,
      description:
        'For Linkerd 2.18+: have `linkerd install --crds` install its bundled (experimental-channel) Gateway API CRDs (`--set installGatewayAPI=true`) instead of meshspec applying the standard channel (`gatewayApi`). Set gatewayApi.install: false with it.',
    },
    gatewayApi: {
      type: 'object',
      additionalProperties: false,
      default: { install: true, version: DEFAULT_GATEWAY_API_VERSION },
      description:
        'Linkerd 2.18+ needs the Gateway API CRDs before `linkerd install --crds`: meshspec applies the standard-channel CRDs per cluster (server-side) as their own step.',
      properties: {
        install: {
          type: 'boolean',
          default: true,
          description: 'Apply the Gateway API CRDs (Linkerd 2.18+ only; older lines install their own). false: they must already exist.',
        },
        version: {
          type: 'string',
          pattern: '^v[0-9]+\\.[0-9]+\\.[0-9]+$',
          default: DEFAULT_GATEWAY_API_VERSION,
          description: `Gateway API release, e.g. ${DEFAULT_GATEWAY_API_VERSION} (what Linkerd 2.20 recommends; 2.18-2.19 support 1.1.1-1.2.1).`,
        },
        manifest: {
          type: 'string',
          minLength: 1,
          description:
            'URL or file path (relative to the topology file) of the standard-channel CRDs; default the `standard-install.yaml` asset of `version` on GitHub.',
        },
      },
    },
    links: {
      default: 'full-mesh',
      description: '`full-mesh` (every cluster mirrors every other), `none`, or an explicit list of links.',
      oneOf: [
        { type: 'string', enum: ['full-mesh', 'none'], description: 'A link pattern.' },
        {
          type: 'array',
          description: 'Explicit links.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['from', 'to'],
            description: 'One link: `to` mirrors services exported by `from`.',
            properties: {
              from: { ...clusterName, description: 'The cluster whose exported services are mirrored.' },
              to: { ...clusterName, description: 'The cluster that gets the mirror services.' },
              mode: {
                type: 'string',
                enum: [...LINK_MODES],
                description: "This link's mode (`gateway` or `flat`), overriding multicluster.linkMode.",
              },
            },
          },
        },
      ],
    },
    clusterNetworks: {
      type: 'array',
      default: [],
      description: "Extra CIDRs for Linkerd's clusterNetworks, besides Linkerd's defaults and every cluster's podSubnet/serviceSubnet.",
      items: { type: 'string', description: 'A CIDR, e.g. 10.250.0.0/16.' },
    },
    export: {
      type: 'array',
      default: [],
      description:
        'Services labelled for export in every cluster (the label depends on `mode`), so linked clusters mirror them as `<service>-<cluster>` (federated: `<service>-federated`).',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['namespace', 'service'],
        description: 'One exported service.',
        properties: {
          namespace: { ...K8S_NAMESPACE, description: 'Namespace of the service.' },
          service: { ...K8S_SERVICE_NAME, description: 'Name of the service.' },
          mode: {
            type: 'string',
            enum: [...EXPORT_MODES],
            description:
              '`mirror` (label `mirror.linkerd.io/exported=true`: a `<service>-<cluster>` mirror through gateway links), `remote-discovery` (`exported=remote-discovery`: the same mirror, traffic pod-to-pod, 2.14+) or `federated` (`mirror.linkerd.io/federated=member`: one `<service>-federated` per linked cluster over every member, 2.17+). Default `mirror`, or `remote-discovery` when multicluster.linkMode is `flat` (flat links mirror no `exported=true` service).',
          },
        },
      },
    },
  },
} as const satisfies JsonSchema;

/** The section as written. */
export type LinkerdSection = FromSchema<typeof linkerdSectionSchema>;
/**
 * The section with the schema's defaults filled in. `links` is as written or `full-mesh`: with
 * multicluster.enabled false there are no links whatever it says (the facts' `links` are resolved).
 */
export type ResolvedLinkerdSection = ResolvedFromSchema<typeof linkerdSectionSchema>;
/** One link: `to` mirrors the services `from` exports. */
export type LinkPair = Extract<NonNullable<LinkerdSection['links']>, unknown[]>[number];
/** One exported service. */
export type ExportEntry = NonNullable<LinkerdSection['export']>[number];
/** The Gateway API CRDs meshspec applies before Linkerd 2.18+ (see gateway-api.ts). */
export type GatewayApiSection = NonNullable<LinkerdSection['gatewayApi']>;

/** The section with the schema's defaults filled in. */
export function withDefaults(section: LinkerdSection): ResolvedLinkerdSection {
  return applySchemaDefaults(linkerdSectionSchema, section);
}
