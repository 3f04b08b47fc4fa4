// A ValidateContext over real YAML text, so tests can assert line/column of diagnostics without the
// engine's topology loader. positionOf falls back to the nearest parent, as the contract says.
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { Diagnostic, Topology, ValidateContext } from '@meshspec/core';

export function yamlValidateContext(text: string, file = 'topology.yaml'): { ctx: ValidateContext; topology: Topology } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) throw new Error(`bad test YAML: ${doc.errors[0]!.message}`);
  const positionOf = (path: ReadonlyArray<string | number>) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        return { line, column: col };
      }
    }
    return { line: 1, column: 1 };
  };
  const ctx: ValidateContext = {
    source: { file, text, positionOf },
    diagnostic(path, message, fix): Diagnostic {
      return { file, ...positionOf(path), path: path.join('.'), message, ...(fix !== undefined ? { fix } : {}), source: 'test' };
    },
  };
  return { ctx, topology: doc.toJS() as Topology };
}
