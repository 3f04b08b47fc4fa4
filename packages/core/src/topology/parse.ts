// YAML text -> plain data + positions. Every YAML problem becomes a Diagnostic; nothing here throws.
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import type { Document, Node, Pair, YAMLError } from 'yaml';
import type { Diagnostic } from '../errors.js';
import type { TopologySource } from '../plugin/types.js';
import { formatFieldPath, type FieldPath } from './path.js';

export interface Position {
  line: number;
  column: number;
}

/** A TopologySource that can also point at a key itself (where "unknown key" errors belong). */
export interface ParsedTopologySource extends TopologySource {
  /** Position of the key that ends `path`; falls back like `positionOf` when there is no such key. */
  keyPositionOf(path: FieldPath): Position;
}

export interface ParsedTopologyText {
  /** The document as plain JS data; `undefined` when the file is empty. */
  data: unknown;
  source: ParsedTopologySource;
  diagnostics: Diagnostic[];
  /** True when the YAML was malformed (not just duplicate keys), so `data` may not mean what the author meant. */
  malformed: boolean;
}

export function parseTopologyText(text: string, file: string): ParsedTopologyText {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, keepSourceTokens: true, prettyErrors: false });
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const source = createSource(document, text, file, at);

  const diagnostics: Diagnostic[] = [];
  let malformed = false;
  const syntaxErrorOffsets = new Set<number>();
  for (const error of document.errors) {
    if (error.code !== 'DUPLICATE_KEY') {
      malformed = true;
      // yaml often reports a cascade at the spot of the first error (unclosed quote -> unclosed map).
      if (syntaxErrorOffsets.has(error.pos[0])) continue;
      syntaxErrorOffsets.add(error.pos[0]);
    }
    diagnostics.push(yamlDiagnostic(error, document, file, at));
  }
  for (const warning of document.warnings) diagnostics.push(yamlDiagnostic(warning, document, file, at));

  const root = document.contents;
  if (root === null || root === undefined) {
    diagnostics.push({
      file, line: 1, column: 1, path: '', source: 'yaml',
      message: 'the topology file is empty',
      fix: 'start from a minimal topology: apiVersion: meshspec.dev/v1alpha1, kind: Topology, metadata: { name: my-mesh }, clusters: { demo: {} }',
    });
    return { data: undefined, source, diagnostics, malformed: true };
  }
  if (!isMap(root)) {
    const position = at(root.range?.[0] ?? 0);
    const what = isSeq(root) ? 'a list' : 'a single value';
    diagnostics.push({
      file, ...position, path: '', source: 'yaml',
      message: `a topology must be a map of keys (apiVersion, kind, metadata, clusters, ...), but this file holds ${what}`,
      fix: 'write the topology as top-level "key: value" lines, starting with apiVersion: meshspec.dev/v1alpha1',
    });
    return { data: document.toJS(), source, diagnostics, malformed: true };
  }
  return { data: document.toJS({ maxAliasCount: 1000 }), source, diagnostics, malformed };
}

function yamlDiagnostic(
  error: YAMLError,
  document: Document,
  file: string,
  at: (offset: number) => Position,
): Diagnostic {
  const position = at(error.pos[0]);
  const base = { file, ...position, path: '', source: 'yaml' };
  switch (error.code) {
    case 'DUPLICATE_KEY': {
      const duplicate = findDuplicate(document, error.pos[0]);
      if (!duplicate) {
        return { ...base, message: 'a key appears twice in the same map', fix: 'remove or rename one of the two entries' };
      }
      const first = at(duplicate.first.range?.[0] ?? 0);
      return {
        ...base,
        path: formatFieldPath([...duplicate.parentPath, duplicate.key]),
        message: `duplicate key '${duplicate.key}': it is already set on line ${first.line}`,
        fix: `keep one '${duplicate.key}' entry (merge their contents if both matter); YAML keeps only the last one`,
      };
    }
    case 'MULTIPLE_DOCS':
      return {
        ...base,
        message: 'a topology is one YAML document, but a second document starts here (after "---")',
        fix: 'merge the documents into one, or put each topology in its own file',
      };
    case 'TAB_AS_INDENT':
      return {
        ...base,
        message: 'tabs are not allowed for indentation in YAML; use spaces',
        fix: `replace the tab at line ${position.line} with spaces (configure your editor to insert spaces for YAML)`,
      };
    default:
      return {
        ...base,
        message: `YAML syntax error: ${plainYamlMessage(error.message)}`,
        fix: syntaxFix(error),
      };
  }
}

function plainYamlMessage(message: string): string {
  // yaml's own message is good; drop its trailing "at line x, column y" and source excerpt when present.
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

function syntaxFix(error: YAMLError): string {
  switch (error.code) {
    case 'MISSING_CHAR':
      return 'add the missing closing character (quote or bracket)';
    case 'BAD_INDENT':
      return 'check the indentation: keys of the same map must line up, nested values go further right';
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'put a nested map on its own indented lines, or quote a value that contains ": "';
    default:
      return 'fix the YAML syntax near this position';
  }
}

interface Duplicate {
  key: string;
  first: Node;
  parentPath: Array<string | number>;
}

/** Finds the map holding the duplicate key at `offset` and that key's first occurrence. */
function findDuplicate(document: Document, offset: number): Duplicate | undefined {
  let found: Duplicate | undefined;
  visit(document, {
    Map(_key, map, ancestry) {
      const seen = new Map<string, Node>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const name = String(pair.key.value);
        const first = seen.get(name);
        if (first && pair.key.range?.[0] === offset) {
          found = { key: name, first, parentPath: pathOf([...ancestry, map]) };
          return visit.BREAK;
        }
        if (!first) seen.set(name, pair.key);
      }
      return undefined;
    },
  });
  return found;
}

/** Field path of a node from the visitor's ancestry (document, pairs, collections). */
function pathOf(ancestry: readonly unknown[]): Array<string | number> {
  const path: Array<string | number> = [];
  for (let i = 0; i < ancestry.length; i++) {
    const item = ancestry[i];
    if (isPair(item) && isScalar(item.key)) path.push(String(item.key.value));
    else if (isSeq(item)) {
      const child = ancestry[i + 1];
      const index = item.items.indexOf(child as never);
      if (index >= 0) path.push(index);
    }
  }
  return path;
}

function createSource(
  document: Document,
  text: string,
  file: string,
  at: (offset: number) => Position,
): ParsedTopologySource {
  const start = (node: { range?: [number, number, number] | null } | null | undefined): number | undefined =>
    node?.range?.[0];

  /** Walks `path` as far as it exists; returns the last pair passed through and the deepest node reached. */
  const walk = (path: FieldPath) => {
    let node: unknown = document.contents;
    let pair: Pair | undefined;
    let matched = 0;
    for (const segment of path) {
      if (isMap(node)) {
        const next = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
        if (!next) break;
        pair = next;
        node = next.value;
      } else if (isSeq(node)) {
        const index = Number(segment);
        if (!Number.isInteger(index) || index < 0 || index >= node.items.length) break;
        pair = undefined;
        node = node.items[index];
      } else break;
      matched++;
    }
    return { node, pair, complete: matched === path.length, matched };
  };

  const rootPosition = (): Position => at(start(document.contents as Node | null) ?? 0);

  const positionOf = (path: FieldPath): Position => {
    const { node, pair } = walk(path);
    // A value written on the key's line (scalar, flow collection) is pointed at directly; a block
    // collection starts on the next line, so its key's line is where a person looks for it.
    // An empty value (`demo:`) has no text of its own; its key is what to point at.
    if (isNode(node) && node.range && !isBlockCollection(node) && !isEmptyScalar(node)) return at(node.range[0]);
    if (pair && isNode(pair.key) && pair.key.range) return at(pair.key.range[0]);
    if (isNode(node) && node.range) return at(node.range[0]);
    return rootPosition();
  };

  const keyPositionOf = (path: FieldPath): Position => {
    const { pair, complete } = walk(path);
    if (complete && pair && isNode(pair.key) && pair.key.range) return at(pair.key.range[0]);
    return positionOf(path);
  };

  return { file, text, positionOf, keyPositionOf };
}

function isBlockCollection(node: Node): boolean {
  return (isMap(node) || isSeq(node)) && !node.flow;
}

function isEmptyScalar(node: Node): boolean {
  return isScalar(node) && node.value === null && node.range !== undefined && node.range !== null && node.range[0] === node.range[1];
}
