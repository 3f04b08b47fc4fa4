// Field paths as people read them: `clusters.demo3.serviceSubnet`, `linkerd.export[0].service`.

export type FieldPath = readonly (string | number)[];

export function formatFieldPath(path: FieldPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/**
 * Splits an ajv instancePath (a JSON pointer, `/linkerd/export/0`) into segments. All-digit segments
 * become numbers (list indexes): topology map keys (cluster names, plugin keys) start with a letter.
 */
export function fromJsonPointer(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}
