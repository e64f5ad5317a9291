import GithubSlugger from 'github-slugger';

/** A JSON Schema node as zod's `toJSONSchema` writes it (no `$ref`s: every schema is inline). */
export interface SchemaNode {
  type?: string | string[];
  title?: string;
  description?: string;
  default?: unknown;
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  properties?: Record<string, SchemaNode>;
  required?: string[];
  additionalProperties?: SchemaNode | boolean;
  propertyNames?: SchemaNode;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
}

/** How the tables name things the prose explains: durations and templated values. */
export interface TableOptions {
  /** Heading level of each table's heading. */
  level: number;
  /** A pattern that marks a string as a duration, linked to `durationAnchor`. */
  durationPattern: string;
  /** The description every duration carries; left out of the tables, where the type says it. */
  durationDescription?: string;
  /** Anchor of the prose section on durations. */
  durationAnchor: string;
  /** How a value of any JSON type reads (an `input`, an `output`). */
  anyValue: string;
}

interface Section {
  heading: string;
  anchor: string;
  /** How links to the section read: the variant's title or tag, else the path. */
  label: string;
  schema: SchemaNode;
}

/**
 * Renders an object schema as Markdown: one heading and field table per
 * object it holds (the root, each nested object, each variant of a union),
 * every nested object's type linked to its own table. Structurally equal
 * objects (the retry policy of a step, a fallback and a compensation) get
 * one table, linked from every place.
 */
export function schemaTables(root: SchemaNode, rootHeading: string, options: TableOptions): string {
  const sections: Section[] = [];
  const byShape = new Map<string, Section>();
  const slugger = new GithubSlugger();

  const sectionFor = (schema: SchemaNode, path: string): Section => {
    const shape = JSON.stringify(schema);
    const known = byShape.get(shape);
    if (known) return known;
    const tag = variantTag(schema);
    const title = schema.title ? lowerFirst(schema.title) : tag ? `${tag.field} \`${tag.value}\`` : undefined;
    const heading = path === '' ? rootHeading : title ? `\`${path}\`: ${title}` : `\`${path}\``;
    const label = path === '' ? rootHeading : (title ?? `\`${path}\``);
    const section: Section = { heading, anchor: slugger.slug(heading), label, schema };
    byShape.set(shape, section);
    sections.push(section);
    for (const [name, child] of Object.entries(schema.properties ?? {})) {
      const at = path === '' ? name : `${path}.${name}`;
      for (const [nested, suffix] of nestedObjects(child)) sectionFor(nested, `${at}${suffix}`);
    }
    return section;
  };
  sectionFor(root, '');

  const typeOf = (schema: SchemaNode): string =>
    describeType(schema, options, (s) => byShape.get(JSON.stringify(s)));
  const hashes = '#'.repeat(options.level);
  return sections
    .map((section) => {
      const lines = [`${hashes} ${section.heading}`, ''];
      if (section.schema.description) lines.push(escapeText(section.schema.description), '');
      lines.push('| field | type | required | default | meaning |', '|---|---|---|---|---|');
      const required = new Set(section.schema.required ?? []);
      for (const [name, field] of Object.entries(section.schema.properties ?? {})) {
        lines.push(
          `| \`${name}\` | ${typeOf(field)} | ${required.has(name) ? 'yes' : ''} | ${defaultOf(field)} | ${meaning(field, options)} |`,
        );
      }
      return lines.join('\n');
    })
    .join('\n\n');
}

/** The objects a field holds that get tables of their own, with the path suffix that reaches each. */
function nestedObjects(schema: SchemaNode, suffix = ''): Array<[SchemaNode, string]> {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.flatMap((v) => nestedObjects(v, suffix));
  if (schema.items) return nestedObjects(schema.items, `${suffix}[]`);
  if (isRecord(schema)) return nestedObjects(schema.additionalProperties as SchemaNode, `${suffix}.<name>`);
  return hasTable(schema) ? [[schema, suffix]] : [];
}

/** The field whose constant tells a union's variants apart, such as `scheme` of `verify`. */
function variantTag(schema: SchemaNode): { field: string; value: string } | undefined {
  for (const [field, child] of Object.entries(schema.properties ?? {})) {
    if (typeof child.const === 'string') return { field, value: child.const };
  }
  return undefined;
}

/** Objects of one plain field (`{ "$env": "NAME" }`, `{ "until": "…" }`) are written inline instead. */
function hasTable(schema: SchemaNode): boolean {
  const fields = Object.values(schema.properties ?? {});
  if (fields.length === 0) return false;
  return fields.length > 1 || fields.some((f) => f.properties !== undefined || f.anyOf || f.oneOf);
}

function isRecord(schema: SchemaNode): boolean {
  return typeof schema.additionalProperties === 'object' && schema.properties === undefined;
}

function describeType(
  schema: SchemaNode,
  options: TableOptions,
  sectionOf: (schema: SchemaNode) => Section | undefined,
): string {
  const recurse = (s: SchemaNode) => describeType(s, options, sectionOf);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map(recurse).join(' or ');
  if (schema.const !== undefined) return code(JSON.stringify(schema.const));
  if (schema.enum) return schema.enum.map((v) => code(JSON.stringify(v))).join(' or ');
  const section = sectionOf(schema);
  if (section) return `[${section.label}](#${section.anchor})`;
  if (schema.properties) {
    const fields = Object.entries(schema.properties).map(([name, f]) => `"${name}": ${inlineType(f)}`);
    return code(`{ ${fields.join(', ')} }`);
  }
  if (isRecord(schema)) return `object: name → ${recurse(schema.additionalProperties as SchemaNode)}`;
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 0) return options.anyValue;
  return types.map((type) => primitive(type, schema, options, recurse)).join(' or ');
}

function primitive(
  type: string,
  schema: SchemaNode,
  options: TableOptions,
  recurse: (s: SchemaNode) => string,
): string {
  switch (type) {
    case 'string':
      if (schema.pattern === options.durationPattern) return `[duration](#${options.durationAnchor})`;
      return schema.pattern ? `string matching ${code(schema.pattern)}` : 'string';
    case 'integer':
    case 'number':
      return `${type}${range(schema)}`;
    case 'array': {
      const items = schema.items ? recurse(schema.items) : options.anyValue;
      return `array of ${items}${schema.minItems ? ` (at least ${schema.minItems})` : ''}`;
    }
    default:
      return type;
  }
}

function inlineType(schema: SchemaNode): string {
  if (schema.items) return `[${inlineType(schema.items)}]`;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'any'];
  return types.join(' | ');
}

function range(schema: SchemaNode): string {
  const min = schema.minimum;
  // zod writes Number.MAX_SAFE_INTEGER as the maximum of every integer: no real bound.
  const max = schema.maximum === Number.MAX_SAFE_INTEGER ? undefined : schema.maximum;
  if (min !== undefined && max !== undefined) return `, ${min} to ${max}`;
  if (min !== undefined) return `, at least ${min}`;
  if (max !== undefined) return `, at most ${max}`;
  return '';
}

function defaultOf(schema: SchemaNode): string {
  if (schema.default === undefined) return '';
  // A default described in words ("100 × initialInterval") is not a value to copy.
  if (typeof schema.default === 'string' && schema.default.includes(' ')) return escapeText(schema.default);
  return code(JSON.stringify(schema.default));
}

function meaning(schema: SchemaNode, options: TableOptions): string {
  const own = schema.description === options.durationDescription ? undefined : schema.description;
  return own ? escapeText(own) : '';
}

/** Inline code that survives a table cell: pipes escaped, backticks fenced by more backticks. */
function code(text: string): string {
  const escaped = text.replace(/\|/g, '\\|');
  return escaped.includes('`') ? `\`\` ${escaped} \`\`` : `\`${escaped}\``;
}

/**
 * Prose from a schema description, safe in a table cell: outside code spans
 * `<name>` is not taken for an HTML tag nor `*` for emphasis.
 */
function escapeText(text: string): string {
  return text
    .replace(/\n/g, ' ')
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, '&lt;').replace(/\*/g, '\\*')))
    .join('')
    .replace(/\|/g, '\\|');
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}
