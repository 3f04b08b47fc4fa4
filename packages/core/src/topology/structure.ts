// What YAML allows but a topology does not, found in one linear walk over the parsed document:
// duplicate keys, aliases without an anchor or expanding past a limit ("billion laughs"), tags outside the
// YAML 1.2 core schema (!!omap, !!set, !!binary, custom tags), merge keys (<<) and keys that are maps or lists.
// Each becomes a positioned diagnostic with a fix. Iterative (no recursion) so deep nesting cannot overflow the stack.
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, Scalar } from 'yaml';
import type { Alias, Document, Node } from 'yaml';
import type { Diagnostic } from '../errors.js';
import { formatFieldPath } from './path.js';

type At = (offset: number) => { line: number; column: number };

/** Nodes the document may expand to through aliases; far above any real topology, far below what hurts. */
export const MAX_ALIAS_EXPANSION = 100_000;

/** Tags of the YAML 1.2 core schema: the only ones a topology may use (they change nothing a plain value would not). */
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((name) => `tag:yaml.org,2002:${name}`));

export interface StructureCheck {
  diagnostics: Diagnostic[];
  /** True when the data would not mean what the text says (aliases, tags, merge keys, collection keys). */
  malformed: boolean;
  /** Offsets of tags and aliases reported here, so the library's own (less clear) messages about them can be dropped. */
  taggedOffsets: Set<number>;
  aliasProblem: boolean;
}

interface Visit {
  node: unknown;
  path: (string | number)[];
}

export function checkStructure(document: Document, text: string, file: string, at: At): StructureCheck {
  const diagnostics: Diagnostic[] = [];
  const taggedOffsets = new Set<number>();
  let malformed = false;
  let aliasProblem = false;
  const aliases: Alias[] = [];
  const report = (offset: number, path: (string | number)[], message: string, fix: string, breaksData = true) => {
    diagnostics.push({ file, ...at(offset), path: formatFieldPath(path), message, fix, source: 'yaml' });
    if (breaksData) malformed = true;
  };

  const stack: Visit[] = [{ node: document.contents, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (!node || typeof node !== 'object') continue;
    if (isAlias(node)) {
      aliases.push(node);
      if (!node.resolve(document)) {
        aliasProblem = true;
        taggedOffsets.add(node.range?.[0] ?? 0);
        const name = node.source;
        const stray = name.endsWith(':') || name === '';
        report(
          node.range?.[0] ?? 0,
          path,
          stray
            ? `'*' starts an alias (a reference to an anchor), so '*${name}' is read as an alias, and no anchor '&${name}' exists`
            : `alias '*${name}' refers to no anchor: no '&${name}' is set before it`,
          stray
            ? `quote the value if you meant a literal '*' (for example '"*"'), or write the alias as '*name' after an anchor '&name'`
            : `set the anchor '&${name}' on a value before this alias (anchors must come before their aliases), or quote '*${name}' if it is meant as text`,
        );
      }
      continue;
    }
    const tagged = node as Node;
    if (tagged.tag && !CORE_TAGS.has(tagged.tag)) {
      const start = tagged.range?.[0] ?? 0;
      const tagAt = tagOffset(text, start);
      taggedOffsets.add(start).add(tagAt);
      if (tagged.range) taggedOffsets.add(tagged.range[1]);
      const shown = tagged.tag.startsWith('tag:yaml.org,2002:') ? `!!${tagged.tag.slice('tag:yaml.org,2002:'.length)}` : tagged.tag;
      report(
        tagAt,
        path,
        `the tag '${shown}' is not allowed: a topology uses plain YAML (strings, numbers, booleans, null, maps and lists)`,
        `remove the tag '${shown}' and write the value as a plain map, list or string`,
      );
    }
    if (isMap(node)) {
      const seen = new Map<string, Node>();
      // Pushed in reverse so the walk (and the diagnostics) follow the file's order.
      for (let i = node.items.length - 1; i >= 0; i--)
        stack.push({ node: node.items[i]!.value, path: [...path, keyName(node.items[i]!.key)] });
      for (const pair of node.items) {
        const key = pair.key;
        if (isCollection(key)) {
          report(
            key.range?.[0] ?? 0,
            path,
            'a key must be a plain value, but this key is a map or a list',
            'write the key as a plain scalar (a name), and put the map or list in its value',
          );
          continue;
        }
        if (isAlias(key)) {
          stack.push({ node: key, path });
          continue;
        }
        if (!isScalar(key)) continue;
        const name = keyName(key);
        if (name === '<<' && key.type === Scalar.PLAIN) {
          report(
            key.range?.[0] ?? 0,
            [...path, name],
            "merge keys ('<<') are not supported: YAML 1.2 has none, and meshspec reads '<<' as a key",
            "write the keys out in this map (or use an alias '*name' for the whole value)",
          );
          continue;
        }
        const first = seen.get(name);
        if (first) {
          // Not malformed: the schema still runs on the rest, and findings under this key are dropped (validate.ts).
          report(
            key.range?.[0] ?? 0,
            [...path, name],
            `duplicate key '${name}': it is already set on line ${at(first.range?.[0] ?? 0).line}`,
            `keep one '${name}' entry (merge their contents if both matter); YAML keeps only the last one`,
            false,
          );
        } else seen.set(name, key);
      }
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], path: [...path, i] });
    } else if (isPair(node)) {
      stack.push({ node: node.value, path });
    }
  }

  if (!aliasProblem && aliases.length > 0) {
    const largest = largestAlias(document, aliases);
    if (largest && largest.total > MAX_ALIAS_EXPANSION) {
      aliasProblem = true;
      report(
        largest.alias.range?.[0] ?? 0,
        [],
        `anchors and aliases expand this file to more than ${MAX_ALIAS_EXPANSION} values (aliases of aliases multiply; this is how "billion laughs" files exhaust memory)`,
        'write the values out, or use an alias only for values that hold no aliases themselves',
      );
    }
  }
  return { diagnostics, malformed, taggedOffsets, aliasProblem };
}

function keyName(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  if (isAlias(key)) return `*${key.source}`;
  // Never String(collection): the library stringifies it through toJS, exponential for nested flow keys.
  if (isMap(key)) return '{...}';
  if (isSeq(key)) return '[...]';
  return '?';
}

/** The tag written before a value (`!!omap [..]`, `&a !tag x`): point at the tag, not the value after it. */
function tagOffset(text: string, start: number): number {
  let end = start;
  for (let hops = 0; hops < 3; hops++) {
    while (end > 0 && /\s/.test(text[end - 1]!)) end--;
    let begin = end;
    while (begin > 0 && !/[\s,[{]/.test(text[begin - 1]!)) begin--;
    if (text[begin] === '!') return begin;
    if (text[begin] !== '&') break;
    end = begin;
  }
  return start;
}

/**
 * Total values the document expands to, and the alias contributing most. Sizes are memoized per node, so
 * this is linear in the text however much the aliases would expand.
 */
function largestAlias(document: Document, aliases: Alias[]): { alias: Alias; total: number } | undefined {
  const sizes = new Map<unknown, number>();
  const sizeOf = (root: unknown): number => {
    // Post-order without recursion: a node's size is 1 + its children's sizes (an alias: its target's size).
    const work: { node: unknown; expanded: boolean }[] = [{ node: root, expanded: false }];
    const onPath = new Set<unknown>();
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      if (sizes.has(top.node)) {
        work.pop();
        continue;
      }
      const children = childrenOf(top.node, document);
      if (!top.expanded) {
        top.expanded = true;
        onPath.add(top.node);
        for (const child of children) if (!sizes.has(child) && !onPath.has(child)) work.push({ node: child, expanded: false });
        continue;
      }
      work.pop();
      onPath.delete(top.node);
      let size = isAlias(top.node) ? 0 : 1;
      for (const child of children) size = Math.min(Number.MAX_SAFE_INTEGER, size + (sizes.get(child) ?? 1));
      sizes.set(top.node, size);
    }
    return sizes.get(root) ?? 1;
  };
  const total = sizeOf(document.contents);
  let largest: Alias | undefined;
  for (const alias of aliases) if (!largest || sizeOf(alias) > sizeOf(largest)) largest = alias;
  return largest ? { alias: largest, total } : undefined;
}

function childrenOf(node: unknown, document: Document): unknown[] {
  if (isAlias(node)) {
    const target = node.resolve(document);
    return target ? [target] : [];
  }
  if (isMap(node)) return node.items.flatMap((pair) => [pair.key, pair.value]).filter((n) => n !== null && n !== undefined);
  if (isSeq(node)) return node.items.filter((n) => n !== null && n !== undefined);
  return [];
}
