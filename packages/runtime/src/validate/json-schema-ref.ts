import type { JsonSchema } from '@baton/sdk/host';

/** A JSON Schema position: a schema object, `true`/`false`, or nothing (anything goes). */
export type SchemaNode = JsonSchema | boolean | undefined;

/** Follows local `$ref`s (`#`, `#/$defs/Name`) within `root`; a remote ref resolves to "anything". */
export function resolveRef(schema: SchemaNode, root: JsonSchema): SchemaNode {
  let current = schema;
  for (let hops = 0; hops < 16 && typeof current === 'object' && typeof current.$ref === 'string'; hops++) {
    const ref = current.$ref as string;
    if (!ref.startsWith('#')) return undefined;
    let target: unknown = root;
    for (const segment of ref.slice(1).split('/').filter(Boolean)) {
      const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
      target =
        target !== null && typeof target === 'object' ? (target as Record<string, unknown>)[key] : undefined;
    }
    current = target as SchemaNode;
  }
  return current;
}

/** A schema's `type` as a list, or undefined when it names none. */
export function typeList(type: unknown): string[] | undefined {
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? (type as string[]) : undefined;
}
