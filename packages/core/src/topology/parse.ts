// YAML text -> plain data + positions. Every YAML problem becomes a Diagnostic; nothing here throws.
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node, Pair, YAMLError, YAMLMap } from 'yaml';
import type { Diagnostic } from '../errors.js';
import type { TopologySource } from '../plugin/types.js';
import type { FieldPath } from './path.js';
import { checkStructure } from './structure.js';

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
  /** The document as plain JS data; `undefined` when the file is empty or malformed. */
  data: unknown;
  source: ParsedTopologySource;
  diagnostics: Diagnostic[];
  /** True when the YAML was malformed (not just duplicate keys), so `data` may not mean what the author meant. */
  malformed: boolean;
}

/** Topology files above this size are refused before parsing: a topology is a short file, and parsing cost must stay bounded. */
export const MAX_TOPOLOGY_BYTES = 1024 * 1024;

/** The diagnostic for a file above MAX_TOPOLOGY_BYTES; shared with the file loader, which checks the size before reading. */
export function oversizeDiagnostic(file: string, bytes: number): Diagnostic {
  return {
    file,
    line: 1,
    column: 1,
    path: '',
    source: 'yaml',
    message: `the topology file is ${(bytes / 1024 / 1024).toFixed(1)} MiB (${bytes} bytes); the limit is 1 MiB (${MAX_TOPOLOGY_BYTES} bytes)`,
    fix: 'a topology is a short file: keep large manifests in their own files (workloads can point at manifest files or kustomize dirs)',
  };
}

export function parseTopologyText(rawText: string, file: string): ParsedTopologyText {
  const bytes = Buffer.byteLength(rawText, 'utf8');
  if (bytes > MAX_TOPOLOGY_BYTES) {
    const top = (): Position => ({ line: 1, column: 1 });
    const source: ParsedTopologySource = { file, text: '', positionOf: top, keyPositionOf: top };
    return { data: undefined, source, diagnostics: [oversizeDiagnostic(file, bytes)], malformed: true };
  }
  // YAML 1.2 counts a lone CR as a line break (b-break); the parser and the excerpts split on LF only.
  // Same length, so every offset still points at the same character.
  const text = rawText.includes('\r') ? rawText.replace(/\r(?!\n)/g, '\n') : rawText;
  const lineCounter = new LineCounter();
  // uniqueKeys is off: the library's check is quadratic in a map's keys; checkStructure does it in linear time.
  // logLevel 'error': the library must never print warnings itself; they all become diagnostics here.
  const document = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, logLevel: 'error' });
  const at = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const source = createSource(document, text, file, at);

  const structure = checkStructure(document, text, file, at);
  const diagnostics: Diagnostic[] = [];
  let malformed = structure.malformed;
  const syntaxErrorOffsets = new Set<number>();
  for (const error of document.errors) {
    // The library's complaint about a tag we already refuse ("omap used for map collection") would only confuse.
    if (structure.taggedOffsets.has(error.pos[0]) || structure.taggedOffsets.has(error.pos[1])) continue;
    malformed = true;
    // yaml often reports a cascade at the spot of the first error (unclosed quote -> unclosed map).
    if (syntaxErrorOffsets.has(error.pos[0])) continue;
    syntaxErrorOffsets.add(error.pos[0]);
    diagnostics.push(yamlDiagnostic(error, file, at));
  }
  for (const warning of document.warnings) {
    // Tags and broken aliases get their own, clearer diagnostics from checkStructure.
    if (warning.code === 'TAG_RESOLVE_FAILED' || (warning.code === 'BAD_ALIAS' && structure.aliasProblem)) continue;
    diagnostics.push(yamlDiagnostic(warning, file, at));
  }
  diagnostics.push(...structure.diagnostics);

  const root = document.contents;
  if (root === null || root === undefined) {
    if (malformed) return { data: undefined, source, diagnostics, malformed: true };
    diagnostics.push({
      file,
      line: 1,
      column: 1,
      path: '',
      source: 'yaml',
      message: 'the topology file is empty',
      fix: 'start from a minimal topology: apiVersion: meshspec.dev/v1alpha1, kind: Topology, metadata: { name: my-mesh }, clusters: { demo: {} }',
    });
    return { data: undefined, source, diagnostics, malformed: true };
  }
  if (!isMap(root)) {
    const position = at(root.range?.[0] ?? 0);
    const what = isSeq(root) ? 'a list' : 'a single value';
    diagnostics.push({
      file,
      ...position,
      path: '',
      source: 'yaml',
      message: `a topology must be a map of keys (apiVersion, kind, metadata, clusters, ...), but this file holds ${what}`,
      fix: 'write the topology as top-level "key: value" lines, starting with apiVersion: meshspec.dev/v1alpha1',
    });
    return { data: undefined, source, diagnostics, malformed: true };
  }
  // Only after aliases, tags and keys were checked is converting to plain data safe and bounded.
  if (malformed) return { data: undefined, source, diagnostics, malformed };
  return { data: document.toJS({ maxAliasCount: -1 }), source, diagnostics, malformed };
}

function yamlDiagnostic(error: YAMLError, file: string, at: (offset: number) => Position): Diagnostic {
  const position = at(error.pos[0]);
  const base = { file, ...position, path: '', source: 'yaml' };
  switch (error.code) {
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

function createSource(document: Document, text: string, file: string, at: (offset: number) => Position): ParsedTopologySource {
  const start = (node: { range?: [number, number, number] | null } | null | undefined): number | undefined => node?.range?.[0];
  // Key -> pair per map, built on first lookup: thousands of diagnostics in a big map must not each scan it.
  const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairOf = (map: YAMLMap, name: string): Pair | undefined => {
    let index = indexes.get(map);
    if (!index) {
      index = new Map();
      for (const item of map.items) {
        if (!isScalar(item.key)) continue;
        const key = String(item.key.value);
        if (!index.has(key)) index.set(key, item);
      }
      indexes.set(map, index);
    }
    return index.get(name);
  };

  /** Walks `path` as far as it exists; returns the last pair passed through and the deepest node reached. */
  const walk = (path: FieldPath) => {
    let node: unknown = document.contents;
    let pair: Pair | undefined;
    let matched = 0;
    for (const segment of path) {
      if (isMap(node)) {
        const next = pairOf(node, String(segment));
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

  const rootPosition = (): Position => at(start(document.contents) ?? 0);

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
