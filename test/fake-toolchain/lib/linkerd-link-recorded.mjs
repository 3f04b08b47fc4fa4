// How the real linkerd CLIs write a Link with and without a gateway, replayed from their recorded output
// (../recorded/linkerd/, recorded from the real binaries against a real kube-apiserver; see its README):
// - 2.20 `multicluster link-gen`: the Link's spec as recorded, with the source's name and (gateway links)
//   the gateway's address, identity and port put in. Without a gateway (`--gateway=false`) the real CLI
//   writes no gateway fields, an empty probeSpec and NO `selector`: only remoteDiscoverySelector and
//   federatedServiceSelector, so such a link mirrors no `mirror.linkerd.io/exported=true` service.
// - 2.13 `multicluster link` has no --gateway flag: cobra's refusal, as recorded.
import { fail, readFileSync, YAML } from './common.mjs';

const RECORDED = new URL('../recorded/linkerd/', import.meta.url);
const read = (file) => readFileSync(new URL(file, RECORDED), 'utf8');

/** `--gateway` / `--gateway=...` given (not `--gateway-name` and the like). */
export const hasGatewayFlag = (argv) => argv.some((a) => a === '--gateway' || a.startsWith('--gateway='));

/** Before 2.14 the CLI has no --gateway flag: it refuses before reading anything, as the real stable-2.13.3 does. */
export function refuseGatewayFlagBefore214(argv, minor) {
  if (minor < 14 && hasGatewayFlag(argv)) fail(read('stable-2.13.3/link-gateway-false.stderr'), 1);
}

/** The recorded 2.20 Link (source cluster `east`) of either kind. */
function recordedLink(withGateway) {
  const text = read(withGateway ? 'edge-26.6.3/link-gen-east.yaml' : 'edge-26.6.3/link-gen-east-gateway-false.yaml');
  const link = YAML.parseAllDocuments(text)
    .map((d) => d.toJS())
    .find((o) => o?.kind === 'Link');
  if (!link) fail('fake linkerd: no Link in the recorded link-gen output under test/fake-toolchain/recorded', 2);
  return link;
}

/**
 * The spec 2.20's link-gen writes for source `name`: the recorded one, renamed; `gateway` (address,
 * identity, port: what the CLI read from the source's gateway Service) replaces the recorded gateway's.
 */
export function linkGenSpec(name, gateway) {
  const spec = {
    ...recordedLink(gateway !== undefined).spec,
    clusterCredentialsSecret: `cluster-credentials-${name}`,
    targetClusterName: name,
  };
  if (gateway) Object.assign(spec, { gatewayAddress: gateway.address, gatewayIdentity: gateway.identity, gatewayPort: gateway.port });
  return spec;
}

/** `link --gateway=false` of 2.14-2.17: nothing was recorded for those lines, so the fake renders nothing. */
export function refuseUnrecordedGatewayless(version) {
  fail(
    `fake linkerd: no recorded output of \`multicluster link --gateway=false\` for ${version} (recorded: edge-26.6.3 link-gen, and stable-2.13.3's refusal)`,
    2,
  );
}
