// The generated parts of docs/plugins.md: the step-id table (each plugin's `stepDocs`), every plugin's
// facts (the members of the `<Name>Facts` interface in its src/facts.ts, with their doc comments) and
// options (its schema fragments and their descriptions). plugins-doc.test.ts fails when the file differs
// from this render; `scripts/pnpm run docs` rewrites it. Only the text between the markers
// `<!-- generated:<name> -->` and `<!-- /generated -->` is replaced; the rest is written by hand.
import type * as TS from 'typescript';
import type { JsonSchema, Plugin } from '@meshspec/core';

export interface FactDoc {
  /** `clusters`, `clusterStep(cluster)`, `steps.crds(cluster)`. */
  name: string;
  type: string;
  doc: string;
}

export interface PluginFacts {
  /** The facts interface, e.g. `KindFacts`. */
  interfaceName: string;
  facts: FactDoc[];
}

/**
 * The facts a plugin publishes, read from the TypeScript declarations of its facts.ts: the exported
 * interface named `<Something>Facts`, members expanded one level into interfaces and type literals of
 * the same file (`steps.crds(cluster)`).
 */
export async function readFactsDeclarations(source: string, file = 'facts.ts'): Promise<PluginFacts | undefined> {
  const ts = (await import('typescript')).default;
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const interfaces = new Map<string, TS.InterfaceDeclaration>();
  for (const statement of sf.statements) if (ts.isInterfaceDeclaration(statement)) interfaces.set(statement.name.text, statement);
  const main = [...interfaces.values()].find(
    (i) => i.name.text.endsWith('Facts') && i.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword),
  );
  if (!main) return undefined;

  const docOf = (node: TS.Node) =>
    ts
      .getJSDocCommentsAndTags(node)
      .filter(ts.isJSDoc)
      .map((d) => ts.getTextOfJSDocComment(d.comment) ?? '')
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
  const flat = (text: string) => text.replace(/\s+/g, ' ').trim();
  const rows = (members: TS.NodeArray<TS.TypeElement>, prefix: string): FactDoc[] =>
    members.flatMap((member): FactDoc[] => {
      const name = member.name ? member.name.getText(sf) : '';
      if (ts.isMethodSignature(member)) {
        const params = member.parameters.map((p) => p.name.getText(sf)).join(', ');
        return [{ name: `${prefix}${name}(${params})`, type: flat(member.type?.getText(sf) ?? 'void'), doc: docOf(member) }];
      }
      if (!ts.isPropertySignature(member) || !member.type) return [];
      const type = member.type;
      const nested = ts.isTypeLiteralNode(type)
        ? type.members
        : ts.isTypeReferenceNode(type)
          ? interfaces.get(type.typeName.getText(sf))?.members
          : undefined;
      const own: FactDoc = { name: `${prefix}${name}${member.questionToken ? '?' : ''}`, type: flat(type.getText(sf)), doc: docOf(member) };
      if (!nested) return [own];
      // An object of functions (step ids): its members are the facts; the object's own doc, if any, leads.
      return [
        ...(own.doc ? [{ ...own, type: ts.isTypeLiteralNode(type) ? 'object' : own.type }] : []),
        ...rows(nested, `${prefix}${name}.`),
      ];
    });
  return { interfaceName: main.name.text, facts: rows(main.members, '') };
}

export interface OptionRow {
  /** `linkerd.multicluster.enabled`, `metallb.pools.<cluster>`, `clusters.<c>.podSubnet`. */
  path: string;
  type: string;
  default?: unknown;
  description: string;
}

/** Every option of a schema fragment, depth first, with its type, default and description. */
export function optionRows(schema: JsonSchema, path: string): OptionRow[] {
  const rows: OptionRow[] = [];
  const visit = (node: JsonSchema, at: string, withRow: boolean) => {
    if (withRow)
      rows.push({
        path: at,
        type: typeOf(node),
        ...('default' in node ? { default: node.default } : {}),
        description: String(node.description ?? ''),
      });
    for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, JsonSchema>)) visit(child, `${at}.${key}`, true);
    const items = node.items as JsonSchema | undefined;
    if (items && typeof items === 'object' && items.properties) visit(items, `${at}[]`, false);
    const values = node.additionalProperties as JsonSchema | boolean | undefined;
    if (values && typeof values === 'object') visit(values, `${at}.<key>`, !(values.properties && !values.description));
    for (const alternative of [...((node.oneOf ?? []) as JsonSchema[]), ...((node.anyOf ?? []) as JsonSchema[])])
      visit(alternative, at, false);
  };
  visit(schema, path, false);
  return rows;
}

function typeOf(node: JsonSchema): string {
  if (Array.isArray(node.enum)) return node.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (node.const !== undefined) return `\`${String(node.const)}\``;
  const alternatives = [...((node.oneOf ?? []) as JsonSchema[]), ...((node.anyOf ?? []) as JsonSchema[])];
  if (alternatives.length > 0) return alternatives.map(typeOf).join(' or ');
  const range =
    node.minimum !== undefined && node.maximum !== undefined
      ? ` (${String(node.minimum)}–${String(node.maximum)})`
      : node.minimum !== undefined
        ? ` (≥ ${String(node.minimum)})`
        : '';
  switch (node.type) {
    case 'array':
      return `list of ${typeOf((node.items ?? {}) as JsonSchema)}`;
    case 'object':
      if (node.additionalProperties && typeof node.additionalProperties === 'object')
        return `map of ${typeOf(node.additionalProperties as JsonSchema)}`;
      return 'object';
    case 'string':
      return `string${typeof node.format === 'string' ? ` (${node.format})` : ''}`;
    case 'integer':
    case 'number':
      return `${node.type}${range}`;
    default:
      return typeof node.type === 'string' ? node.type : 'any';
  }
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const cellKeepPipes = (text: string) => text.replace(/\n/g, ' ');
const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: string[][]) => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const code = (text: string) => `\`${text.replace(/\|/g, '\\|')}\``;

function defaultText(value: unknown): string {
  if (value === undefined) return '';
  const json = JSON.stringify(value);
  return code(typeof value === 'string' ? value : json);
}

export function renderSteps(plugins: readonly Plugin[]): string {
  const rows = plugins.flatMap((p) =>
    (p.stepDocs ?? []).map((s) => [p.name, code(s.id), cell(s.does), s.outputs ? cellKeepPipes(s.outputs) : '']),
  );
  return table(['plugin', 'step id', 'what it does', 'outputs (`ctx.outputOf`)'], rows);
}

export function renderFacts(plugins: readonly Plugin[], factsOf: ReadonlyMap<string, PluginFacts | undefined>): string {
  return plugins
    .map((p) => {
      const facts = factsOf.get(p.name);
      if (!p.facts || !facts) return `### ${p.name}\n\nPublishes no facts.`;
      const rows = facts.facts.map((f) => [code(f.name), code(f.type), cell(f.doc)]);
      return `### ${p.name} (\`${facts.interfaceName}\`)\n\n${table(['fact', 'type', 'what'], rows)}`;
    })
    .join('\n\n');
}

export function renderOptions(plugins: readonly Plugin[]): string {
  return plugins
    .map((p) => {
      const section = p.schema ? optionRows(p.schema, p.key) : [];
      const cluster = Object.entries(p.clusterSchema ?? {}).flatMap(([key, schema]) => [
        {
          path: `clusters.<c>.${key}`,
          type: typeOf(schema),
          ...('default' in schema ? { default: schema.default } : {}),
          description: String(schema.description ?? ''),
        },
        ...optionRows(schema, `clusters.<c>.${key}`),
      ]);
      const intro = p.schema?.description ? `\`${p.key}:\` ${String(p.schema.description)}` : `\`${p.key}:\``;
      const rows = [...section, ...cluster].map((o) => [code(o.path), cellKeepPipes(o.type), defaultText(o.default), cell(o.description)]);
      return `### ${p.name}\n\n${intro}\n\n${rows.length > 0 ? table(['option', 'type', 'default', 'description'], rows) : 'No options.'}`;
    })
    .join('\n\n');
}

/** Replaces the body of each `<!-- generated:<name> -->` ... `<!-- /generated -->` block; a missing marker is an error. */
export function replaceGenerated(text: string, parts: Readonly<Record<string, string>>): string {
  let out = text;
  for (const [name, body] of Object.entries(parts)) {
    const pattern = new RegExp(`(<!-- generated:${name} -->)[\\s\\S]*?(<!-- /generated -->)`);
    if (!pattern.test(out)) throw new Error(`docs/plugins.md has no <!-- generated:${name} --> ... <!-- /generated --> block`);
    out = out.replace(pattern, (_m, open: string, close: string) => `${open}\n${body}\n${close}`);
  }
  return out;
}

/** Fact names without a doc comment, as `plugin: name` (the docs must say what each fact is). */
export function undocumentedFacts(factsOf: ReadonlyMap<string, PluginFacts | undefined>): string[] {
  return [...factsOf].flatMap(([plugin, facts]) => (facts?.facts ?? []).filter((f) => f.doc === '').map((f) => `${plugin}: ${f.name}`));
}
