import type { ClusterProviderPlugin } from '../plugin/clusters.js';
import { factsAccess, type FactsConsumer } from '../plugin/facts.js';
import type { Topology, ValidateContext } from '../plugin/types.js';
import { parseTopologyText } from '../topology/parse.js';
import { validateContext } from '../topology/validate.js';

/**
 * A ValidateContext over real YAML text, positioned by the same parser the engine uses, so a plugin's
 * validate() can be tested for line/column without schema validation or the other plugins.
 */
export function yamlValidateContext(
  text: string,
  file = 'topology.yaml',
  plugin?: FactsConsumer,
  providers: readonly ClusterProviderPlugin[] = [],
): { ctx: ValidateContext; topology: Topology } {
  const parsed = parseTopologyText(text, file);
  if (parsed.malformed) throw new Error(`bad test YAML: ${parsed.diagnostics[0]?.message ?? 'unparsable'}`);
  const topology = parsed.data as Topology;
  // With `plugin`, ctx.facts checks its declared dependencies as the engine does.
  return { ctx: validateContext(parsed.source, plugin?.name ?? 'test', factsAccess(topology, plugin, providers)), topology };
}
