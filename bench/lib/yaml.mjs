// A minimal block-style YAML writer for the plain data the benchmark generates (maps, lists, strings,
// numbers, booleans), so both tools parse the kind of manifest people write. Strings are emitted
// double-quoted, whose escapes are JSON's, so no YAML library is needed here.
export function toYamlDocuments(objects) {
  return objects.map((o) => block(o, 0).join('\n')).join('\n---\n') + '\n';
}

function scalar(v) {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  throw new Error(`cannot write ${typeof v} as YAML`);
}

const isEmpty = (v) => (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);

function block(value, indent) {
  const pad = ' '.repeat(indent);
  const lines = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      if (item !== null && typeof item === 'object' && !isEmpty(item)) {
        const [first, ...rest] = block(item, indent + 2);
        lines.push(`${pad}- ${first.trimStart()}`, ...rest);
      } else lines.push(`${pad}- ${item !== null && typeof item === 'object' ? (Array.isArray(item) ? '[]' : '{}') : scalar(item)}`);
    }
    return lines;
  }
  for (const [key, v] of Object.entries(value)) {
    if (v !== null && typeof v === 'object' && !isEmpty(v))
      lines.push(`${pad}${key}:`, ...block(v, Array.isArray(v) ? indent : indent + 2));
    else lines.push(`${pad}${key}: ${v !== null && typeof v === 'object' ? (Array.isArray(v) ? '[]' : '{}') : scalar(v)}`);
  }
  return lines;
}
